"""Every state-changing endpoint of the case domain, and every read of
personal data, is audited exactly once: allowed, or denied with its reason
(403, a 404 for another agency's object, 409, 400), and a refused act
writes nothing else. The table below drives each through the real URL
router; a walk of the router fails when a new write route is missing from
it, so the table stays complete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from casehub import access
from casehub.models import Case
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER
from tests.files.samples import EXE, PDF
from tests.transfers.helpers import ALL_MATERIALS, CASES, TRANSFERS, as_, open_filed_case, send_transfer_to_police, step

from .act_runner import Try, run

pytestmark = pytest.mark.django_db
FILES, ASSISTANCE, AUDIT = "/api/v1/files/", "/api/v1/assistance/", "/api/v1/audit/"
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


@dataclass
class Row:
    method: str
    url_name: str  # the route's name in the router (namespace v1)
    action: str  # how the audit log names the act
    build: Callable  # (api, cast) -> Try and set-up steps (callables), in order


def _version(case_id):
    return Case.objects.get(pk=case_id).version


def _id(kind):
    return lambda response: (kind, response.json()["id"])


def _shared_case(api, cast):
    """A filed case of market supervision's that copyright (cast.outsider,
    its head) may read but not act on."""
    case_id = open_filed_case(api, cast)
    access.grant_case(Case.objects.get(pk=case_id), cast.copyright)
    return case_id


def _upload(api, cast, case_id, name="鉴定意见.pdf", content=PDF):
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/files/", {"file": SimpleUploadedFile(name, content)},
                                           format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _propose(api, cast, case_id, materials=ALL_MATERIALS):
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌销售假冒注册商标的商品罪",
        "materials": materials}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _ask(api, cast, case_id):
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/assistance/", {
        "to_agency": cast.jingzhou.pk, "subject": "核查进货渠道", "details": "请核实供货票据。",
        "due_on": (timezone.localdate() + timedelta(days=5)).isoformat()}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


# --- the cases ------------------------------------------------------------------

def create_case(api, cast):
    payload = {"title": "某商贸公司销售假冒注册商标商品案", "ip_type": "trademark", "kind": "administrative_penalty",
               "source": "complaint", "region": "420500", "handlers": ["liqiang"]}
    return [
        Try("an auditor opens no cases", "auditor", "POST", CASES, 403, "denied", ("case", ""), payload),
        Try("a stranger as handler", "officer", "POST", CASES, 400, "denied", ("case", ""),
            {**payload, "handlers": ["zhouli"]}),
        Try("another agency's case", "officer", "POST", CASES, 400, "denied", ("case", ""),
            {**payload, "agency": cast.police.pk}),
        # Refused for its shape, a request to create names no object: not audited.
        Try("no title", "officer", "POST", CASES, 400, None, data={**payload, "title": ""}),
        Try("opened", "officer", "POST", CASES, 201, "allowed", _id("case"), payload, owner="market"),
    ]


def update_case(api, cast):
    case_id = _shared_case(api, cast)
    url = f"{CASES}{case_id}/"
    current = _version(case_id)
    return [
        Try("another agency's case", "police_officer", "PATCH", url, 404, "denied", ("case", case_id),
            {"title": "改", "version": current}, owner="market"),
        Try("a reader only", "outsider", "PATCH", url, 403, "denied", ("case", case_id),
            {"title": "改", "version": current}, owner="market"),
        Try("a stale version", "officer", "PATCH", url, 409, "denied", ("case", case_id),
            {"title": "改", "version": current - 1}),
        Try("a stranger as handler", "officer", "PATCH", url, 400, "denied", ("case", case_id),
            {"handlers": ["zhouli"], "version": current}),
        Try("no title", "officer", "PATCH", url, 400, "denied", ("case", case_id), {"title": "", "version": current}),
        Try("another owner", "officer", "PATCH", url, 400, "denied", ("case", case_id),
            {"agency": cast.police.pk, "version": current}),
        Try("no version", "officer", "PATCH", url, 400, "denied", ("case", case_id), {"title": "改"}),
        Try("edited", "officer", "PATCH", url, 200, "allowed", ("case", case_id),
            {"title": "某公司销售假冒“稻花香”白酒案", "version": current}),
    ]


def transition(api, cast):
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/transitions/"
    start = {"action": "start_investigation"}
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), start,
            owner="market"),
        Try("an officer extends", "officer", "POST", url, 403, "denied", ("case", case_id),
            {"action": "extend_deadline", "deadline": "decision", "reason": "案情复杂"}, action="case.extend_deadline"),
        Try("not while filed", "officer", "POST", url, 409, "denied", ("case", case_id),
            {"action": "close", "summary": "结"}, action="case.close"),
        Try("a stale version", "officer", "POST", url, 409, "denied", ("case", case_id),
            {**start, "version": _version(case_id) - 1}),
        Try("a field of no action", "officer", "POST", url, 400, "denied", ("case", case_id),
            {**start, "teleport": "now"}),
        Try("no such clock-stop reason", "head", "POST", url, 400, "denied", ("case", case_id),
            {"action": "stop_clock", "reason": "喝茶"}, action="case.stop_clock"),
        Try("started", "officer", "POST", url, 200, "allowed", ("case", case_id), start),
    ]


def add_party(api, cast):
    case_id = _shared_case(api, cast)
    url = f"{CASES}{case_id}/parties/"
    party = {"role": "respondent", "kind": "enterprise", "name": "宜昌某商贸有限公司", "credit_code": VALID_CREDIT_CODE}
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), party,
            owner="market"),
        Try("a reader only", "outsider", "POST", url, 403, "denied", ("case", case_id), party),
        Try("a wrong check character", "officer", "POST", url, 400, "denied", ("case", case_id),
            {**party, "credit_code": "91350100M000100Y44"}),
        Try("no such role", "officer", "POST", url, 400, "denied", ("case", case_id), {**party, "role": "boss"}),
        Try("recorded", "officer", "POST", url, 201, "allowed", ("case", case_id), party),
    ]


def add_note(api, cast):
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/notes/"
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id),
            {"text": "窥探"}, owner="market"),
        Try("empty", "officer", "POST", url, 400, "denied", ("case", case_id), {"text": ""}),
        Try("noted", "officer", "POST", url, 201, "allowed", ("case", case_id), {"text": "当事人承认进货渠道"}),
    ]


def upload_file(api, cast):
    case_id = _shared_case(api, cast)
    url = f"{CASES}{case_id}/files/"

    def file(content=PDF, name="鉴定意见.pdf"):
        return {"file": SimpleUploadedFile(name, content)}

    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), file(),
            "multipart", owner="market"),
        Try("a reader only", "outsider", "POST", url, 403, "denied", ("case", case_id), file(), "multipart"),
        Try("an executable", "officer", "POST", url, 400, "denied", ("case", case_id), file(EXE), "multipart"),
        Try("no file", "officer", "POST", url, 400, "denied", ("case", case_id), {"description": "x"}, "multipart"),
        Try("uploaded", "officer", "POST", url, 201, "allowed", _id("file"), file(), "multipart", owner="market"),
    ]


def add_participant(api, cast):
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/participants/"
    police = {"agency": cast.police.pk, "role": "co_handler"}
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), police,
            owner="market"),
        Try("an officer", "officer", "POST", url, 403, "denied", ("case", case_id), police),
        Try("the owner itself", "head", "POST", url, 400, "denied", ("case", case_id),
            {"agency": cast.market.pk, "role": "co_handler"}),
        Try("no such role", "head", "POST", url, 400, "denied", ("case", case_id), {**police, "role": "boss"}),
        Try("joined", "head", "POST", url, 201, "allowed", ("case", case_id), police),
    ]


def end_participant(api, cast):
    case_id = open_filed_case(api, cast)
    joined = as_(api, cast.head).post(f"{CASES}{case_id}/participants/", {"agency": cast.copyright.pk,
                                                                          "role": "supporter"}, format="json")
    url = f"{CASES}{case_id}/participants/{joined.json()['id']}/"
    return [
        Try("another agency's case", "police_officer", "DELETE", url, 404, "denied", ("case", case_id),
            owner="market"),
        Try("an officer", "officer", "DELETE", url, 403, "denied", ("case", case_id)),
        Try("no such participation", "head", "DELETE", f"{CASES}{case_id}/participants/99999/", 404, "denied",
            ("case", case_id)),
        Try("ended", "head", "DELETE", url, 204, "allowed", ("case", case_id)),
        Try("ended already", "head", "DELETE", url, 404, "denied", ("case", case_id)),
    ]


def ask_assistance(api, cast):
    case_id = _shared_case(api, cast)
    url = f"{CASES}{case_id}/assistance/"
    ask = {"to_agency": cast.jingzhou.pk, "subject": "核查进货渠道", "details": "请核实供货票据。",
           "due_on": (timezone.localdate() + timedelta(days=5)).isoformat()}
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), ask,
            owner="market"),
        Try("a reader only", "outsider", "POST", url, 403, "denied", ("case", case_id), ask),
        Try("due yesterday", "officer", "POST", url, 400, "denied", ("case", case_id),
            {**ask, "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()}),
        Try("asked", "officer", "POST", url, 201, "allowed", _id("assistance"), ask, owner="market"),
    ]


def propose_transfer(api, cast):
    case_id = _shared_case(api, cast)
    url = f"{CASES}{case_id}/transfers/"
    to_police = {"kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌犯罪",
                 "materials": ALL_MATERIALS}
    return [
        Try("another agency's case", "police_officer", "POST", url, 404, "denied", ("case", case_id), to_police,
            owner="market"),
        Try("a reader only", "outsider", "POST", url, 403, "denied", ("case", case_id), to_police),
        Try("a crime to copyright", "officer", "POST", url, 400, "denied", ("case", case_id),
            {**to_police, "to_agency": cast.copyright.pk}),
        Try("a file of no case", "officer", "POST", url, 400, "denied", ("case", case_id),
            {**to_police, "materials": [{"kind": "clue", "title": "x", "file": 99999}]}),
        Try("proposed", "officer", "POST", url, 201, "allowed", _id("transfer"), to_police, owner="market"),
        Try("one under way", "officer", "POST", url, 409, "denied", ("case", case_id), to_police),
    ]


# --- transfers and supervision ------------------------------------------------------

def transfer_step(api, cast):
    tid = _propose(api, cast, open_filed_case(api, cast))
    url = f"{TRANSFERS}{tid}/steps/"
    obj = ("transfer", tid)
    return [
        Try("not sent to the police yet", "police_liaison", "POST", url, 404, "denied", obj, {"step": "approve"},
            owner="market"),
        Try("an officer approves", "officer", "POST", url, 403, "denied", obj, {"step": "approve"}),
        Try("sent before approval", "head", "POST", url, 409, "denied", obj, {"step": "send"},
            action="transfer.send"),
        Try("a stale version", "head", "POST", url, 409, "denied", obj, {"step": "approve", "version": 0}),
        Try("a field of no step", "head", "POST", url, 400, "denied", obj, {"step": "approve", "teleport": 1}),
        Try("a reason missing", "head", "POST", url, 400, "denied", obj, {"step": "reject"},
            action="transfer.reject"),
        Try("approved", "head", "POST", url, 200, "allowed", obj, {"step": "approve"}),
    ]


def add_material(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    url = f"{TRANSFERS}{tid}/materials/"
    obj = ("transfer", tid)
    material = {"kind": "other", "title": "鉴定意见原件"}
    return [
        Try("the receiver adds", "police_liaison", "POST", url, 403, "denied", obj, material),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, material, owner="market"),
        Try("after sending", "officer", "POST", url, 409, "denied", obj, material),
        lambda: step(api, cast.police_liaison, tid, "return", reason="请补充鉴定意见原件"),
        Try("another case's file", "officer", "POST", url, 400, "denied", obj,
            {**material, "file": _upload(api, cast, open_filed_case(api, cast))}),
        Try("added", "officer", "POST", url, 201, "allowed", obj, material),
    ]


def hand_over(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    url = f"{TRANSFERS}{tid}/hand-over/"
    obj = ("transfer", tid)
    note = {"note": "涉案白酒及案卷已移交"}
    return [
        Try("before acceptance", "officer", "POST", url, 409, "denied", obj, note),
        lambda: step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕52号"),
        Try("the receiver records it", "police_liaison", "POST", url, 403, "denied", obj, note),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, note, owner="market"),
        Try("no note", "officer", "POST", url, 400, "denied", obj, {"note": ""}),
        Try("handed over", "officer", "POST", url, 200, "allowed", obj, note),
        Try("twice", "officer", "POST", url, 409, "denied", obj, note),
    ]


def request_supervision(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    url = f"{TRANSFERS}{tid}/request-supervision/"
    obj = ("transfer", tid)
    reason = {"reason": "请检察院监督"}
    return [
        Try("before a refusal", "head", "POST", url, 409, "denied", obj, reason),
        lambda: step(api, cast.police_liaison, tid, "refuse", reason="不构成犯罪"),
        Try("an officer asks", "officer", "POST", url, 403, "denied", obj, reason),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, reason, owner="market"),
        Try("asked", "head", "POST", url, 200, "allowed", obj, reason),
    ]


def issue_opinion(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    url = f"{TRANSFERS}{tid}/opinions/"
    obj = ("transfer", tid)
    opinion = {"kind": "explain_refusal", "opinion": "请说明不立案理由。"}
    return [
        Try("the sender issues", "officer", "POST", url, 403, "denied", obj, opinion),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, opinion, owner="market"),
        Try("no such kind", "procurator", "POST", url, 400, "denied", obj, {**opinion, "kind": "praise"}),
        Try("issued", "procurator", "POST", url, 201, "allowed", obj, opinion),
    ]


def reply_to_opinion(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    opinion = as_(api, cast.procurator).post(f"{TRANSFERS}{tid}/opinions/", {
        "kind": "explain_refusal", "opinion": "请说明不立案理由。"}, format="json").json()["id"]
    url = f"{TRANSFERS}{tid}/opinions/{opinion}/reply/"
    obj = ("transfer", tid)
    reply = {"response": "经审查，未达追诉标准。"}
    return [
        Try("the sender replies", "officer", "POST", url, 403, "denied", obj, reply),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, reply, owner="market"),
        Try("no such opinion", "police_liaison", "POST", f"{TRANSFERS}{tid}/opinions/99999/reply/", 404, "denied",
            obj, reply),
        Try("replied", "police_liaison", "POST", url, 200, "allowed", obj, reply),
        Try("twice", "police_liaison", "POST", url, 409, "denied", obj, reply),
    ]


# --- assistance ---------------------------------------------------------------------

def answer_assistance(api, cast):
    item = _ask(api, cast, open_filed_case(api, cast))
    url = f"{ASSISTANCE}{item}/answer/"
    obj = ("assistance", item)
    return [
        Try("the asker answers", "officer", "POST", url, 403, "denied", obj, {"answer": "自答"}, "multipart"),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, {"answer": "x"}, "multipart",
            owner="market"),
        Try("an executable attached", "jingzhou_liaison", "POST", url, 400, "denied", obj,
            {"answer": "见附件", "files": [SimpleUploadedFile("票据.pdf", EXE)]}, "multipart"),
        Try("answered", "jingzhou_liaison", "POST", url, 200, "allowed", obj,
            {"answer": "共供货三批", "files": [SimpleUploadedFile("票据.pdf", PDF)]}, "multipart"),
        Try("twice", "jingzhou_liaison", "POST", url, 409, "denied", obj, {"answer": "再答"}, "multipart"),
    ]


def decline_assistance(api, cast):
    item = _ask(api, cast, open_filed_case(api, cast))
    url = f"{ASSISTANCE}{item}/decline/"
    obj = ("assistance", item)
    return [
        Try("the asker declines", "officer", "POST", url, 403, "denied", obj, {"reason": "x"}),
        Try("an unrelated agency", "outsider", "POST", url, 404, "denied", obj, {"reason": "x"}, owner="market"),
        Try("no reason", "jingzhou_liaison", "POST", url, 400, "denied", obj, {"reason": ""}),
        Try("declined", "jingzhou_liaison", "POST", url, 200, "allowed", obj, {"reason": "不属于本局职责"}),
        Try("twice", "jingzhou_liaison", "POST", url, 409, "denied", obj, {"reason": "再拒"}),
    ]


# --- reads of personal data ----------------------------------------------------------

def read_case(api, cast):
    case_id = open_filed_case(api, cast)
    return [
        Try("another agency's case", "police_officer", "GET", f"{CASES}{case_id}/", 404, "denied", ("case", case_id),
            owner="market"),
        Try("none such", "police_officer", "GET", f"{CASES}99999/", 404, "denied", ("case", 99999)),
        Try("read", "officer", "GET", f"{CASES}{case_id}/", 200, "allowed", ("case", case_id), owner="market"),
    ]


def read_parties(api, cast):
    case_id = open_filed_case(api, cast)
    as_(api, cast.officer).post(f"{CASES}{case_id}/parties/", {"role": "respondent", "kind": "individual",
                                                               "name": "张三", "id_number": VALID_ID_NUMBER},
                                format="json")
    url = f"{CASES}{case_id}/parties/"
    return [
        Try("another agency's case", "police_officer", "GET", url, 404, "denied", ("case", case_id), owner="market"),
        Try("read", "officer", "GET", url, 200, "allowed", ("case", case_id)),
    ]


def download_file(api, cast):
    file_id = _upload(api, cast, open_filed_case(api, cast))
    url = f"{FILES}{file_id}/download/"
    return [
        Try("another agency's file", "police_officer", "GET", url, 404, "denied", ("file", file_id), owner="market"),
        Try("downloaded", "officer", "GET", url, 200, "allowed", ("file", file_id), owner="market"),
    ]


def read_custody(api, cast):
    file_id = _upload(api, cast, open_filed_case(api, cast))
    url = f"{FILES}{file_id}/custody/"
    return [
        Try("another agency's file", "police_officer", "GET", url, 404, "denied", ("file", file_id), owner="market"),
        Try("read", "officer", "GET", url, 200, "allowed", ("file", file_id)),
    ]


def read_audit_log(api, cast):
    return [
        Try("an officer", "officer", "GET", AUDIT, 403, "denied", ("audit", "")),
        Try("read", "auditor", "GET", AUDIT, 200, "allowed", ("audit", "")),
    ]


ROWS = [
    Row("POST", "case-list", "case.create", create_case),
    Row("PATCH", "case-detail", "case.update", update_case),
    Row("POST", "case-transitions", "case.start_investigation", transition),
    Row("POST", "case-parties", "case.add_party", add_party),
    Row("POST", "case-notes", "case.add_note", add_note),
    Row("POST", "case-files", "file.upload", upload_file),
    Row("POST", "case-participants", "case.add_participant", add_participant),
    Row("DELETE", "case-end-participant", "case.end_participant", end_participant),
    Row("POST", "case-assistance", "assistance.ask", ask_assistance),
    Row("POST", "case-transfers", "transfer.propose", propose_transfer),
    Row("POST", "transfer-steps", "transfer.approve", transfer_step),
    Row("POST", "transfer-materials", "transfer.add_material", add_material),
    Row("POST", "transfer-hand-over", "transfer.hand_over", hand_over),
    Row("POST", "transfer-request-supervision", "transfer.request_supervision", request_supervision),
    Row("POST", "transfer-opinions", "transfer.opinion", issue_opinion),
    Row("POST", "transfer-reply", "transfer.reply_to_opinion", reply_to_opinion),
    Row("POST", "assistance-answer", "assistance.answer", answer_assistance),
    Row("POST", "assistance-decline", "assistance.decline", decline_assistance),
]
READS = [
    Row("GET", "case-detail", "case.read", read_case),
    Row("GET", "case-parties", "case.read_parties", read_parties),
    Row("GET", "file-download", "file.download", download_file),
    Row("GET", "file-custody", "file.custody", read_custody),
    Row("GET", "audit-list", "audit.read", read_audit_log),
]


@pytest.mark.parametrize("row", ROWS + READS, ids=lambda r: f"{r.method} {r.url_name}")
def test_each_act_is_audited_once_allowed_or_denied(api, cast, row):
    tries = row.build(api, cast)
    assert any(isinstance(t, Try) and t.result == "allowed" for t in tries)
    assert any(isinstance(t, Try) and t.result == "denied" for t in tries)
    for t in tries:
        if not isinstance(t, Try):
            t()  # a step that sets the scene
            continue
        match = resolve(t.path.split("?")[0])
        assert (match.url_name, t.method) == (row.url_name, row.method), t.label  # the table names its route
        run(api, cast, t, row.action)


def _case_domain_routes():
    """(method, route name) of every route the case domain's API serves."""
    routes = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = pattern.callback
                cls = getattr(view, "cls", None)
                if cls is None or not cls.__module__.startswith("casehub.api") or "format" in str(pattern.pattern):
                    continue
                methods = getattr(view, "actions", None) or {m: m for m in cls.http_method_names}
                allowed = {m for m in methods if m in cls.http_method_names and m not in ("head", "options")}
                routes.update((m.upper(), pattern.name) for m in allowed)

    walk(get_resolver().url_patterns)
    return routes


def test_the_table_names_every_write_route_of_the_case_domain():
    writes = {route for route in _case_domain_routes() if route[0] in WRITES}
    assert writes, "the walk found no routes"
    assert writes == {(r.method, r.url_name) for r in ROWS}


def test_the_reads_of_personal_data_are_routes():
    assert {(r.method, r.url_name) for r in READS} <= _case_domain_routes()


def test_no_put_anywhere_in_the_case_domain():
    # PATCH edits; a PUT would be a second, unaudited way to.
    assert not any(method == "PUT" for method, _ in _case_domain_routes())
