from django.db.models import F

from ..models import Case, TimelineEvent


def move_index_version(case_id: int) -> None:
    """What the case's search document shows has changed. The atomic UPDATE
    holds the case row until commit, so versions follow commit order."""
    Case.objects.filter(pk=case_id).update(index_version=F("index_version") + 1)


def record_event(case, *, actor, kind: str, summary: str = "", data: dict | None = None, agency_id=None) -> TimelineEvent:
    """Append to the case's timeline. Every change a case's search document
    reflects records an event, so this is where its index version moves."""
    move_index_version(case.pk)
    return TimelineEvent.objects.create(
        case=case, actor=actor, agency_id=agency_id or case.owning_agency_id, kind=kind, summary=summary[:300],
        data=data or {},
    )
