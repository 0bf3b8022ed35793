"""The filters the disclosure lists share (the desk's records and credit
repairs, the public portal): a date range, and an enterprise by name or
credit code."""

from django.db.models import Q

from .models import RecordStatus, WithdrawnReason


def within(queryset, data: dict, field: str, after: str, before: str):
    """`queryset` with `field` on or after data[after] and on or before data[before] (each when given)."""
    if data.get(after):
        queryset = queryset.filter(**{f"{field}__gte": data[after]})
    if data.get(before):
        queryset = queryset.filter(**{f"{field}__lte": data[before]})
    return queryset


def of_party(queryset, text: str | None, prefix: str = ""):
    """`queryset` whose record's party name holds `text` or whose credit code is it (no filter when blank)."""
    party = (text or "").strip()
    if not party:
        return queryset
    return queryset.filter(Q(**{f"{prefix}party_name__icontains": party}) | Q(**{f"{prefix}credit_code": party.upper()}))


def desk_records(queryset, data: dict):
    """The disclosure desk's records of `queryset` for its cleaned filters."""
    status = data.get("status")
    if status == "corrected":
        queryset = queryset.filter(revision__gt=1, status__in=[RecordStatus.PUBLISHED, RecordStatus.EXPIRED])
    elif status == "revoked":
        queryset = queryset.filter(status=RecordStatus.WITHDRAWN, withdrawn_reason=WithdrawnReason.REVOKED)
    elif status:
        queryset = queryset.filter(status=status)
    if data.get("late"):
        queryset = queryset.filter(late=data["late"] == "true")
    if data.get("ip_type"):
        queryset = queryset.filter(ip_type=data["ip_type"])
    queryset = within(queryset, data, "decision_date", "decided_after", "decided_before")
    return of_party(queryset, data.get("enterprise"))


def desk_repairs(queryset, data: dict):
    """The credit-repair desk's applications of `queryset` for its cleaned filters."""
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    queryset = within(queryset, data, "applied_on", "applied_after", "applied_before")
    return of_party(queryset, data.get("enterprise"), prefix="record__")
