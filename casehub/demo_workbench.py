"""Demo stories that give every demo login (README) a living workbench:
cases of theirs due within three working days and overdue, leads for the
head to file, a case under review, transfers coming to 宜昌市公安局 and to
the market regulator, assistance requests, @mentions and deadline alerts.

Each story is driven through the real services (like demo.py), so the
timelines, deadlines, audit entries and notifications are genuine. Dates
are picked against the working-day calendar relative to today; everything
else is fixed, so two runs on the same day give the same data, and a second
run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role

from .calendar import working_calendar
from .demo import random_credit_code, staff_of
from .models import Case
from .rules import deadlines as rules
from .services import assistance, cases, deadline_alerts, transfers

SCJG, GA, JCY, JINGZHOU, XILING = "420500-SCJG", "420500-GA", "420500-JCY", "421000-SCJG", "420502-SCJG"
# The first story's title marks that the stories were told.
MARKER = "宜昌鑫源商贸有限公司销售侵犯“稻花香”注册商标专用权的白酒案"


def start_day_with_days_left(kind: str, left: int, today: date, cal) -> date:
    """The start day (lead received, or filed) whose running deadline has
    `left` working days to go today (negative: overdue by as many)."""
    day = today
    while True:
        day -= timedelta(days=1)
        if kind == "filing":
            facts = rules.DeadlineFacts(status="lead", lead_received_on=day)
        else:
            facts = rules.DeadlineFacts(status="investigating", lead_received_on=day - timedelta(days=5), filed_on=day)
        due = rules.compute(facts, cal).due_on
        if cal.working_days_between(today, due) <= left:
            return day


class _Teller:
    def __init__(self, agencies: dict[str, Agency], people: dict[str, User]):
        self.agencies, self.people = agencies, people
        self.rng = random.Random(2027)
        self.cal = working_calendar()
        self.today = timezone.localdate()

    def who(self, username):
        return self.people[username]

    def lead(self, code, title, officer, handlers, *, days_left=None, received=None, kind="administrative_penalty",
             ip_type="trademark", source="complaint", company="", goods="", amount=None):
        """A lead whose filing deadline is `days_left` working days away."""
        received = received or start_day_with_days_left("filing", days_left, self.today, self.cal)
        agency = self.agencies[code]
        case = cases.create_case(
            actor=officer, agency=agency, handlers=handlers,
            data={"title": title, "ip_type": ip_type, "kind": kind, "source": source, "region": agency.region,
                  "lead_received_on": received, "lead_officer": officer,
                  "facts": f"{received:%Y年%m月%d日}，接群众举报，{company}涉嫌销售侵权{goods}。经初步核查，现场发现涉嫌侵权商品，"
                           f"当事人未能提供权利人授权证明及合法进货凭证。",
                  "amount_involved": Decimal(amount or self.rng.randint(20000, 300000)),
                  "seized_goods": f"{goods}{self.rng.randint(20, 400)}件" if goods else ""},
            parties=[{"role": "respondent", "kind": "enterprise", "name": company,
                      "credit_code": random_credit_code(self.rng), "legal_representative": "张伟"}],
        )
        return case

    def investigation(self, code, title, officer, handlers, head, *, days_left, **kwargs):
        """A filed case under investigation whose decision deadline is
        `days_left` working days away."""
        filed = start_day_with_days_left("decision", days_left, self.today, self.cal)
        case = self.lead(code, title, officer, handlers, received=filed - timedelta(days=5), **kwargs)
        self.act(head, case, "file", filed_on=filed)
        self.act(officer, case, "start_investigation")
        return case

    def act(self, user, case, name, **data):
        return cases.apply_action(actor=user, case_id=case.pk, name=name, data=data)

    def note(self, user, case, text):
        cases.add_note(actor=user, case=case, text=text)

    def due_in(self, working_days: int) -> date:
        return self.cal.add_working_days(self.today, working_days)


def _agencies() -> dict[str, Agency]:
    return {a.code: a for a in Agency.objects.select_related("region").filter(code__in=[SCJG, GA, JCY, JINGZHOU,
                                                                                         XILING])}


def seed_workbench_stories() -> int:
    """Tell the stories unless they were told. Returns how many cases they made."""
    agencies = _agencies()
    if len(agencies) < 5 or Case.objects.filter(owning_agency=agencies[SCJG], title=MARKER).exists():
        return 0
    people = {u.username: u for u in User.objects.filter(username__in=[
        "wangfang", "liqiang", "zhaomin", "chenjun", "wuting", "qianjin", "liuyang", "zhouli", "gaofeng", "sunhao",
        "huanglei", "majing"])}
    if len(people) < 12:
        return 0  # the demo logins come first (seed_demo_users)
    before = Case.objects.count()
    with transaction.atomic():
        _tell(_Teller(agencies, people))
        # The morning's deadline check, as the worker runs it: alerts and
        # their notifications for what is due tomorrow or already late.
        deadline_alerts.raise_alerts()
    return Case.objects.count() - before


def _tell(t: _Teller) -> None:
    wangfang, liqiang, chenjun = t.who("wangfang"), t.who("liqiang"), t.who("chenjun")
    zhouli, gaofeng, huanglei, majing = t.who("zhouli"), t.who("gaofeng"), t.who("huanglei"), t.who("majing")
    rng = t.rng

    # 宜昌市市场监督管理局: a lead about to run out of its filing period, one
    # past it, an investigation past its decision deadline, one about to be.
    due_lead = t.lead(SCJG, MARKER, wangfang, [liqiang], days_left=2, company="宜昌鑫源商贸有限公司", goods="白酒")
    t.note(wangfang, due_lead, "@陈军 本线索立案期限即将届满，现场核查尚需权利人鉴定，拟申请延长立案期限，请审批。")
    late_lead = t.lead(SCJG, "夷陵恒达百货超市销售假冒“秭归脐橙”地理标志产品案", liqiang, [wangfang], days_left=-4,
                       ip_type="geographical_indication", company="夷陵恒达百货超市", goods="脐橙")
    t.note(liqiang, late_lead, "@王芳 该线索已超过立案审查期限，请尽快补充现场检查笔录后报请立案。")
    late_case = t.investigation(SCJG, "伍家岗华泰酒业有限公司销售侵犯“枝江大曲”注册商标专用权的白酒案", wangfang, [liqiang],
                                chenjun, days_left=-3, company="伍家岗华泰酒业有限公司", goods="白酒")
    t.note(liqiang, late_case, "@王芳 本案已超过作出处理决定的期限，请尽快完成调查终结报告。")
    t.investigation(SCJG, "西陵盛兴电子科技有限公司销售侵犯“华为”注册商标专用权的手机配件案", wangfang, [liqiang], chenjun,
                    days_left=3, company="西陵盛兴电子科技有限公司", goods="手机配件")
    reviewed = t.investigation(SCJG, "猇亭宏辉贸易有限公司销售侵犯“李宁”注册商标专用权的运动鞋案", liqiang, [wangfang],
                               chenjun, days_left=30, company="猇亭宏辉贸易有限公司", goods="运动鞋")
    t.act(liqiang, reviewed, "submit_for_review", report="调查终结报告：当事人销售侵权运动鞋326双，违法经营额86400元，事实清楚，证据确凿。")
    t.note(liqiang, reviewed, "@赵敏 调查终结报告及证据目录已提交，请予审核。")
    t.note(chenjun, reviewed, "@钱进 请核查本案执法记录仪取证记录是否完整归档。")

    # A suspected crime sent to 宜昌市公安局 (copied to the procuratorate), and
    # one the head has still to approve.
    crime = t.investigation(SCJG, "宜都佳顺酒业有限公司涉嫌销售假冒注册商标的商品罪移送案", wangfang, [liqiang], chenjun,
                            days_left=40, company="宜都佳顺酒业有限公司", goods="白酒", amount=620000)
    t.note(wangfang, crime, "@吴婷 本案涉案金额已达刑事立案追诉标准，请联络公安机关提前介入。")
    sent = transfers.propose(actor=wangfang, case=crime, kind="suspected_crime", to_agency=t.agencies[GA],
                             reason="涉案金额62万元，涉嫌销售假冒注册商标的商品罪，依法移送公安机关。",
                             materials=[{"kind": "transfer_letter", "title": "涉嫌犯罪案件移送书"},
                                        {"kind": "investigation_report", "title": "涉嫌犯罪案件调查报告"},
                                        {"kind": "seized_items_list", "title": "涉案物品清单"},
                                        {"kind": "appraisal_report", "title": "商标权利人鉴定意见"}])
    transfers.take_step(actor=chenjun, transfer_id=sent.pk, name="approve", data={})
    transfers.take_step(actor=wangfang, transfer_id=sent.pk, name="send", data={})
    t.note(wangfang, crime, "@刘洋 移送材料已齐备，请及时审查受理。@孙浩 本案已抄送贵院，请予监督。")
    pending = t.investigation(SCJG, "点军宏源农资经营部销售侵犯植物新品种权繁殖材料案", liqiang, [wangfang], chenjun,
                              days_left=35, ip_type="plant_variety", company="点军宏源农资经营部", goods="种子")
    transfers.propose(actor=liqiang, case=pending, kind="jurisdiction", to_agency=t.agencies[XILING],
                      reason="违法行为发生地在西陵区，依法移送有管辖权的机关。",
                      materials=[{"kind": "transfer_letter", "title": "案件移送函"},
                                 {"kind": "case_file", "title": "案件材料"}])

    # 西陵区市场监督管理局 sends the market regulator a case of its jurisdiction.
    xiling = staff_of(t.agencies[XILING], rng)
    moved = t.investigation(XILING, "西陵鑫泰商贸有限公司销售侵犯“三峡”注册商标专用权的茶叶案", majing,
                            xiling[Role.OFFICER][1:2], xiling[Role.HEAD][0], days_left=50, company="西陵鑫泰商贸有限公司",
                            goods="茶叶")
    handed = transfers.propose(actor=majing, case=moved, kind="jurisdiction", to_agency=t.agencies[SCJG],
                               reason="涉案商品批发源头在市本级，案情重大，依法报送市局管辖。",
                               materials=[{"kind": "transfer_letter", "title": "案件移送函"},
                                          {"kind": "case_file", "title": "案件材料"}])
    transfers.take_step(actor=xiling[Role.HEAD][0], transfer_id=handed.pk, name="approve", data={})
    transfers.take_step(actor=majing, transfer_id=handed.pk, name="send", data={})
    own = t.lead(XILING, "西陵恒顺百货超市销售侵犯“安琪”注册商标专用权的调味品案", majing, xiling[Role.OFFICER][1:2],
                 days_left=1, company="西陵恒顺百货超市", goods="调味品")
    t.note(xiling[Role.OFFICER][1], own, "@马静 权利人已出具鉴定意见，请尽快报请立案。")
    t.investigation(XILING, "西陵华达商贸有限公司销售侵犯外观设计专利权的箱包案", majing, xiling[Role.OFFICER][1:2],
                    xiling[Role.HEAD][0], days_left=-2, ip_type="design_patent", company="西陵华达商贸有限公司", goods="箱包")

    # 宜昌市公安局: its own criminal cases, one lead due, one investigation late.
    ga_lead = t.lead(GA, "宜昌“3·15”系列假冒注册商标案线索", zhouli, [gaofeng], days_left=2, kind="criminal",
                     source="agency_referral", company="宜昌某商贸有限公司", goods="白酒")
    t.note(gaofeng, ga_lead, "@周丽 请尽快完成初查，报请立案。")
    t.investigation(GA, "夷陵区侵犯商业秘密案", zhouli, [gaofeng], gaofeng, days_left=-1, kind="criminal",
                    ip_type="trade_secret", source="complaint", company="夷陵某精细化工有限公司")

    # 荆州市市场监督管理局 asks for assistance, and is asked.
    jingzhou = staff_of(t.agencies[JINGZHOU], rng)
    asked = t.lead(JINGZHOU, "荆州佳兴贸易有限公司销售侵犯“洪湖”注册商标专用权的调味品案", huanglei, jingzhou[Role.OFFICER][1:2],
                   days_left=3, company="荆州佳兴贸易有限公司", goods="调味品")
    t.investigation(JINGZHOU, "沙市宏泰电子科技有限公司销售假冒“格力”注册商标的空调案", huanglei, jingzhou[Role.OFFICER][1:2],
                    jingzhou[Role.HEAD][0], days_left=-5, company="沙市宏泰电子科技有限公司", goods="空调")
    t.note(jingzhou[Role.OFFICER][1], asked, "@黄磊 供货方在宜昌，已拟协查函，请审阅后发出。")
    assistance.ask(actor=huanglei, case=asked, to_agency=t.agencies[SCJG], subject="核查宜昌鑫盛商贸有限公司供货情况",
                   details="请协助核查该公司2026年以来向荆州佳兴贸易有限公司供应“洪湖”调味品的进货凭证及库存。", due_on=t.due_in(5))
    assistance.ask(actor=wangfang, case=late_case, to_agency=t.agencies[JINGZHOU], subject="核查荆州供货商营业执照及出货记录",
                   details="请协助核查荆州恒达酒业有限公司的营业执照登记信息及2026年出货记录。", due_on=t.due_in(2))
    assistance.ask(actor=wangfang, case=crime, to_agency=t.agencies[GA], subject="核实当事人身份信息",
                   details="请协助核实当事人法定代表人的户籍登记及前科信息。",
                   due_on=t.due_in(4))
