"""Upsert the cluster structure (agencies/seed/cluster.py). Idempotent: a row
whose fields already match is not saved again, so a second run changes
nothing — not even `updated` timestamps."""

from django.db import transaction

from ..models import Agency, Region
from . import cluster


def _upsert(model, lookup: dict, fields: dict, counts: dict, label: str) -> object:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **fields)
        obj.full_clean()
        obj.save()
        counts[f"{label}_created"] += 1
    elif any(getattr(obj, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        counts[f"{label}_updated"] += 1
    return obj


@transaction.atomic
def seed_agencies() -> dict[str, int]:
    counts = dict.fromkeys(("regions_created", "regions_updated", "agencies_created", "agencies_updated"), 0)
    for code, name, level, parent, has_gb_code in cluster.regions():
        fields = {"name": name, "level": level, "parent_id": parent, "has_gb_code": has_gb_code}
        _upsert(Region, {"code": code}, fields, counts, "regions")
    ids: dict[str, int] = {}
    for kind, code, name, short_name, region, parent in cluster.agencies():
        fields = {
            "kind": kind, "name": name, "short_name": short_name, "region_id": region,
            "parent_id": ids[parent] if parent else None,
        }
        ids[code] = _upsert(Agency, {"code": code}, fields, counts, "agencies").pk
    return counts
