"""What the public credit portal reads: the public set searched and filtered
(the same rule as the public API's list), a page of it with its total, a
record (its revisions: history.revisions). Everything shown goes through
services.snapshot, the one statement of what the public may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from agencies.models import Agency
from casehub.rules.identifiers import CREDIT_CODE_ALPHABET

from . import services
from .filtering import within
from .models import DisclosureRecord

PAGE_SIZE = 20
# Public and anonymous: a deep page is a narrower search, not page 5,000.
MAX_PAGE = 100


def looks_like_credit_code(text: str) -> bool:
    """18 characters of the code's alphabet: meant as a code, to be checked."""
    text = text.strip().upper()
    return len(text) == 18 and all(c in CREDIT_CODE_ALPHABET for c in text)


def search(records, data: dict):
    """`records` narrowed by the filters (cleaned values: q, agency code,
    ip_type, decided_after, decided_before), newest publication first.
    Enterprises only are found by text: an individual never by name. Text
    that is a code's 18 characters is looked up by code (on its index; no
    name holds one), anything else in the names."""
    text = (data.get("q") or "").strip()
    if text:
        by = Q(credit_code=text.upper()) if looks_like_credit_code(text) else Q(party_name__icontains=text)
        records = records.filter(Q(party_kind="enterprise") & by)
    if data.get("agency"):
        records = records.filter(agency__code=data["agency"])
    if data.get("ip_type"):
        records = records.filter(ip_type=data["ip_type"])
    records = within(records, data, "decision_date", "decided_after", "decided_before")
    return records.order_by("-published_on", "-id")


@dataclass(frozen=True)
class Page:
    rows: list[dict]  # snapshots
    number: int
    total: int
    pages: int  # how many may be opened (at most MAX_PAGE)
    capped: bool  # more records match than MAX_PAGE pages show


def page_of(data: dict, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of the public set for the filters: two queries (the count,
    the rows with their agencies) whatever the page size."""
    records = search(services.public_records().select_related("agency"), data)
    total = records.count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages, MAX_PAGE)
    rows = [services.snapshot(r) for r in records[(number - 1) * size: number * size]] if total else []
    return Page(rows, number, total, min(pages, MAX_PAGE), pages > MAX_PAGE)


def deciding_agencies() -> list[tuple[str, str]]:
    """(code, name) of the agencies that have disclosure records, for the
    agency filter: one query, an index probe per agency."""
    has_records = DisclosureRecord.objects.filter(agency=OuterRef("pk"))
    return list(Agency.objects.filter(Exists(has_records)).order_by("region_id", "code")
                .values_list("code", "name"))


def public_record(pk: int) -> DisclosureRecord | None:
    """The record if it is public now (withdrawn, repaired, expired or
    never published: None, and the page is a 404 like an unknown id)."""
    return services.public_records().select_related("agency").filter(pk=pk).first()

