from django.db.models import F

from ..models import Case, TimelineEvent


def record_event(case, *, actor, kind: str, summary: str = "", data: dict | None = None, agency_id=None) -> TimelineEvent:
    """Append to the case's timeline. Every change a case's search document
    reflects records an event, so this is where its index version moves; the
    UPDATE holds the case row until commit, so versions follow commit order."""
    Case.objects.filter(pk=case.pk).update(index_version=F("index_version") + 1)
    return TimelineEvent.objects.create(
        case=case, actor=actor, agency_id=agency_id or case.owning_agency_id, kind=kind, summary=summary[:300],
        data=data or {},
    )
