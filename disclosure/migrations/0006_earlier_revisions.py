from datetime import date
from decimal import Decimal

from django.db import migrations

from disclosure.rules.publicity import publicity_ends_on

# The snapshot's keys a correction can change (services.CORRECTABLE less
# `field`, which is not public but sets the period).
SHOWN = ("decision_number", "legal_basis", "penalties", "fine_amount", "confiscated_amount")


def earlier_revisions(apps, schema_editor=None):
    """0004 kept a public record's current revision alone. Its earlier ones
    are rebuilt, newest to oldest, from the current snapshot and the
    corrections' audit entries (each holds the values it replaced), while
    those entries are still online: the public history then no longer needs
    the audit log. A gap (an entry archived) stops a record's walk; nothing
    is guessed. Rows that exist are left as they are."""
    Record = apps.get_model("disclosure", "DisclosureRecord")
    Revision = apps.get_model("disclosure", "DisclosureRevision")
    AuditEntry = apps.get_model("casehub", "AuditEntry")
    for record in Record.objects.filter(status="published", revision__gt=1).iterator():
        have = {r.revision: r for r in Revision.objects.filter(record=record)}
        current = have.get(record.revision)
        if current is None or all(n in have for n in range(1, record.revision)):
            continue
        entries = {}
        approved_at = None
        for action, at, detail in AuditEntry.objects.filter(
                object_type="disclosure", object_id=str(record.pk), result="allowed",
                action__in=["disclosure.correct", "disclosure.approve"]).order_by("seq").values_list(
                "action", "at", "detail"):
            if action == "disclosure.approve":
                approved_at = at
            elif (detail or {}).get("revision", 1) >= 2:
                entries[detail["revision"]] = (at, detail)
        snap, field = dict(current.snapshot), record.field
        for number in range(record.revision, 1, -1):  # from revision `number` back to number - 1
            if number not in entries:
                break
            before = entries[number][1].get("before") or {}
            snap = {**snap, **{k: v for k, v in before.items() if k in SHOWN}, "revision": number - 1}
            field = before.get("field", field)
            earlier = entries.get(number - 1)
            snap["correction_note"] = (earlier[1].get("note") or "")[:500] if earlier else ""
            if snap.get("published_on"):
                fine = Decimal(snap["fine_amount"]) if snap.get("fine_amount") is not None else None
                snap["publicity_ends_on"] = publicity_ends_on(
                    date.fromisoformat(snap["published_on"]), snap["penalties"], fine, record.party_kind,
                    field).isoformat()
            if number - 1 in have:  # kept already: walk on from what it holds
                snap = dict(have[number - 1].snapshot)
                continue
            kind = "corrected" if number - 1 >= 2 else "published"
            at = earlier[0] if earlier else (approved_at or record.created_at)
            Revision.objects.create(record=record, revision=number - 1, kind=kind, snapshot=snap, at=at,
                                    note=snap["correction_note"] if kind == "corrected" else "")


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0005_public_portal_order"),
    ]

    operations = [
        migrations.RunPython(earlier_revisions, migrations.RunPython.noop),
    ]
