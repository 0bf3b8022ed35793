"""Demo transfers in every step, through the real services, so that the
demo logins find their desks alive: 王芳 (wangfang, officer) sends,
supplements and hands over; 陈军 (chenjun, head) approves, rejects and asks
for reconsideration or supervision; 刘洋 (liuyang, 宜昌市公安局 liaison)
accepts, returns, refuses, upholds and replies to the procuratorate; 孙浩
(sunhao, 宜昌市人民检察院) issues opinions. demo_workbench.py tells the first
stories (a transfer sent to the police, one awaiting approval); these add
the rest. A second run adds nothing."""

from __future__ import annotations

from django.db import transaction

from agencies.models import User

from .demo_workbench import GA, SCJG, _agencies, _Teller
from .models import Case
from .services import transfers

MARKER = "宜昌金鼎酒业有限公司涉嫌销售假冒注册商标的商品罪移送案（待发送）"
CRIME_MATERIALS = [
    {"kind": "transfer_letter", "title": "涉嫌犯罪案件移送书"},
    {"kind": "investigation_report", "title": "涉嫌犯罪案件情况的调查报告"},
    {"kind": "seized_items_list", "title": "涉案物品清单"},
    {"kind": "appraisal_report", "title": "商标权利人鉴定意见"},
]


def seed_transfer_stories() -> int:
    """Tell the transfer stories unless they were told (after the workbench's).
    Returns how many cases they made."""
    agencies = _agencies()
    if len(agencies) < 5 or Case.objects.filter(owning_agency=agencies.get(SCJG), title=MARKER).exists():
        return 0
    people = {u.username: u for u in User.objects.filter(username__in=[
        "wangfang", "liqiang", "chenjun", "liuyang", "sunhao", "gaofeng"])}
    if len(people) < 6:
        return 0
    before = Case.objects.count()
    with transaction.atomic():
        _tell(_Teller(agencies, people))
    return Case.objects.count() - before


