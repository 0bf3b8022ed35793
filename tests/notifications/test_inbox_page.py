import pytest
from django.db import transaction
from django.test import Client

from notifications.inbox import store
from notifications.models import Notification
from tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db


def test_the_inbox_page_lists_mine_and_marks_all_read():
    agency = AgencyFactory()
    alice, bob = member(agency, username="alice"), member(agency, username="bob")
    with transaction.atomic():
        store([Notification(recipient=alice, kind="case_closed", text="x", payload={"params": {"number": "宜市监1号"}}),
               Notification(recipient=bob, kind="case_closed", text="x", payload={"params": {"number": "别人的"}})])
    client = Client()
    assert client.get("/notifications/").status_code == 302  # to the login page
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "案件宜市监1号已结案" in page and "别人的" not in page and "/ws/notifications/" in page
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
