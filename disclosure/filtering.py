"""The filters the disclosure lists share (the desk's records and credit
repairs, the public portal): a date range, and an enterprise by name or
credit code."""

from django.db.models import Q


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