def _tell(t: _Teller) -> None:
    wangfang, liqiang, chenjun = t.who("wangfang"), t.who("liqiang"), t.who("chenjun")
    liuyang, sunhao = t.who("liuyang"), t.who("sunhao")
    police = t.agencies[GA]

    def crime(title, company, goods, amount, materials=CRIME_MATERIALS):
        case = t.investigation(SCJG, title, wangfang, [liqiang], chenjun, days_left=45, company=company, goods=goods,
                               amount=amount)
        return transfers.propose(actor=wangfang, case=case, kind="suspected_crime", to_agency=police,
                                 reason=f"涉案金额{amount // 10000}万元，涉嫌销售假冒注册商标的商品罪，依法移送公安机关。",
                                 materials=materials)

    def step(user, transfer, name, **data):
        transfers.take_step(actor=user, transfer_id=transfer.pk, name=name, data=data)

    # Approved, to be sent within 24 hours (王芳 sends it).
    approved = crime(MARKER, "宜昌金鼎酒业有限公司", "白酒", 560000)
    step(chenjun, approved, "approve", comment="同意移送，请于24小时内送达。")

    # Returned for materials: 王芳 supplements and resubmits.
    returned = crime("枝江鸿运贸易有限公司涉嫌销售假冒“稻花香”白酒移送案", "枝江鸿运贸易有限公司", "白酒", 480000,
                     materials=CRIME_MATERIALS[:3])
    step(chenjun, returned, "approve")
    transfers.add_material(actor=wangfang, transfer=returned.pk, kind="appraisal_report", title="鉴定意见（初稿）")
    step(wangfang, returned, "send")
    step(liuyang, returned, "return", reason="鉴定意见未加盖鉴定机构印章，请补充正式鉴定意见及涉案白酒抽样记录。")

    # Refused; the head asked for reconsideration and for the procuratorate's
    # supervision (刘洋 decides on reconsideration; 孙浩 has the request).
    reconsider = crime("当阳华盛商贸有限公司涉嫌销售假冒注册商标的商品罪移送案", "当阳华盛商贸有限公司", "化妆品", 350000)
    step(chenjun, reconsider, "approve")
    step(wangfang, reconsider, "send")
    step(liuyang, reconsider, "refuse", reason="现有证据不足以证明当事人明知是假冒注册商标的商品。")
    transfers.request_supervision(actor=chenjun, transfer_id=reconsider.pk,
                                  reason="公安机关以主观明知证据不足为由不予立案，当事人曾因同类行为受过行政处罚，提请立案监督。")
    step(chenjun, reconsider, "request_reconsideration",
         reason="当事人2025年曾因销售同类侵权商品受到行政处罚，足以认定主观明知，申请复议。")

    # Refused just now: the head may ask for reconsideration within 3 days, or for supervision.
    refused = crime("远安县聚福商贸有限公司涉嫌销售假冒注册商标的食用油移送案", "远安县聚福商贸有限公司", "食用油", 330000)
    step(chenjun, refused, "approve")
    step(wangfang, refused, "send")
    step(liuyang, refused, "refuse", reason="涉案食用油系当事人从正规渠道购入，主观明知证据不足。")

    # Refusal upheld; supervision asked and an opinion issued, awaiting the police's reply (刘洋 replies).
    upheld = crime("宜都鑫达电器经营部涉嫌销售假冒“格力”空调移送案", "宜都鑫达电器经营部", "空调", 410000)
    step(chenjun, upheld, "approve")
    step(wangfang, upheld, "send")
    step(liuyang, upheld, "refuse", reason="涉案金额计算依据不足。")
    step(chenjun, upheld, "request_reconsideration", reason="涉案金额以实际销售价格计算，有销售台账为证。")
    step(liuyang, upheld, "uphold_refusal", reason="经复议，维持不予立案决定。")
    transfers.request_supervision(actor=chenjun, transfer_id=upheld.pk,
                                  reason="复议维持不予立案，我局认为已达追诉标准，提请检察院立案监督。")
    transfers.issue_opinion(actor=sunhao, transfer_id=upheld.pk, kind="explain_refusal",
                            opinion="请宜昌市公安局在7日内书面说明不予立案的理由。")

    # Accepted with the police case number; the hand-over is due (王芳 records it).
    accepted = crime("猇亭恒信汽配有限公司涉嫌销售假冒注册商标的汽车配件移送案", "猇亭恒信汽配有限公司", "汽车配件", 720000)
    step(chenjun, accepted, "approve")
    step(wangfang, accepted, "send")
    step(liuyang, accepted, "accept", receiver_case_number="宜公（经）立字〔2026〕031号")

    # The whole story: accepted, handed over, and an opinion answered.
    done = crime("夷陵永兴酒类经营部涉嫌销售假冒“枝江大曲”白酒移送案", "夷陵永兴酒类经营部", "白酒", 390000)
    step(chenjun, done, "approve")
    step(wangfang, done, "send")
    step(liuyang, done, "refuse", reason="涉案白酒真伪鉴定存疑。")
    transfers.request_supervision(actor=chenjun, transfer_id=done.pk, reason="鉴定意见明确，提请立案监督。")
    opinion = transfers.issue_opinion(actor=sunhao, transfer_id=done.pk, kind="explain_refusal",
                                      opinion="请说明不予立案理由。")
    transfers.reply_to_opinion(actor=liuyang, transfer_id=done.pk, opinion_id=opinion.pk,
                               response="经重新审查鉴定意见，拟依法立案侦查。")
    step(chenjun, done, "request_reconsideration", reason="鉴定意见由权利人出具并经公证。")
    step(liuyang, done, "accept", receiver_case_number="宜公（经）立字〔2026〕027号")
    transfers.hand_over(actor=wangfang, transfer_id=done.pk, note="涉案白酒860瓶及案卷材料一宗已移交宜昌市公安局经侦支队。")

    # Rejected by the head, and one withdrawn.
    rejected = crime("西陵佳美日化商行涉嫌销售假冒注册商标的洗发水移送案", "西陵佳美日化商行", "洗发水", 52000)
    step(chenjun, rejected, "reject", reason="涉案金额未达追诉标准，依法作出行政处罚。")
    withdrawn = crime("伍家岗鑫源鞋业商行涉嫌销售假冒注册商标的运动鞋移送案", "伍家岗鑫源鞋业商行", "运动鞋", 260000)
    step(wangfang, withdrawn, "withdraw", reason="经核实，涉案商品系权利人授权的尾货，撤回移送。")
