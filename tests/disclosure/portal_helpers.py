"""For the portal's tests: public records made fast (copies of one made
through the services), and a scanner of public bodies for what must never
be public."""

from __future__ import annotations

import re
from datetime import timedelta

from casehub.models import Party
from casehub.rules.identifiers import credit_code_check_char, is_valid_id_number
from disclosure import services
from disclosure.models import DisclosureRecord

from .helpers import decided_case

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(n: int) -> str:
    body = f"91420500MA{''.join(ALPHABET[(n // 31 ** k) % 31] for k in range(7))}"
    return body + credit_code_check_char(body)


def publish_case(office, **kwargs):
    """A decided case (helpers.decided_case) with every record approved."""
    case = decided_case(office, **kwargs)
    for record in DisclosureRecord.objects.filter(case=case):
        services.approve(actor=office.head, record_id=record.pk)
    return case


def copies(record: DisclosureRecord, n: int, *, start: int = 0, name="宜昌复制商贸有限公司", **fields) -> list:
    """n more public records like `record` (enterprises of its case, each
    its own party and code), published a day apart before it, newest last."""
    parties = Party.objects.bulk_create([
        Party(case_id=record.case_id, role="respondent", kind="enterprise", name=f"{name}{start + i}",
              credit_code=credit_code(start + i)) for i in range(n)])
    skip = {"id", "party", "party_name", "credit_code", "party_kind", "decision_number"}
    base = {f.attname: getattr(record, f.attname) for f in DisclosureRecord._meta.concrete_fields
            if f.name not in skip and f.attname not in skip}
    return DisclosureRecord.objects.bulk_create([DisclosureRecord(**{
        **base, "party_id": party.pk, "party_kind": "enterprise", "party_name": party.name,
        "credit_code": party.credit_code, "decision_number": f"宜市监处罚〔2026〕{1000 + start + i}号",
        "published_on": record.published_on - timedelta(days=n - i), **fields,
    }) for i, party in enumerate(parties)])


# --- the scanner ---------------------------------------------------------------------------
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def leaks(body: str, *, secrets=(), allowed=()) -> list[str]:
    """What of the never-public is in `body`: every 18-character run that
    is a resident ID number with a valid check digit (GB 11643) and a real
    birth date, and every secret string (full individual names, informants,
    officers, facts) — unless it is part of something `allowed` (a masked
    name is not its full name; an enterprise's credit code is public)."""
    found = [f"ID number {m}" for m in _ID_LIKE.findall(body) if is_valid_id_number(m)]
    cleaned = body
    for public in sorted(allowed, key=len, reverse=True):
        cleaned = cleaned.replace(public, "")
    found += [f"secret {s!r}" for s in secrets if s and s in cleaned]
    return found


def body_of(response) -> str:
    """A response's body as text (a stream read to its end); a JSON body
    also with its strings unescaped, so that \\u escapes hide nothing."""
    import json

    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text
