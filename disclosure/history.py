"""A disclosure's revision history, from one source: DisclosureRevision,
the snapshots the public saw, revision by revision (written with each
public change, services._change). The agency desk shows each revision's
snapshot; the public portal only the publication, then each correction's
day, note and which published fields it changed (never the old values,
which are no longer public). The audit log is not read: archiving it does
not shorten a history."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import DisclosureChange, DisclosureRecord

# The published fields (services.snapshot's keys) a correction may change,
# in the order the public page lists them; two keys may share a label.
FIELD_LABELS = {
    "decision_number": _("decision document number"), "party_kind": _("party"), "party_name": _("party"),
    "credit_code": _("unified social credit code"), "violation_type": _("violation type"),
    "legal_basis": _("legal basis"), "penalties": _("penalties"), "fine_amount": _("fine amount"),
    "confiscated_amount": _("confiscated amount"), "ip_type": _("IP type"), "agency": _("deciding agency"),
    "agency_code": _("deciding agency"), "decision_date": _("decision date"), "published_on": _("publication date"),
    "publicity_ends_on": _("publicity ends on"),
}
# Bookkeeping, not a field that changed: the id, the revision, its note.
NOT_COMPARED = ("id", "revision", "correction_note")


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """The published fields whose values differ between two consecutive
    snapshots (none for the first)."""
    if before is None:
        return []
    keys = [k for k in FIELD_LABELS if k in before or k in after]
    keys += sorted(k for k in {*before, *after} - set(FIELD_LABELS) - set(NOT_COMPARED))
    return [k for k in keys if before.get(k) != after.get(k)]


def field_labels(names) -> str:
    """The changed fields' labels for a page, each once: 罚款金额、公示截止日期."""
    labels = []
    for name in names:
        label = str(FIELD_LABELS.get(name, name))
        if label not in labels:
            labels.append(label)
    return "、".join(labels)


def revisions(record: DisclosureRecord, *, public: bool) -> list[dict]:
    """The record's revisions, oldest first (one query): revision, kind
    (published/corrected), on (the publication's day, a correction's
    moment), note, changed (field names) and changed_labels. With
    public=False each also carries its snapshot, for the agency; with
    public=True nothing of an earlier revision's values is in it."""
    rows = record.revisions.order_by("revision").values_list("revision", "kind", "at", "note", "snapshot")
    history, previous = [], None
    for number, kind, at, note, snap in rows:
        changed = changed_fields(previous, snap)
        on = at
        if kind == DisclosureChange.Kind.PUBLISHED and snap.get("published_on"):
            on = date.fromisoformat(snap["published_on"])  # the day it was published, as the public was told
        entry = {"revision": number, "kind": kind, "on": on, "at": at, "note": note, "changed": changed,
                 "changed_labels": field_labels(changed)}
        if not public:
            entry["snapshot"] = snap
        history.append(entry)
        previous = snap
    if public and (not history or history[0]["revision"] != 1) and record.published_on:
        # Revisions older than the table (migration 0004 kept the current one alone): the publication still shows.
        history.insert(0, {"revision": 1, "kind": DisclosureChange.Kind.PUBLISHED, "on": record.published_on,
                           "at": None, "note": "", "changed": [], "changed_labels": ""})
    return history
