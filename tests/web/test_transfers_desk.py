"""/transfers/: the incoming, outgoing and supervising boxes, each
transfer's running step with its deadline and an overdue flag, the filters
(HTMX swaps the rows, the URL keeps them), keyset pages, constant queries;
an outsider sees none of another agency's transfers."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casehub.models import Transfer
from tests.transfers.helpers import Cast, open_filed_case, send_transfer_to_police

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="transfer-(\d+)"', html)]


def desk(user, **query):
    return signed_in(user).get(reverse("web:transfers"), query)


def _copies(case_id, n, cast, **fields):
    """n transfers of one case (made directly: the desk reads rows, not the service's rules)."""
    now = timezone.now()
    values = {"kind": "suspected_crime", "from_agency": cast.market, "to_agency": cast.police,
              "supervising_agency": cast.procuratorate, "status": "sent", "reason": "r", "proposed_by": cast.officer,
              "sent_at": now, "due_step": "decide", "due_at": now + timedelta(days=2), **fields}
    return Transfer.objects.bulk_create([Transfer(case_id=case_id, **values) for _ in range(n)])


def test_the_boxes_show_each_side_its_transfers(api, cast):
    _case_id, sent = send_transfer_to_police(api, cast)
    other_case = open_filed_case(api, cast)
    proposed = Transfer.objects.create(case_id=other_case, kind="jurisdiction", from_agency=cast.market,
                                       to_agency=cast.copyright, reason="管辖", proposed_by=cast.officer)
    # The sender: both, in outgoing; none incoming.
    assert set(row_ids(desk(cast.officer).content.decode())) == {sent, proposed.pk}
    assert set(row_ids(desk(cast.officer, box="outgoing").content.decode())) == {sent, proposed.pk}
    assert row_ids(desk(cast.officer, box="incoming").content.decode()) == []
    # The police: only the one sent to them, incoming.
    html = desk(cast.police_liaison, box="incoming").content.decode()
    assert row_ids(html) == [sent]
    assert "公安机关决定是否立案" in html and "chip chip-" in html
    assert f'href="{reverse("web:transfer", args=[sent])}"' in html
    assert 'data-box="supervising"' not in html  # the police supervise nothing
    # The procuratorate: the suspected crime it is copied on, in its supervising box.
    html = desk(cast.procurator, box="supervising").content.decode()
    assert row_ids(html) == [sent] and 'data-box="supervising"' in html
    # The proposal not yet sent is the sender's alone; an outsider sees nothing at all.
    assert row_ids(desk(cast.outsider).content.decode()) == []
    assert "暂无数据" in desk(cast.outsider).content.decode()


def test_the_overdue_flag_and_filter(api, cast):
    case_id, sent = send_transfer_to_police(api, cast)
    (late,) = _copies(case_id, 1, cast, due_at=timezone.now() - timedelta(days=2))
    html = desk(cast.police_liaison).content.decode()
    assert re.search(rf'<tr id="transfer-{late.pk}" class="overdue"', html)
    assert not re.search(rf'<tr id="transfer-{sent}" class="overdue"', html)
    assert row_ids(desk(cast.police_liaison, overdue="true").content.decode()) == [late.pk]
    assert row_ids(desk(cast.police_liaison, overdue="false").content.decode()) == [sent]


def test_filters_by_kind_status_and_open(api, cast):
    case_id, sent = send_transfer_to_police(api, cast)
    (done,) = _copies(case_id, 1, cast, status="accepted", due_step="", due_at=None, handed_over_at=timezone.now())
    # Accepted, but the suspected crime's items are still to be handed over: under way.
    (handing,) = _copies(case_id, 1, cast, status="accepted", due_step="hand_over")
    (other,) = _copies(case_id, 1, cast, kind="jurisdiction", supervising_agency=None)
    user = cast.police_liaison
    assert set(row_ids(desk(user, kind="jurisdiction").content.decode())) == {other.pk}
    assert set(row_ids(desk(user, status="accepted").content.decode())) == {done.pk, handing.pk}
    assert set(row_ids(desk(user, open="true").content.decode())) == {sent, other.pk, handing.pk}
    assert set(row_ids(desk(user, open="false").content.decode())) == {done.pk}


def test_bad_filters_show_at_the_field_with_no_rows(api, cast):
    send_transfer_to_police(api, cast)
    response = desk(cast.police_liaison, kind="nonsense", box="elsewhere")
    html = response.content.decode()
    assert response.status_code == 200 and row_ids(html) == []
    assert 'id="transfers-kind-errors"' in html
    # The procuratorate's box is no box of the police: refused like any bad value.
    assert row_ids(desk(cast.police_liaison, box="supervising").content.decode()) == []


def test_htmx_gets_the_rows_only(api, cast):
    _case_id, sent = send_transfer_to_police(api, cast)
    response = signed_in(cast.police_liaison).get(reverse("web:transfers"), {"kind": "suspected_crime"},
                                                  HTTP_HX_REQUEST="true", HTTP_HX_TARGET="transfer-rows")
    html = response.content.decode()
    assert "<html" not in html and row_ids(html) == [sent]
    assert "HX-Request" in response["Vary"]


def test_keyset_pages(api, cast):
    case_id, sent = send_transfer_to_police(api, cast)
    _copies(case_id, 24, cast)
    client = signed_in(cast.police_liaison)
    first = client.get(reverse("web:transfers"), {"box": "incoming"}).content.decode()
    ids = row_ids(first)
    assert len(ids) == 20 and ids == sorted(ids, reverse=True)
    next_url = re.search(r'href="([^"]+)"[^>]*rel="next"', first).group(1).replace("&amp;", "&")
    assert "box=incoming" in next_url and "before=" in next_url
    second = client.get(next_url).content.decode()
    rest = row_ids(second)
    assert len(rest) == 5 and sent in rest and not set(ids) & set(rest)
    prev_url = re.search(r'href="([^"]+)"[^>]*rel="prev"', second).group(1).replace("&amp;", "&")
    assert row_ids(client.get(prev_url).content.decode()) == ids


def test_the_boxes_cost_constant_queries(api, cast):
    case_id, _sent = send_transfer_to_police(api, cast)
    made = []

    def grow(n):
        missing = n - len(made) - 1  # the transfer sent is the first row
        if missing > 0:
            made.extend(_copies(case_id, missing, cast))

    for user, box in ((cast.police_liaison, "incoming"), (cast.officer, "outgoing"),
                      (cast.procurator, "supervising")):
        made.clear()
        Transfer.objects.filter(case_id=case_id).exclude(pk=_sent).delete()
        assert_constant_queries(signed_in(user), f"{reverse('web:transfers')}?box={box}", grow)


def test_an_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(reverse("web:transfers"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_workbench_links_incoming_transfers_to_their_page(api, cast):
    _case_id, sent = send_transfer_to_police(api, cast)
    html = signed_in(cast.police_liaison).get(reverse("web:workbench")).content.decode()
    assert f'href="{reverse("web:transfer", args=[sent])}"' in html


def test_a_transfer_notification_links_to_the_transfer_page(api, cast):
    from notifications.links import url_for

    assert url_for({"case_id": 3, "transfer_id": 7}) == reverse("web:transfer", args=[7])
    assert url_for({"case_id": 3}) == reverse("web:case", args=[3])


def test_the_demo_puts_transfers_in_every_step_on_the_demo_desks(settings):
    from io import StringIO

    from django.core.management import call_command

    from agencies.models import User
    from casehub.rules.transfers import TransferStatus

    settings.DEBUG = True
    call_command("seed_agencies", verbosity=0, stdout=StringIO())
    call_command("seed_demo", cases=5, verbosity=0, stdout=StringIO())
    assert set(Transfer.objects.values_list("status", flat=True)) == set(TransferStatus.values)
    assert Transfer.objects.filter(status="accepted", handed_over_at__isnull=True).exists()

    def rows_for(username, **query):
        return row_ids(desk(User.objects.get(username=username), **query).content.decode())

    assert len(rows_for("liuyang", box="incoming")) >= 6
    assert len(rows_for("chenjun", box="outgoing")) >= 9 and len(rows_for("wangfang", box="outgoing")) >= 9
    assert len(rows_for("sunhao", box="supervising")) >= 5
    sunhao = signed_in(User.objects.get(username="sunhao")).get(reverse("web:supervision")).content.decode()
    assert '<tr id="request-' in sunhao and '<tr id="awaiting-' in sunhao
    count = Transfer.objects.count()
    call_command("seed_demo", cases=5, verbosity=0, stdout=StringIO())
    assert Transfer.objects.count() == count


def test_the_workbench_links_a_transfer_notification_to_the_transfer_page(api, cast):
    _case_id, sent = send_transfer_to_police(api, cast)
    response = signed_in(cast.police_liaison).get(reverse("web:workbench"))
    urls = [n["url"] for n in response.context["unread"]["rows"] if n["kind"] == "transfer_sent"]
    assert urls == [reverse("web:transfer", args=[sent])]


def test_htmx_marks_a_bad_filter_at_its_field_out_of_band(api, cast):
    send_transfer_to_police(api, cast)
    client = signed_in(cast.police_liaison)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "transfer-rows"}
    html = client.get(reverse("web:transfers"), {"kind": "nonsense"}, **headers).content.decode()
    assert "<html" not in html and row_ids(html) == []
    bar = re.search(r'<div id="transfer-filter-fields" hx-swap-oob="true">(.*?)\n    </div>\n', html, re.S)
    assert bar, "the filter bar is swapped out of band"
    fields = bar.group(1)
    assert 'id="transfers-kind-errors"' in fields and 'aria-invalid="true"' in fields
    assert 'class="form-summary"' in fields and 'href="#transfers-kind"' in fields
    assert 'id="transfers-status"' in fields  # the other fields come back as they were
    # A good value clears the marks the same way.
    html = client.get(reverse("web:transfers"), {"kind": "suspected_crime"}, **headers).content.decode()
    assert 'id="transfer-filter-fields" hx-swap-oob="true"' in html
    assert "errorlist" not in html and "form-summary" not in html and 'aria-invalid' not in html
    # A full page draws the bar in place, never out of band.
    page = client.get(reverse("web:transfers"), {"kind": "nonsense"}).content.decode()
    assert 'id="transfer-filter-fields">' in page and "hx-swap-oob" not in page.split('id="transfer-rows"')[0]


def test_clear_filters_keeps_the_box_and_an_empty_box_says_so(cast):
    html = desk(cast.officer, box="incoming", status="accepted").content.decode()
    assert f'href="{reverse("web:transfers")}?box=incoming">' in html
    assert 'class="empty-state"' in html and 'rel="next"' not in html
    html = desk(cast.officer).content.decode()
    assert f'href="{reverse("web:transfers")}">' in html
