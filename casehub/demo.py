"""Demo cases for `make run`: about 200 cases in Chinese, spread over the
cluster's agencies, IP types and every stage, each driven through the real
services so timelines, deadlines and the audit log are genuine."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Membership, User
from agencies.roles import Role

from .models import Case
from .rules.identifiers import credit_code_check_char, id_number_check_char
from .services import cases as service

# Agencies that get demo staff and cases: (code, ip types, campaign)
DEMO_AGENCIES = [
    ("420500-SCJG", ["trademark", "trademark", "well_known_mark", "geographical_indication", "invention_patent"], "铁拳"),
    ("420502-SCJG", ["trademark", "trademark", "design_patent"], "铁拳"),
    ("420506-SCJG", ["trademark", "geographical_indication"], "铁拳"),
    ("420581-SCJG", ["trademark", "utility_model"], ""),
    ("420500-WL", ["copyright", "copyright"], "剑网"),
    ("420500-HG", ["trademark", "well_known_mark"], "龙腾"),
    ("421000-SCJG", ["trademark", "design_patent", "trademark"], "铁拳"),
    ("420800-SCJG", ["trademark", "plant_variety"], ""),
    ("422800-SCJG", ["geographical_indication", "trademark"], ""),
]

BRANDS = ["稻花香", "三峡", "枝江大曲", "宜红", "秭归脐橙", "五峰绿茶", "安琪", "兴发", "屈原", "长阳山羊", "荆州鱼糕", "恩施玉露",
          "利川红", "洪湖", "京山桥米", "钟祥长寿", "华为", "茅台", "五粮液", "耐克", "阿迪达斯", "李宁", "海尔", "格力"]
GOODS = ["白酒", "茶叶", "脐橙", "运动鞋", "服装", "手机配件", "空调", "洗衣机", "化肥", "种子", "调味品", "箱包", "电线电缆", "润滑油"]
PLACES = ["夷陵区小溪塔街道", "西陵区解放路", "伍家岗区万达广场", "宜都市陆城街道", "当阳市玉阳街道", "枝江市马家店街道",
          "荆州区北京路", "沙市区中山路", "东宝区象山大道", "恩施市舞阳坝街道", "猇亭区古老背街道", "长阳县龙舟坪镇"]
COMPANY_SUFFIX = ["商贸有限公司", "贸易有限公司", "酒业有限公司", "茶业有限公司", "电子科技有限公司", "农资经营部", "百货超市"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚"]
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

TITLE_TEMPLATES = {
    "trademark": "{company}销售侵犯“{brand}”注册商标专用权的{goods}案",
    "well_known_mark": "{company}擅自使用“{brand}”驰名商标案",
    "geographical_indication": "{company}销售假冒“{brand}”地理标志产品案",
    "invention_patent": "{company}假冒他人发明专利案",
    "utility_model": "{company}假冒实用新型专利标识案",
    "design_patent": "{company}涉嫌侵犯外观设计专利权案",
    "copyright": "{company}未经许可通过网络传播他人作品案",
    "plant_variety": "{company}销售授权品种繁殖材料未使用注册名称案",
}

# Stages a demo case is driven to, with their weights.
STAGES = [("lead", 30), ("not_filed", 6), ("filed", 15), ("investigating", 35), ("clock", 8), ("under_review", 20),
          ("suspended", 5), ("decided_no_penalty", 6), ("executing", 20), ("closed", 45), ("withdrawn", 4)]


def random_person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def random_credit_code(rng):
    body = "91" + rng.choice(["420500", "420502", "420581", "421000", "420800", "422800"]) + "".join(
        rng.choice(CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


def random_id_number(rng):
    born = timezone.localdate() - timedelta(days=rng.randint(22 * 365, 60 * 365))
    body = rng.choice(["420502", "420506", "421002", "420802"]) + born.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + id_number_check_char(body)


def staff_of(agency, rng):
    """Demo officers, reviewer and head for an agency (made once)."""
    staff = {}
    for role, count in ((Role.OFFICER, 3), (Role.REVIEWER, 1), (Role.HEAD, 1)):
        holders = list(User.objects.filter(memberships__agency=agency, memberships__role=role,
                                           memberships__ended_at__isnull=True).order_by("pk"))
        for i in range(len(holders), count):
            user = User.objects.create(username=f"demo-{agency.code.lower()}-{role}-{i + 1}", full_name=random_person(rng))
            user.set_unusable_password()  # extras are cast, not logins
            user.save()
            Membership.objects.create(user=user, agency=agency, role=role)
            holders.append(user)
        staff[role] = holders
    return staff


def _drive(case, stage, staff, rng, lead_day):
    officer, head, reviewer = staff[Role.OFFICER][0], staff[Role.HEAD][0], staff[Role.REVIEWER][0]
    today = timezone.localdate()

    def act(user, name, **data):
        return service.apply_action(actor=user, case_id=case.pk, name=name, data=data)

    if stage == "lead":
        return
    if stage == "not_filed":
        act(head, "refuse_filing", reason="经核查，举报事项不属于本机关管辖，已告知举报人向有管辖权的机关反映。")
        return
    if stage == "withdrawn":
        act(head, "withdraw", reason="线索重复登记，予以撤销。")
        return
    filed_on = min(lead_day + timedelta(days=rng.randint(2, 12)), today)
    act(head, "file", filed_on=filed_on)
    if stage == "filed":
        return
    act(officer, "start_investigation")
    if stage == "investigating":
        return
    if stage == "clock":
        act(officer, "stop_clock", reason=rng.choice(["appraisal", "right_holder_identification", "testing"]))
        return
    if stage == "suspended":
        act(head, "suspend", reason="涉案当事人下落不明，案件中止调查。")
        return
    act(officer, "submit_for_review", report="调查终结报告：当事人的行为事实清楚、证据确凿。")
    if stage == "under_review":
        return
    decided_on = min(filed_on + timedelta(days=rng.randint(20, 80)), today)
    if stage == "decided_no_penalty":
        act(reviewer, "decide", outcome="no_penalty", decision_date=decided_on,
            reason="当事人能证明该商品是自己合法取得并说明提供者，依法不予处罚。")
        return
    fine = Decimal(rng.choice([5000, 12000, 30000, 50000, 80000, 150000, 260000]))
    number = f"{case.owning_agency.short_name}处罚〔{decided_on.year}〕{case.pk}号"
    act(head, "decide", outcome="penalty", decision_date=decided_on, penalties=["order_to_stop", "confiscate_goods", "fine"],
        fine_amount=fine, decision_number=number, legal_basis="《中华人民共和国商标法》第六十条第二款")
    act(officer, "start_execution")
    if stage == "executing":
        return
    act(reviewer, "close", summary="罚没款已全额缴纳，侵权商品已依法销毁，结案。")


def seed_demo_cases(count: int = 200, seed: int = 2026) -> int:
    """Create the demo cases unless demo cases already exist. Returns how many were made."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for c, _, _ in DEMO_AGENCIES])}
    if not agencies or Case.objects.filter(owning_agency__in=agencies.values()).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        staff = {code: staff_of(agency, rng) for code, agency in agencies.items()}
        stages = [name for name, weight in STAGES for _ in range(weight)]
        for i in range(count):
            code, ip_types, campaign = DEMO_AGENCIES[i % len(DEMO_AGENCIES)]
            if code not in agencies:
                continue
            agency, people = agencies[code], staff[code]
            ip_type = rng.choice(ip_types)
            stage = rng.choice(stages)
            # Open cases are recent; finished ones can be older.
            if stage in ("lead", "filed"):
                age = rng.randint(0, 25)
            elif stage in ("investigating", "clock", "under_review", "suspended"):
                age = rng.randint(15, 110)
            else:
                age = rng.randint(40, 330)
            lead_day = today - timedelta(days=age)
            brand, goods, place = rng.choice(BRANDS), rng.choice(GOODS), rng.choice(PLACES)
            company = f"{place.split('区')[0].split('市')[0][:2]}{rng.choice(['鑫', '恒', '盛', '华', '佳', '顺', '宏'])}{rng.choice(['源', '达', '泰', '兴', '辉'])}{rng.choice(COMPANY_SUFFIX)}"
            title = TITLE_TEMPLATES.get(ip_type, TITLE_TEMPLATES["trademark"]).format(company=company, brand=brand, goods=goods)
            officers = people[Role.OFFICER]
            case = service.create_case(
                actor=officers[0], agency=agency, handlers=officers[1:3],
                data={
                    "title": title[:200], "ip_type": ip_type,
                    "kind": "administrative_penalty", "source": rng.choice(
                        ["complaint", "inspection", "online_monitoring", "customs_detention" if code.endswith("HG") else "complaint"]),
                    "region": agency.region, "lead_received_on": lead_day, "campaign": campaign if rng.random() < 0.6 else "",
                    "facts": (f"{lead_day:%Y年%m月%d日}，执法人员对位于{place}的{company}进行检查，现场发现标有“{brand}”标识的"
                              f"{goods}{rng.randint(10, 900)}件，当事人未能提供权利人授权证明及合法进货凭证。"),
                    "amount_involved": Decimal(rng.randint(2000, 600000)),
                    "seized_goods": f"{goods}{rng.randint(10, 900)}件",
                    "lead_officer": officers[0],
                },
            )
            service.add_party(actor=officers[0], case=case, data={
                "role": "respondent", "kind": "enterprise", "name": company, "credit_code": random_credit_code(rng),
                "address": place, "legal_representative": random_person(rng)})
            if rng.random() < 0.5:
                service.add_party(actor=officers[0], case=case, data={
                    "role": "right_holder", "kind": "enterprise", "name": f"{brand}品牌权利人有限公司",
                    "credit_code": random_credit_code(rng)})
            if rng.random() < 0.3:
                service.add_party(actor=officers[0], case=case, data={
                    "role": "informant", "kind": "individual", "name": random_person(rng), "id_number": random_id_number(rng),
                    "contact": f"13{rng.randint(100000000, 999999999)}"})
            _drive(case, stage, people, rng, lead_day)
            made += 1
    return made
