"""The frame every page shares (a context processor): the navigation, the
user's agencies and the one they work as, the unread count for the bell.
Anonymous visitors and the API cost nothing here.

The top bar is drawn in Python (`topbar`, base.html's `{% topbar %}`), not
by template tags: it is on every page, and the engine's tags, includes and
lookups cost more than some pages' queries. What is the same for every
request in a language (the translated words, the reversed URLs) is kept per
process; what is the request's (the user, their agencies, the unread count,
the CSRF token, the page's address) is put in per request, escaped."""

from html import escape

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .agency import agencies_of, current_agency_id
from . import navigation as _navigation
from .navigation import navigation


def frame(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/api/"):
        return {}
    return {"frame": _Lazy(request)}


class _Lazy:
    """Computed when a template first asks (error pages and redirects never
    do), then kept for the request."""

    def __init__(self, request):
        self._request, self._cache = request, {}

    def _get(self, name, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def nav(self):
        return self._get("nav", lambda: navigation(self._request.user, self._request.path))

    @property
    def agencies(self):
        return self._get("agencies", lambda: agencies_of(self._request.user))

    @property
    def agency(self):
        def compute():
            current = current_agency_id(self._request)
            return next((a for a in self.agencies if a.pk == current), None)

        return self._get("agency", compute)

    @property
    def unread(self):
        from notifications.inbox import unread_count

        return self._get("unread", lambda: unread_count(self._request.user))


# (language, script prefix, URLconf) -> the top bar's words and addresses, escaped.
_texts: dict[tuple, dict] = {}


def _clear(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "LANGUAGES", "FORCE_SCRIPT_NAME"):
        _texts.clear()


setting_changed.connect(_clear, dispatch_uid="casehub_web_frame_texts")


def _words() -> dict:
    key = (get_language(), get_script_prefix(), get_urlconf())
    words = _texts.get(key)
    if words is None:
        unread = _("Notifications, %(count)s unread")
        words = {name: escape(str(text)) for name, text in {
            "menu": _("Menu"), "brand": _("Yichang–Jingzhou–Jingmen–Enshi IP Protection Collaboration Platform"),
            "working_as": _("Working as"), "switch": _("Switch"), "my_account": _("My account"),
            "api_docs": _("API documentation"), "administration": _("Administration"), "log_out": _("Log out"),
            "public_portal": _("Public disclosure portal"),
            "log_in": _("Log in"), "language": _("Language"), "notifications": _("Notifications"),
            "loading": _("Loading…"), "unread_label": unread % {"count": 99999},
            "workbench_url": reverse("web:workbench"), "switch_url": reverse("web:switch-agency"),
            "account_url": reverse("web:account"), "api_docs_url": reverse("api-docs"),
            "admin_url": reverse("admin:index"), "logout_url": reverse("logout"), "login_url": reverse("login"),
            "public_portal_url": reverse("public-portal"),
            "set_language_url": reverse("set_language"), "inbox_url": reverse("notifications-inbox"),
            "latest_url": reverse("notifications-latest"),
        }.items()}
        words["unread"] = unread  # formatted per request, with the count
        words["languages"] = [(code, escape(code), escape(str(name))) for code, name in settings.LANGUAGES]
        _texts[key] = words
    return words


def sidenav(context) -> str:
    """The left navigation of a signed-in user's page (nothing otherwise)."""
    lazy = context.get("frame")
    return _navigation.draw(lazy.nav) if lazy else ""


def _csrf_input(context) -> str:
    # As {% csrf_token %}: the context's token (one per response).
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


def _bell(w: dict, unread: int) -> str:
    count = escape(str(unread))
    label = escape(w["unread"] % {"count": unread}) if unread else w["notifications"]
    return (
        f'<div class="bell" data-bell data-socket="/ws/notifications/">\n'
        f'  <a class="bell-button" href="{w["inbox_url"]}" role="button" aria-haspopup="true" aria-expanded="false"'
        f' aria-controls="bell-panel" data-bell-button\n'
        f'     data-label="{w["notifications"]}" data-label-unread="{w["unread_label"]}"\n'
        f'     aria-label="{label}">\n'
        '    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">'
        '<path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84'
        'V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>'
        f'<span class="bell-count{"" if unread else " empty"}" data-bell-count aria-hidden="true">{count}</span>\n'
        '  </a>\n'
        '  <div class="bell-panel" id="bell-panel" role="dialog" aria-labelledby="bell-panel-title" data-bell-panel'
        f' data-url="{w["latest_url"]}" tabindex="-1" hidden>\n'
        f'    <div data-bell-body><p class="muted bell-loading">{w["loading"]}</p></div>\n'
        '  </div>\n'
        '</div>')


def _agency(w: dict, lazy: _Lazy, csrf: str, here: str) -> str:
    agencies, current = lazy.agencies, lazy.agency
    if len(agencies) > 1:
        options = "".join(f'<option value="{a.pk}"{" selected" if current and a.pk == current.pk else ""}>'
                          f"{escape(a.name)}</option>" for a in agencies)
        return (
            f'<form class="agency-switch" method="post" action="{w["switch_url"]}">{csrf}\n'
            f'      <input type="hidden" name="next" value="{here}">\n'
            f'      <label class="visually-hidden" for="agency-switch">{w["working_as"]}</label>\n'
            f'      <select id="agency-switch" name="agency" data-submit-on-change>\n'
            f'        {options}\n      </select>\n'
            f'      <noscript><button type="submit">{w["switch"]}</button></noscript>\n    </form>')
    return f'<span class="agency-name">{escape(current.name)}</span>' if current else ""


def topbar(context) -> str:
    """The top bar's content: for a signed-in user the menu button, the
    agency they work as (a switcher if they have several), the bell and
    their menu; for a visitor the sign-in link; for both the language."""
    w = _words()
    request, user, lazy = context.get("request"), context.get("user"), context.get("frame")
    csrf = _csrf_input(context)
    here = escape(request.get_full_path()) if request is not None else ""
    parts = []
    if lazy:
        parts.append(f'<button type="button" class="nav-toggle" data-nav-toggle aria-controls="sidenav"'
                     f' aria-expanded="false">{w["menu"]}</button>')
    parts.append(f'<a class="brand" href="{w["workbench_url"]}">{w["brand"]}</a>\n  <span class="spacer"></span>')
    if lazy:
        admin = f'\n        <a href="{w["admin_url"]}">{w["administration"]}</a>' if user.is_staff else ""
        parts += [
            _agency(w, lazy, csrf, here), _bell(w, lazy.unread),
            f'<details class="user-menu">\n      <summary>{escape(str(user.display_name))}</summary>\n'
            f'      <div class="menu">\n        <a href="{w["account_url"]}">{w["my_account"]}</a>\n'
            f'        <a href="{w["api_docs_url"]}">{w["api_docs"]}</a>\n'
            f'        <a href="{w["public_portal_url"]}">{w["public_portal"]}</a>{admin}\n'
            f'        <form method="post" action="{w["logout_url"]}">{csrf}<button type="submit" class="link">'
            f'{w["log_out"]}</button></form>\n      </div>\n    </details>']
    elif user is None or not user.is_authenticated:
        parts.append(f'<a href="{w["login_url"]}">{w["log_in"]}</a>')
    language = get_language()
    options = "".join(f'\n      <option value="{code}"{" selected" if raw == language else ""}>{name}</option>'
                      for raw, code, name in w["languages"])
    parts.append(
        f'<form class="language-switch" action="{w["set_language_url"]}" method="post">{csrf}\n'
        f'    <input name="next" type="hidden" value="{here}">\n'
        f'    <select name="language" data-submit-on-change aria-label="{w["language"]}">{options}\n'
        '    </select>\n  </form>')
    return mark_safe("\n  ".join(p for p in parts if p))
