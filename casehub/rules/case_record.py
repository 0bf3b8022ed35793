"""What a case's record must satisfy, whoever writes it (the API, the web
UI, a script): the order of its dates, its parties' identifiers, the reasons
its clock may stop for. Plain functions returning errors by field; the case
service raises them as one `Refused`.

Dates: a lead is not received in the future, a case is not filed before its
lead arrived, a decision does not precede the filing
(《市场监督管理行政处罚程序规定》 arts. 18, 57); identifiers by GB 32100-2015
and GB 11643-1999 (identifiers.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _

from ..vocabulary import ClockStopReason, PartyKind, PartyRole
from .identifiers import is_valid_credit_code, is_valid_id_number, mask_id_number

Errors = dict[str, list[str]]

# The clock stops by the stop_clock action for these; suspension stops it by
# the suspend action only.
STOP_CLOCK_REASONS = frozenset(ClockStopReason.values) - {ClockStopReason.SUSPENSION}


def record_errors(data: Mapping, *, today: date) -> Errors:
    """A case's own fields, as created or edited."""
    errors: Errors = {}
    received = data.get("lead_received_on")
    if received is not None and received > today:
        errors["lead_received_on"] = [str(_("A lead cannot be received in the future."))]
    return errors


def clean_party(data: Mapping) -> tuple[dict, Errors]:
    """A party's data with its identifiers normalised (upper case, no
    surrounding blanks), and what is wrong with it."""
    party = dict(data)
    for name in ("credit_code", "id_number"):
        if party.get(name):
            party[name] = str(party[name]).strip().upper()
    errors: Errors = {}
    if party.get("credit_code") and not is_valid_credit_code(party["credit_code"]):
        errors["credit_code"] = [str(_("This is not a valid unified social credit code (GB 32100-2015)."))]
    if party.get("id_number") and not is_valid_id_number(party["id_number"]):
        errors["id_number"] = [str(_("This is not a valid resident ID number (GB 11643-1999)."))]
    if party.get("kind") == PartyKind.ENTERPRISE and party.get("id_number"):
        errors.setdefault("id_number", []).append(str(_("An enterprise has a credit code, not an ID number.")))
    if party.get("kind") == PartyKind.INDIVIDUAL and party.get("credit_code"):
        errors.setdefault("credit_code", []).append(str(_("An individual has an ID number, not a credit code.")))
    return party, errors


def party_as_shown(party, *, full_ids: bool, informants: bool) -> dict:
    """A party as a reader is shown it: an informant's identity only to the
    owner's reviewers and head, a full resident ID number (and an
    individual's contact) only to the owning agency; others see a mask."""
    data = {
        "id": party.id, "role": party.role, "kind": party.kind, "name": party.name,
        "credit_code": party.credit_code, "id_number": party.id_number, "address": party.address,
        "legal_representative": party.legal_representative, "contact": party.contact,
    }
    if party.role == PartyRole.INFORMANT and not informants:
        return {"id": party.id, "role": party.role, "kind": party.kind, "name": str(_("(confidential)")),
                "credit_code": "", "id_number": "", "address": "", "legal_representative": "", "contact": ""}
    if party.id_number and not full_ids:
        data["id_number"] = mask_id_number(party.id_number)
        data["contact"] = ""
    return data


def action_errors(name: str, data: Mapping, *, today: date, lead_received_on: date | None,
                  filed_on: date | None) -> Errors:
    """The dates and reasons a workflow action carries, against the case's
    own dates (which fields an action takes is workflow.py's business)."""
    errors: Errors = {}
    for field in ("filed_on", "decision_date", "meeting_date"):
        if data.get(field) and data[field] > today:
            errors[field] = [str(_("This date cannot be in the future."))]
    if data.get("filed_on") and lead_received_on and data["filed_on"] < lead_received_on:
        errors.setdefault("filed_on", []).append(str(_("A case cannot be filed before its lead was received.")))
    if data.get("decision_date") and filed_on and data["decision_date"] < filed_on:
        errors.setdefault("decision_date", []).append(str(_("The decision cannot precede the filing.")))
    if name == "stop_clock" and data.get("reason") not in STOP_CLOCK_REASONS:
        errors["reason"] = [str(_("Choose why the clock stops: %(choices)s") % {
            "choices": ", ".join(sorted(STOP_CLOCK_REASONS))})]
    if data.get("due_on") and data["due_on"] <= today:
        errors["due_on"] = [str(_("The new due date must be in the future."))]
    return errors
