from ..models import TimelineEvent


def record_event(case, *, actor, kind: str, summary: str = "", data: dict | None = None, agency_id=None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, actor=actor, agency_id=agency_id or case.owning_agency_id, kind=kind, summary=summary[:300],
        data=data or {},
    )
