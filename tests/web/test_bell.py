"""The bell's panel and the inbox page: my latest notifications only, each
linking to its object, marked read by POST (mine only), the unread count
after marking; the panel costs the same at 1 and 50 notifications. (The
live count over /ws/notifications/ is tested in the browser tests.)"""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from notifications.inbox import store
from notifications.models import Notification

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
LATEST, INBOX, READ_ALL = reverse("notifications-latest"), reverse("notifications-inbox"), \
    reverse("notifications-read-all")
HTMX = {"HTTP_HX_REQUEST": "true"}


def notify(user, *, case=None, number="宜市监知立〔2026〕1号", n=1, **payload):
    with transaction.atomic():
        return store([Notification(recipient=user, kind="case_closed", text="x", case=case,
                                   payload={"params": {"number": f"{number}-{i}"}, **payload,
                                            **({"case_id": case.pk} if case else {})})
                      for i in range(n)])


def test_the_panel_lists_only_my_notifications_with_links_to_their_case(office):
    from tests.factories import make_case

    case = make_case(office)
    mine, = notify(office.officer, case=case, number="我的")
    notify(office.officer2, number="别人的")
    page = signed_in(office.officer).get(LATEST, **HTMX)
    text = page.content.decode()
    assert page.status_code == 200 and "<html" not in text
    assert "我的-0" in text and "别人的" not in text
    url = reverse("web:case", args=[case.pk])
    assert f'href="{url}"' in text and resolve(url).url_name == "case"
    assert [n["id"] for n in page.context["items"]] == [mine.pk]
    assert reverse("notifications-read", args=[mine.pk]) in text and page.context["unread"] == 1


def test_a_notification_about_no_page_links_nothing(office):
    notify(office.officer, assistance_id=12345)
    url = signed_in(office.officer).get(LATEST).context["items"][0]["url"]
    # No link rather than a 404; the assistance desk links it once its page exists.
    assert url is None or resolve(url).kwargs


def test_after_gives_only_the_newer_items(office):
    first, = notify(office.officer, number="旧")
    notify(office.officer, number="新", n=2)
    page = signed_in(office.officer).get(f"{LATEST}?after={first.pk}", **HTMX)
    text = page.content.decode()
    assert "新-0" in text and "新-1" in text and "旧" not in text
    # Another user's id is no anchor: nothing.
    theirs, = notify(office.officer2)
    assert signed_in(office.officer).get(f"{LATEST}?after={theirs.pk}").content.decode().strip() == ""
    assert signed_in(office.officer).get(f"{LATEST}?after=x").status_code == 404


def test_mark_read_is_mine_only_and_answers_with_the_count(office):
    one, two = notify(office.officer, n=2)
    theirs, = notify(office.officer2)
    client = signed_in(office.officer)
    response = client.post(reverse("notifications-read", args=[one.pk]), **HTMX)
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"notifications:unread": {"count": 1}}
    assert "已读" in response.content.decode() and 'class="notice"' in response.content.decode()
    one.refresh_from_db(), two.refresh_from_db()
    assert one.read_at is not None and two.read_at is None
    # Another user's notification does not exist for me.
    assert client.post(reverse("notifications-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Without HTMX: back where I was.
    back = client.post(reverse("notifications-read", args=[two.pk]), {"next": "/search/"})
    assert back.status_code == 302 and back["Location"] == "/search/"
    evil = client.post(reverse("notifications-read", args=[two.pk]), {"next": "https://evil.example/"})
    assert evil["Location"] == INBOX
    assert client.get(reverse("notifications-read", args=[two.pk])).status_code == 405


def test_mark_all_read_from_the_panel(office):
    notify(office.officer, n=3)
    theirs, = notify(office.officer2)
    client = signed_in(office.officer)
    response = client.post(READ_ALL, **HTMX)
    assert response.status_code == 200 and json.loads(response["HX-Trigger"])["notifications:unread"]["count"] == 0
    assert not Notification.objects.filter(recipient=office.officer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(LATEST).context["unread"] == 0


@pytest.mark.parametrize("url", [LATEST, INBOX])
def test_anonymous_is_sent_to_sign_in(url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_cannot_mark_read(office):
    n, = notify(office.officer)
    assert Client().post(reverse("notifications-read", args=[n.pk])).status_code == 302
    assert Client().post(READ_ALL).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None


def _growing(user):
    def grow(n):
        have = Notification.objects.filter(recipient=user).count()
        if n > have:
            notify(user, n=n - have)
    return grow


def test_the_panel_costs_the_same_at_1_and_50_notifications(office):
    assert_constant_queries(signed_in(office.officer), LATEST, _growing(office.officer), **HTMX)


def test_the_inbox_page_costs_the_same_at_1_and_50_notifications(office):
    assert_constant_queries(signed_in(office.officer), INBOX, _growing(office.officer))


def test_the_inbox_page_links_and_marks_read(office):
    from tests.factories import make_case

    case = make_case(office)
    n, = notify(office.officer, case=case)
    page = signed_in(office.officer).get(INBOX).content.decode()
    assert f'href="{reverse("web:case", args=[case.pk])}"' in page
    assert reverse("notifications-read", args=[n.pk]) in page
    assert 'class="breadcrumbs"' in page


def test_every_page_has_the_bell_with_its_panel_and_the_shared_socket(office):
    page = signed_in(office.officer).get(reverse("web:search")).content.decode()
    assert 'aria-expanded="false"' in page and 'aria-controls="bell-panel"' in page
    assert LATEST in page
    assert page.index("notifications/socket.js") < page.index("notifications/bell.js")
