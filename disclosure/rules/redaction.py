"""What of a penalty decision the public sees. An enterprise is shown by
name and credit code; an individual by a masked name only (张三 → 张*),
never an ID number. Never informants, facts, evidence or officers."""

from __future__ import annotations

from casehub.rules.identifiers import mask_person_name


def public_party(kind: str, name: str, credit_code: str) -> dict:
    if kind == "enterprise":
        return {"party_kind": kind, "party_name": name, "credit_code": credit_code or ""}
    return {"party_kind": kind, "party_name": mask_person_name(name), "credit_code": ""}
