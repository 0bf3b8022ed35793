"""Demo assistance requests (协查) and joint handling (联合执法), so that the
demo logins find the assistance desk alive: 王芳 (wangfang) and 陈军
(chenjun) of 宜昌市市场监督管理局 sent requests that were answered (with a
file that joined the case), declined, and one still overdue, and received
one from 荆州 that is overdue; 黄磊 (huanglei, 荆州) answered one and waits
on another; 刘洋 (liuyang, 宜昌市公安局) has one overdue to answer and
declined one. 西陵区市场监督管理局 co-handles one of 宜昌's cases.

Told through the real services on the cases of demo_workbench.py (run
after it). The services only take a due date in the future: a request
shown overdue is asked with one, then its dates are moved back as if it
had been asked weeks ago (the one write not made by a service). A second
run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User

from .calendar import working_calendar
from .demo_workbench import GA, JINGZHOU, SCJG, XILING
from .models import AssistanceRequest, Case, CaseParticipant
from .services import assistance, participants

# The first request's subject marks that these stories were told.
MARKER = "核查荆州恒达酒业有限公司2026年向宜昌供货的出库单"

# A one-page PDF: the file that comes back with an answer.
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _case(code: str, title_starts: str) -> Case | None:
    return Case.objects.filter(owning_agency__code=code, title__startswith=title_starts).order_by("pk").first()


def _backdate(item: AssistanceRequest, *, asked_days_ago: int, due_days_ago: int) -> None:
    """As if asked `asked_days_ago` days ago and due `due_days_ago` days ago."""
    now = timezone.now()
    AssistanceRequest.objects.filter(pk=item.pk).update(
        requested_at=now - timedelta(days=asked_days_ago), due_on=timezone.localdate() - timedelta(days=due_days_ago))


def seed_assistance_stories() -> int:
    """Tell the stories unless they were told. Returns how many requests they made."""
    if AssistanceRequest.objects.filter(subject=MARKER).exists():
        return 0
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[SCJG, GA, JINGZHOU, XILING])}
    people = {u.username: u for u in User.objects.filter(
        username__in=["wangfang", "chenjun", "liuyang", "huanglei", "liqiang"])}
    liquor = _case(SCJG, "伍家岗华泰酒业")
    phones = _case(SCJG, "西陵盛兴电子")
    crime = _case(SCJG, "宜都佳顺酒业")
    aircon = _case(JINGZHOU, "沙市宏泰电子")
    if len(agencies) < 4 or len(people) < 5 or None in (liquor, phones, crime, aircon):
        return 0  # the workbench stories come first (demo_workbench.py)
    wangfang, chenjun, liuyang, huanglei = (people[n] for n in ("wangfang", "chenjun", "liuyang", "huanglei"))
    cal = working_calendar()
    today = timezone.localdate()
    before = AssistanceRequest.objects.count()
    with transaction.atomic():
        # 宜昌 asks 荆州; 黄磊 answers with the delivery notes, which join the case's evidence.
        answered = assistance.ask(
            actor=wangfang, case=liquor, to_agency=agencies[JINGZHOU], subject=MARKER,
            details="当事人称涉案白酒购自荆州恒达酒业有限公司，请协助调取该公司2026年向宜昌方向供货的出库单及物流记录。",
            due_on=cal.add_working_days(today, 5))
        assistance.answer(
            actor=huanglei, item_id=answered.pk,
            text="经核查，荆州恒达酒业有限公司2026年3月至5月向伍家岗华泰酒业有限公司供货“枝江大曲”共计86箱，出库单及物流单据扫描件附后。",
            uploads=[SimpleUploadedFile("荆州恒达酒业出库单.pdf", _PDF)])

        # 宜昌 asks 宜昌市公安局 to confirm an identity; 刘洋 has not answered and it is overdue.
        late_to_police = assistance.ask(
            actor=wangfang, case=crime, to_agency=agencies[GA], subject="核实涉案车辆登记信息",
            details="请协助核实车牌号鄂E·5K732货车的登记车主及2026年4月以来的通行记录。", due_on=today + timedelta(days=3))
        _backdate(late_to_police, asked_days_ago=12, due_days_ago=3)

        # 陈军 asks 宜昌市公安局 for video footage; 刘洋 declines with the reason.
        declined = assistance.ask(
            actor=chenjun, case=phones, to_agency=agencies[GA], subject="调取西陵区某路口监控录像",
            details="请协助调取2026年5月12日西陵区东山大道与城东大道路口的监控录像。", due_on=today + timedelta(days=4))
        assistance.decline(actor=liuyang, item_id=declined.pk,
                           reason="该路段监控录像保存期限为30日，所请时段录像已覆盖，无法调取。建议向沿街商户调取。")

        # 荆州 asks 宜昌; it is overdue for 宜昌 (王芳, 陈军) to answer.
        late_to_us = assistance.ask(
            actor=huanglei, case=aircon, to_agency=agencies[SCJG], subject="核查宜昌宏达电器城进货来源",
            details="请协助核查宜昌宏达电器城向沙市宏泰电子科技有限公司转售“格力”空调的进货凭证。", due_on=today + timedelta(days=2))
        _backdate(late_to_us, asked_days_ago=10, due_days_ago=1)

        # Joint handling: 西陵区市场监督管理局 co-handles a case of 宜昌's.
        if not CaseParticipant.objects.filter(case=phones, ended_at__isnull=True).exists():
            participants.add(actor=chenjun, case=phones, agency=agencies[XILING], role="co_handler")
    return AssistanceRequest.objects.count() - before
