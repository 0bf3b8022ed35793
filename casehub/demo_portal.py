"""Demo data for the public credit portal: the demo's penalty decisions
published through the disclosure service, as each agency's head approves
them a week or two after the decision (those of the last two weeks left
awaiting review, the disclosure desk's work), one per agency corrected after
an administrative reconsideration, and the periods that have run out since
expired. Run after the demo cases (seed_demo), once."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import Membership
from agencies.roles import Role

RECENT_DAYS = 14  # decisions this recent are left awaiting review


def seed_portal_disclosures() -> int:
    """Publish the demo's decisions unless some are public already. Returns how many were published."""
    from disclosure import services
    from disclosure.models import DisclosureRecord, RecordStatus

    if DisclosureRecord.objects.filter(status=RecordStatus.PUBLISHED).exists():
        return 0
    today = timezone.localdate()
    published = 0
    with transaction.atomic():
        pending = DisclosureRecord.objects.filter(status=RecordStatus.PENDING,
                                                  decision_date__lt=today - timedelta(days=RECENT_DAYS))
        pending = pending.order_by("agency_id", "-decision_date", "-pk")
        by_agency: dict[int, list] = {}
        for record in pending:
            by_agency.setdefault(record.agency_id, []).append(record)
        for agency_id, records in by_agency.items():
            head = (Membership.objects.filter(agency_id=agency_id, role=Role.HEAD, ended_at__isnull=True)
                    .select_related("user").order_by("pk").first())
            if head is None:
                continue
            for record in records:
                # Published a week or two after the decision, as the desk would have.
                on = min(record.decision_date + timedelta(days=7 + record.pk % 8), today)
                services.approve(actor=head.user, record_id=record.pk, today=on)
                published += 1
            corrected = next((r for r in records if r.fine_amount), None)
            if corrected is not None:
                services.correct(actor=head.user, record_id=corrected.pk,
                                 changes={"fine_amount": corrected.fine_amount / 2},
                                 note="经行政复议，复议机关决定变更罚款金额。")
    services.expire()
    return published
