"""A declined assistance request (拒绝协查) tells the officer who asked, like
an answer: in Chinese, linking the request's page (not the case), and the
bell's count rises."""

import re

import pytest
from django.urls import reverse

from casehub.services import assistance
from notifications.models import Notification
from tests.web.assistance_cast import Cast
from tests.web.helpers import signed_in

pytestmark = pytest.mark.django_db


def bell_count(client) -> int:
    html = client.get(reverse("web:workbench")).content.decode()
    return int(re.search(r'data-bell-count aria-hidden="true">(\d+)</span>', html).group(1))


def test_a_declined_request_reaches_the_asking_officers_inbox_and_bell():
    cast = Cast()
    item = cast.ask(subject="核查供货商营业执照")
    officer = signed_in(cast.yichang.officer)
    before = bell_count(officer)

    assistance.decline(actor=cast.jingzhou.head, item_id=item.pk, reason="不属本局管辖")

    notice = Notification.objects.get(recipient=cast.yichang.officer, kind="assistance_declined")
    assert notice.text == f"{cast.jingzhou.agency.name}已拒绝协查请求：核查供货商营业执照"
    assert notice.case_id is None and notice.payload["assistance_id"] == item.pk
    assert bell_count(officer) == before + 1
    inbox = officer.get(reverse("notifications-inbox")).content.decode()
    assert "已拒绝协查请求：核查供货商营业执照" in inbox
    assert reverse("web:assistance-request", args=[item.pk]) in inbox
    # Nobody else of the asked agency, nor an unrelated one, hears of it.
    assert not Notification.objects.filter(kind="assistance_declined").exclude(
        recipient=cast.yichang.officer).filter(recipient__in=[cast.jingzhou.head, cast.jingmen.officer]).exists()
