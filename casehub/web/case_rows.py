"""A list row for people: the listing's row (casehub/listing/rows.py, the
API's shape) with the names of its codes, for the web table and the export."""

from ..vocabulary import Campaign, CaseKind, CaseSource, IpType

_LABELS = {name: dict(choices.choices) for name, choices in
           (("ip_type", IpType), ("kind", CaseKind), ("source", CaseSource), ("campaign", Campaign))}


def with_labels(row: dict) -> dict:
    """The row with `<code>_display` for its coded values (blank for none)."""
    for name, labels in _LABELS.items():
        value = row.get(name)
        row[f"{name}_display"] = str(labels.get(value, value)) if value else ""
    return row
