"""Case visibility is one rule (casehub/access.py) however it is asked:
the queryset (details, counts), the list's SQL scopes (through the page
query), the single-case check, the check of a page of search hits, who is
told (notifications) and the search index's `visible_to`. Each situation
an agency other than the owner may be in is driven through the real
services (the API), then every form of the rule must give one answer."""

import pytest
from django.contrib.auth.models import Permission
from django.http import QueryDict

from agencies.roles import Role
from casehub import access, listing
from casehub.models import CaseGroupObjectPermission
from search import documents
from tests.factories import member
from tests.transfers.helpers import CASES, Cast, as_, open_filed_case, send_transfer_to_police, step

pytestmark = pytest.mark.django_db


def owner(api, cast):
    return open_filed_case(api, cast), cast.officer


def transfer_sent(api, cast):
    case_id, _tid = send_transfer_to_police(api, cast)
    return case_id, cast.police_liaison


def transfer_withdrawn(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "return", reason="请补充鉴定意见原件").status_code == 200
    assert step(api, cast.head, tid, "withdraw", reason="经复核不再移送").status_code == 200
    return case_id, cast.police_liaison


def transfer_accepted_former_owner(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕31号").status_code == 200
    return case_id, cast.officer


def supervision(api, cast):
    case_id, _tid = send_transfer_to_police(api, cast)
    return case_id, cast.procurator


def _police_join(api, cast) -> tuple[int, str]:
    """A filed case the police join as co-handler: its id and the participation's URL."""
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/participants/"
    added = as_(api, cast.head).post(url, {"agency": cast.police.pk, "role": "co_handler"}, format="json")
    assert added.status_code == 201, added.content
    return case_id, f"{url}{added.json()['id']}/"


def joint_handling(api, cast):
    case_id, _participation = _police_join(api, cast)
    return case_id, cast.police_officer


def joint_handling_ended(api, cast):
    case_id, participation = _police_join(api, cast)
    assert as_(api, cast.head).delete(participation).status_code == 204
    return case_id, cast.police_officer


def outsider(api, cast):
    case_id, _tid = send_transfer_to_police(api, cast)
    return case_id, cast.outsider


def grant_of_another_permission(api, cast):
    """A group permission row that is not view_case gives no sight of the case."""
    case_id = open_filed_case(api, cast)
    change = Permission.objects.get(codename="change_case", content_type__app_label="casehub")
    CaseGroupObjectPermission.objects.create(content_object_id=case_id, group_id=cast.copyright.group_id,
                                             permission=change)
    return case_id, cast.outsider


SITUATIONS = [
    (owner, True), (transfer_sent, True), (transfer_withdrawn, False), (transfer_accepted_former_owner, True),
    (supervision, True), (joint_handling, True), (joint_handling_ended, False), (outsider, False),
    (grant_of_another_permission, False),
]


def fresh(user):
    # Memberships and roles are cached on the user object for a request.
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("situation,sees", SITUATIONS, ids=[s.__name__ for s, _ in SITUATIONS])
def test_every_form_of_the_visibility_rule_agrees(api, situation, sees):
    cast = Cast()
    member(cast.police, Role.HEAD, username="gaofeng")
    case_id, viewer = situation(api, cast)
    from casehub.models import Case

    case = Case.objects.get(pk=case_id)
    viewer = fresh(viewer)
    mine = access.agency_ids(viewer)
    listed = {row[0] for row in listing.walk(viewer, listing.parse(QueryDict("")), batch=2)}
    answers = {
        "visible_cases": access.visible_cases(viewer).filter(pk=case_id).exists(),
        "case_listing_scopes (the list's page)": case_id in listed,
        "case_listing_scopes (the page, by deadline)": case_id in {
            row[0] for row in listing.fetch_page(viewer, listing.parse(QueryDict("order=deadline"))).rows},
        "can_see_case": access.can_see_case(viewer, case),
        "visible_case_ids": access.visible_case_ids(viewer, [case_id]) == {case_id},
        "agencies_seeing_case": bool(access.agencies_seeing_case(case_id) & mine),
        "cases_visible_to_agencies": access.cases_visible_to_agencies(sorted(mine)).filter(pk=case_id).exists(),
        "search visible_to": bool(set(documents.build([case_id])[case_id]["visible_to"]) & mine),
        "the API's detail": as_(api, viewer).get(f"{CASES}{case_id}/").status_code == 200,
    }
    assert answers == dict.fromkeys(answers, sees)
