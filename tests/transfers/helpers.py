"""The cast and steps the collaboration tests share."""

from agencies.models import Agency
from agencies.roles import Role
from agencies.seed.load import seed_agencies
from tests.factories import member

CASES, TRANSFERS = "/api/v1/cases/", "/api/v1/transfers/"
ALL_MATERIALS = [
    {"kind": "transfer_letter", "title": "涉嫌犯罪案件移送书"},
    {"kind": "investigation_report", "title": "涉嫌犯罪案件情况的调查报告"},
    {"kind": "seized_items_list", "title": "涉案物品清单"},
    {"kind": "appraisal_report", "title": "商标权利人鉴定意见"},
]


class Cast:
    def __init__(self):
        seed_agencies()
        get = lambda code: Agency.objects.get(code=code)  # noqa: E731
        self.market, self.police, self.procuratorate = get("420500-SCJG"), get("420500-GA"), get("420500-JCY")
        self.copyright, self.jingzhou = get("420500-BQ"), get("421000-SCJG")
        self.officer = member(self.market, Role.OFFICER, username="wangfang")
        self.officer2 = member(self.market, Role.OFFICER, username="liqiang")
        self.head = member(self.market, Role.HEAD, username="chenjun")
        self.liaison = member(self.market, Role.LIAISON, username="wuting")
        self.police_liaison = member(self.police, Role.LIAISON, username="liuyang")
        self.police_officer = member(self.police, Role.OFFICER, username="zhouli")
        self.procurator = member(self.procuratorate, Role.SUPERVISOR, username="sunhao")
        self.outsider = member(self.copyright, Role.HEAD, username="outsider")
        self.jingzhou_liaison = member(self.jingzhou, Role.LIAISON, username="huanglei")


def as_(api, user):
    api.force_authenticate(type(user).objects.get(pk=user.pk))
    return api


def open_filed_case(api, cast):
    response = as_(api, cast.officer).post(CASES, {
        "title": "某商贸公司销售假冒“稻花香”注册商标的白酒案", "ip_type": "trademark", "kind": "administrative_penalty",
        "source": "complaint", "region": "420500", "amount_involved": "380000.00",
        "handlers": ["liqiang"], "facts": "现场查获假冒白酒1200瓶，货值三十八万元。",
    }, format="json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert as_(api, cast.head).post(f"{CASES}{case_id}/transitions/", {"action": "file"}, format="json").status_code == 200
    return case_id


def step(api, user, transfer_id, name, **fields):
    return as_(api, user).post(f"{TRANSFERS}{transfer_id}/steps/", {"step": name, **fields}, format="json")


def send_transfer_to_police(api, cast) -> tuple[int, int]:
    """A filed case of market supervision's, proposed, approved and sent to
    the police as a suspected crime: (case id, transfer id)."""
    case_id = open_filed_case(api, cast)
    proposed = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk,
        "reason": "涉案货值三十八万元，涉嫌销售假冒注册商标的商品罪。", "materials": ALL_MATERIALS,
    }, format="json")
    assert proposed.status_code == 201, proposed.content
    tid = proposed.json()["id"]
    assert step(api, cast.head, tid, "approve").status_code == 200
    assert step(api, cast.liaison, tid, "send").status_code == 200
    return case_id, tid
