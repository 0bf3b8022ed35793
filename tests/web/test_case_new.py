"""/cases/new/: logging a lead with its people and parties, all or nothing;
errors at their fields in Chinese, the officer's input kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from agencies.roles import Role
from casehub.models import Case, Party
from casehub.rules.refusal import Refused
from casehub.services import cases as service
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, AgencyFactory, member
from tests.web.helpers import signed_in


def service_message(msgid):
    from django.utils.translation import gettext

    return gettext(msgid)

pytestmark = pytest.mark.django_db

URL = "/cases/new/"


def _post(office, **overrides):
    data = {
        "title": "宜昌某商贸有限公司销售侵犯“稻花香”注册商标专用权的白酒案",
        "ip_type": "trademark", "kind": "administrative_penalty", "source": "complaint",
        "region": office.region.pk, "lead_received_on": timezone.localdate().isoformat(), "campaign": "铁拳",
        "amount_involved": "86000.00", "facts": "现场发现白酒120箱。", "seized_goods": "白酒120箱",
        "agency": office.agency.pk, "lead_officer": office.officer.username, "handlers": [office.officer2.username],
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-role": "respondent", "parties-0-kind": "enterprise", "parties-0-name": "宜昌某商贸有限公司",
        "parties-0-credit_code": VALID_CREDIT_CODE, "parties-0-legal_representative": "张三",
        "parties-1-role": "complainant", "parties-1-kind": "individual", "parties-1-name": "李四",
        "parties-1-id_number": VALID_ID_NUMBER, "parties-1-contact": "13800000000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_is_sent_to_sign_in(client):
    for url in (reverse("web:case-new"), reverse("web:case-new-party")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{reverse('login')}?next=")


def _refusal_message(user) -> str:
    with pytest.raises(Refused) as refused:
        service.opening_agency_ids(user)
    return refused.value.message


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.LIAISON])
def test_who_opens_no_cases_is_refused_with_the_reason(office, role):
    user = member(office.agency, role, username=f"no-{role}")
    client = signed_in(user)
    for url in (reverse("web:case-new"), reverse("web:case-new-party")):
        response = client.get(url)
        assert response.status_code == 403
        assert _refusal_message(user) in response.content.decode()
    before = Case.objects.count()
    assert client.post(URL, _post(office)).status_code == 403
    assert Case.objects.count() == before


def test_a_user_of_no_agency_is_refused(stranger):
    assert signed_in(stranger).get(URL).status_code == 403


def test_the_form_offers_the_agency_members(office, outsider):
    response = signed_in(office.officer).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    people = {value for value, _label in form.fields["handlers"].choices}
    assert {office.officer.username, office.officer2.username, office.reviewer.username,
            office.head.username} <= people
    assert outsider.username not in people
    assert form["lead_officer"].value() == office.officer.username
    assert not form.several_agencies  # one agency: no choice to make
    page = response.content.decode()
    assert "登记线索" in page and "添加当事人" in page and 'name="parties-TOTAL_FORMS"' in page


def test_a_lead_with_two_parties_is_logged(office):
    response = signed_in(office.officer).post(URL, _post(office), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[0] == (reverse("web:case", args=[case.pk]), 302)
    assert f"已登记线索 {case.number}" in response.content.decode()
    assert case.owning_agency == office.agency and case.lead_officer == office.officer and case.campaign == "铁拳"
    assert set(case.handlers.all()) == {office.officer, office.officer2}
    parties = {p.name: p for p in Party.objects.filter(case=case)}
    assert parties["宜昌某商贸有限公司"].credit_code == VALID_CREDIT_CODE
    assert parties["李四"].id_number == VALID_ID_NUMBER and parties["李四"].role == "complainant"
    assert case.timeline.filter(kind="party_added").count() == 2


def test_an_invalid_credit_code_shows_at_that_party_and_stores_nothing(office):
    bad = VALID_CREDIT_CODE[:-1] + ("0" if VALID_CREDIT_CODE[-1] != "0" else "1")
    response = signed_in(office.officer).post(URL, _post(office, **{"parties-0-credit_code": bad}))
    assert response.status_code == 200
    assert Case.objects.count() == 0 and Party.objects.count() == 0
    formset = response.context["formset"]
    assert "统一社会信用代码" in formset.forms[0].errors["credit_code"][0]
    assert not formset.forms[1].errors
    page = response.content.decode()
    # What the officer typed is still there.
    assert f'value="{bad}"' in page and "宜昌某商贸有限公司销售侵犯" in page and VALID_ID_NUMBER in page
    assert 'aria-invalid="true"' in page and "线索未登记" in page


def test_a_stranger_cannot_be_made_a_handler(office, outsider):
    before = Case.objects.count()
    response = signed_in(office.officer).post(URL, _post(office, handlers=[outsider.username],
                                                         lead_officer=outsider.username))
    assert response.status_code == 200 and Case.objects.count() == before
    form = response.context["form"]
    assert form.errors["handlers"] and form.errors["lead_officer"]


def test_the_services_refusal_shows_at_its_field(office):
    # The form takes any date; the case record's rules refuse a lead from the future.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = signed_in(office.officer).post(URL, _post(office, lead_received_on=tomorrow))
    assert response.status_code == 200 and Case.objects.count() == 0
    form = response.context["form"]
    assert form.errors["lead_received_on"] == [str(service_message("A lead cannot be received in the future."))]
    assert f'value="{tomorrow}"' in response.content.decode()


def test_a_removed_party_is_not_stored(office):
    response = signed_in(office.officer).post(URL, _post(office, **{"parties-1-DELETE": "on",
                                                                     "parties-1-id_number": "bad"}))
    assert response.status_code == 302
    assert list(Party.objects.values_list("name", flat=True)) == ["宜昌某商贸有限公司"]


def test_an_empty_party_row_is_ignored(office):
    # As a browser sends an untouched row: its selects at their defaults.
    data = _post(office, **{"parties-TOTAL_FORMS": "3", "parties-2-role": "respondent", "parties-2-kind": "enterprise",
                            "parties-2-name": ""})
    response = signed_in(office.officer).post(URL, data)
    assert response.status_code == 302 and Party.objects.count() == 2


def test_a_party_without_a_name_is_refused_at_the_field(office):
    response = signed_in(office.officer).post(URL, _post(office, **{"parties-1-name": ""}))
    assert response.status_code == 200 and Case.objects.count() == 0
    assert response.context["formset"].forms[1].errors["name"]


def test_another_party_form_comes_numbered_with_the_new_total(office):
    client = signed_in(office.officer)
    response = client.get(reverse("web:case-new-party"), {"parties-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'name="parties-2-name"' in fragment and 'name="parties-2-DELETE"' in fragment
    assert 'name="parties-1-name"' not in fragment
    assert 'id="id_parties-TOTAL_FORMS"' in fragment and 'value="3"' in fragment and "hx-swap-oob" in fragment
    assert "<html" not in fragment
    limit = client.get(reverse("web:case-new-party"), {"parties-TOTAL_FORMS": "20"})
    assert 'name="parties-20-name"' not in limit.content.decode()


def test_one_who_opens_cases_for_two_agencies_chooses_the_owner(office):
    second = AgencyFactory(code="420502-SCJG", name="宜昌市西陵区市场监督管理局", region=office.region)
    Membership.objects.create(user=office.officer, agency=second, role=Role.OFFICER)
    colleague = member(second, Role.OFFICER, username="xiling-officer")
    client = signed_in(office.officer)
    form = client.get(URL).context["form"]
    assert form.several_agencies and {a for a, _n in form.fields["agency"].choices} == {office.agency.pk, second.pk}
    # Choosing the other agency brings its members (HTMX: the people only).
    people = client.get(URL, {"agency": second.pk}, HTTP_HX_REQUEST="true")
    fragment = people.content.decode()
    assert "<html" not in fragment and colleague.username in fragment and office.officer2.username not in fragment
    response = client.post(URL, _post(office, agency=second.pk, handlers=[colleague.username]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.owning_agency == second and set(case.handlers.all()) == {office.officer, colleague}
