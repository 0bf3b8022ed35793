"""Demo disclosure records through the real services (seed_demo_disclosures):
most pending records approved, on time or late as their dates fall; the rest
stay pending and are flagged late once past their 20 working days; and, for
the demo logins of 宜昌市市场监督管理局 (赵敏 reviewer, 陈军 head), a penalty
decided today (its countdown running), a corrected record and a credit
repair application to decide. A second run adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Membership, User
from casehub.demo import random_credit_code
from casehub.models import Case
from casehub.services import cases

from . import services
from .models import CreditRepair, DisclosureRecord, RecordStatus

SCJG = "420500-SCJG"
# The fresh case's title marks that the desk's stories were told.
MARKER = "宜昌恒达商贸有限公司销售假冒“三峡”注册商标茶叶案"


def _decider(agency_id):
    held = Membership.objects.current().filter(agency_id=agency_id, role__in=["reviewer", "head"]) \
        .select_related("user").order_by("role", "pk").first()
    return held.user if held else None


def publish_most(rng: random.Random) -> int:
    """Approve three pending records in four, each some days after its
    decision (late when past its 20 working days), never after today."""
    if DisclosureRecord.objects.exclude(status=RecordStatus.PENDING).exists():
        return 0
    today = timezone.localdate()
    approved = 0
    for i, record in enumerate(DisclosureRecord.objects.filter(status=RecordStatus.PENDING).order_by("pk")):
        if i % 4 == 3:
            continue  # some stay pending: the reviewers' queue
        actor = _decider(record.agency_id)
        if actor is None:
            continue
        day = min(record.decision_date + timedelta(days=rng.choice([3, 8, 15, 21, 26, 40])), today)
        services.approve(actor=actor, record_id=record.pk, today=day)
        approved += 1
    return approved


def _user(username):
    return User.objects.filter(username=username).first()


# (title, respondent, decided this many days ago, approved today): one
# decided today (its 20 working days running), one long past its limit
# (flagged late), one published late.
PENALTIES = [
    (MARKER, "宜昌恒达商贸有限公司", 0, False),
    ("宜昌盛兴百货有限公司销售假冒“稻花香”注册商标白酒案", "宜昌盛兴百货有限公司", 45, False),
    ("宜昌佳源电器有限公司销售侵犯外观设计专利权的电暖器案", "宜昌佳源电器有限公司", 40, True),
]


def _penalty(agency, officer, colleague, head, reviewer, title, company, days_ago, approve, seed):
    """A penalty decided `days_ago` through the case services; its record
    awaits review (or is approved today, late)."""
    today = timezone.localdate()
    decided = today - timedelta(days=days_ago)
    case = cases.create_case(actor=officer, agency=agency, handlers=[colleague], data={
        "title": title, "ip_type": "design_patent" if "专利" in title else "trademark",
        "kind": "administrative_penalty", "source": "complaint",
        "region": agency.region, "lead_received_on": decided - timedelta(days=30),
        "facts": f"执法人员在{company}门店查获侵权商品一批，当事人不能提供合法来源。",
        "amount_involved": Decimal("64000"), "lead_officer": officer})
    cases.add_party(actor=officer, case=case, data={
        "role": "respondent", "kind": "enterprise", "name": company,
        "credit_code": random_credit_code(random.Random(seed)), "address": "宜昌市西陵区东山大道"})

    def act(user, name, **data):
        cases.apply_action(actor=user, case_id=case.pk, name=name, data=data)

    act(head, "file", filed_on=decided - timedelta(days=28))
    act(officer, "start_investigation")
    act(officer, "submit_for_review", report="调查终结报告：当事人销售侵权商品，事实清楚、证据确凿。")
    act(head, "decide", outcome="penalty", decision_date=decided, penalties=["confiscate_goods", "fine"],
        fine_amount=Decimal("48000"), decision_number=f"宜市监处罚〔{decided.year}〕{case.pk}号",
        legal_basis="《中华人民共和国专利法》第六十八条" if "专利" in title else "《中华人民共和国商标法》第六十条第二款")
    if approve:
        record = DisclosureRecord.objects.get(case=case)
        services.approve(actor=reviewer, record_id=record.pk)
    return case


def tell_desk_stories() -> int:
    """The demo logins' desk: pending, late, published, corrected records
    and a credit repair application awaiting their decision."""
    agency = Agency.objects.filter(code=SCJG).first()
    officer, colleague = _user("wangfang"), _user("liqiang")
    reviewer, head = _user("zhaomin"), _user("chenjun")
    if agency is None or None in (officer, colleague, reviewer, head):
        return 0
    today = timezone.localdate()
    told = 0
    with transaction.atomic():
        for i, (title, company, days_ago, approve) in enumerate(PENALTIES):
            if not Case.objects.filter(title=title, owning_agency=agency).exists():
                _penalty(agency, officer, colleague, head, reviewer, title, company, days_ago, approve, seed=13 + i)
                told += 1
        mine = DisclosureRecord.objects.filter(agency=agency)
        public = list(mine.filter(status=RecordStatus.PUBLISHED).order_by("-published_on", "pk"))
        if public and not mine.filter(revision__gt=1).exists():
            record = public[0]
            fine = (record.fine_amount or Decimal("10000")) * Decimal("0.8")
            services.correct(actor=head, record_id=record.pk, changes={"fine_amount": fine.quantize(Decimal("0.01"))},
                             note="经行政复议，罚款数额予以变更。")
            told += 1
        repairable = [r for r in public[1:] if r.repair_possible_from and r.repair_possible_from <= today]
        if repairable and not CreditRepair.objects.filter(record__agency=agency).exists():
            for record, decided in zip(repairable[:2], (False, True), strict=False):
                repair = services.apply_repair(
                    actor=officer, record_id=record.pk, applicant=f"{record.party_name}（法定代表人代为申请）",
                    reason="已全额缴纳罚没款，侵权商品已销毁，已完成整改并作出信用承诺。",
                    applied_on=max(record.repair_possible_from, today - timedelta(days=5)))
                if decided:  # one decided already, for the history
                    services.decide_repair(actor=head, repair_id=repair.pk, approve_it=False,
                                           reason="处罚决定尚未履行完毕，暂不符合信用修复条件。")
                told += 1
    return told


def seed(rng_seed: int = 2026) -> tuple[int, int, int]:
    """(approved, flagged late, stories told)."""
    approved = publish_most(random.Random(rng_seed))
    told = tell_desk_stories()
    _reminded, flagged = services.remind()
    return approved, flagged, told
