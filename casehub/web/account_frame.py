"""What the tabs of my account share: the tabs and the breadcrumbs. One
account page in three tabs (memberships, security, API tokens), so no two
pages say different things about the same account."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TABS = (
    ("overview", _("Memberships and roles"), "web:account"),
    ("security", _("Account security"), "web:account-security"),
    ("tokens", _("API tokens"), "web:account-tokens"),
)


def account_context(tab: str) -> dict:
    labels = {name: label for name, label, _url in TABS}
    crumbs = [{"label": _("My account"), "url": reverse("web:account")}]
    if tab != "overview":
        crumbs.append({"label": labels[tab], "url": ""})
    return {"tab": tab, "crumbs": crumbs,
            "tabs": [{"name": n, "label": label, "url": reverse(u), "current": n == tab} for n, label, u in TABS]}
