"""Case numbers in the official style: 宜市监知立〔2026〕12号 — the agency's
prefix, the year in 〔〕, a number that restarts each year."""

from django.db import transaction

from .models import CaseNumberSequence


def format_case_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def next_case_number(agency, year: int) -> str:
    """Take the agency's next number for the year. The sequence row is
    locked until the caller's transaction ends, so numbers never repeat and
    a rolled-back case gives its number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering must run inside the transaction that creates the case")
    CaseNumberSequence.objects.get_or_create(agency=agency, year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return format_case_number(agency.effective_case_number_prefix(), year, sequence.last)
