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


def events_page(case, *, after_id: int | None = None, size: int = 50) -> tuple[list[TimelineEvent], bool]:
    """A page of the case's timeline, oldest first, after the event
    `after_id`, and whether more follow. The caller has found the case
    for its reader (cases.find_case): every agency that sees a case reads
    its timeline."""
    rows = TimelineEvent.objects.filter(case=case).select_related("actor", "agency").order_by("id")
    if after_id:
        rows = rows.filter(id__gt=after_id)
    page = list(rows[: size + 1])
    return page[:size], len(page) > size
