"""A list row for people: the listing's row (casehub/listing/rows.py, the
API's shape) with the names of its codes, for the web table and the export."""

from django.utils.translation import get_language

from ..vocabulary import Campaign, CaseKind, CaseSource, IpType

_CHOICES = (("ip_type", IpType), ("kind", CaseKind), ("source", CaseSource), ("campaign", Campaign))
_labels: dict[str, dict[str, dict[str, str]]] = {}  # language -> name -> code -> label


def _labels_now() -> dict[str, dict[str, str]]:
    # Translated once per language, not once per row and cell.
    language = get_language()
    if language not in _labels:
        _labels[language] = {name: {value: str(label) for value, label in choices.choices}
                             for name, choices in _CHOICES}
    return _labels[language]


def with_labels(row: dict) -> dict:
    """The row with `<code>_display` for its coded values (blank for none)."""
    for name, names in _labels_now().items():
        value = row.get(name)
        row[f"{name}_display"] = names.get(value, value) if value else ""
    return row
