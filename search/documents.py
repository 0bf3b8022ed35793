"""What the search index holds for a case.

Never a resident ID number, never an informant. `visible_to` lists every
agency that may see the case (the owner and every view grant: the access
module's rule, casehub/access.py agencies_granted), so the search
query itself filters by permission: hits, totals, facets and highlights
never count a case the searcher may not see. The text read from PDF and
DOCX evidence (search/file_text.py) is part of the document, so the same
`visible_to` scopes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from agencies.models import Region
from casehub import access
from casehub.models import Case
from casehub.vocabulary import PartyRole

from .models import FileText

# A document's file text, all files together, stays below Elasticsearch's
# highlighting limit (index.highlight.max_analyzed_offset, 1,000,000) and
# keeps a batch of documents in memory bounded; files count in upload order.
MAX_FILE_TEXT = 500_000


def _region_paths() -> dict[str, list[str]]:
    parents = dict(Region.objects.values_list("code", "parent_id"))
    paths = {}
    for code in parents:
        path, node = [], code
        while node:
            path.append(node)
            node = parents.get(node)
        paths[code] = path
    return paths


def build(case_ids: Iterable[int]) -> dict[int, dict | None]:
    """Documents for these cases, in a constant number of queries; None for
    a case that no longer exists (to be removed from the index)."""
    ids = list(case_ids)
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=ids)
        .select_related("owning_agency")
        .prefetch_related("parties", "notes", "files")
    }
    # The access module's rule: the owner and every agency holding a view grant.
    granted = access.agencies_granted(ids)
    paths = _region_paths()
    texts = _file_texts(ids)
    return {case_id: (_document(cases[case_id], granted.get(case_id, set()), paths, texts.get(case_id, []))
                      if case_id in cases else None)
            for case_id in ids}


def _file_texts(ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    room: dict[int, int] = {}
    rows = (FileText.objects.filter(file__case_id__in=ids).exclude(text="").order_by("file_id")
            .values_list("file__case_id", "text"))
    for case_id, text in rows:
        left = room.setdefault(case_id, MAX_FILE_TEXT)
        if left > 0:
            texts.setdefault(case_id, []).append(text[:left])
            room[case_id] = left - len(text)
    return texts


def _document(case: Case, granted: set[int], paths, file_text: list[str]) -> dict:
    parties = [p for p in case.parties.all() if p.role != PartyRole.INFORMANT]
    decision = " ".join(filter(None, [case.decision_number, case.legal_basis, case.decision_reason]))
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "facts": case.facts,
        "party_names": [p.name for p in parties],
        "credit_codes": [p.credit_code for p in parties if p.credit_code],
        "decision": decision,
        "notes": [n.text for n in case.notes.all()],
        "file_names": [f.name for f in case.files.all()],
        "file_text": file_text,
        "visible_to": sorted({case.owning_agency_id, *granted}),
        "agency": case.owning_agency_id,
        "agency_name": case.owning_agency.name,
        "status": case.status,
        "ip_type": case.ip_type,
        "kind": case.kind,
        "region": case.region_id,
        "regions": paths.get(case.region_id, [case.region_id]),
        "year": case.lead_received_on.year,
        "lead_received_on": case.lead_received_on.isoformat(),
        "filed_on": case.filed_on.isoformat() if case.filed_on else None,
        "decision_date": case.decision_date.isoformat() if case.decision_date else None,
        "updated_at": case.updated_at.isoformat(),
        "amount": float(case.amount_involved) if case.amount_involved is not None else None,
        "campaign": case.campaign or None,
        "version": case.index_version,
    }
