"""/cases/<id>/timeline/ — the tab 办案过程: what happened to the case,
oldest first, each act with its time, who, for which agency and what it
carried. Long timelines come in pages ("load more" appends the next by
HTMX; without JavaScript it is a link to the next page)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.urls import path, reverse

from ..models import Case
from ..services import timeline as service
from ..vocabulary import ClockStopReason
from . import rendering
from .case_frame import case_page_context, load_case
from .event_labels import ACTION_EVENTS, event_label

PAGE_SIZE = 50
_STOP_REASONS = dict(ClockStopReason.choices)
# What an act's data shows, in this order.
_CARRIED = ("reason", "report", "summary", "comment", "legal_basis")


@login_required
def case_timeline(request, case_id: int):
    case = load_case(request, case_id, action="timeline")
    after = request.GET.get("after", "")
    after_id = int(after) if after.isdigit() else None
    events, more = service.events_page(case, after_id=after_id, size=PAGE_SIZE)
    rows = [_row(e) for e in events]
    url = reverse("web:case-timeline", args=[case.pk])
    context = {
        "case": case,
        "events": rows,
        "next_url": f"{url}?after={events[-1].pk}" if more and events else "",
        "from_start_url": url if after_id else "",
    }
    htmx = getattr(request, "htmx", None)
    if after_id and htmx and not htmx.boosted:
        return rendering.page(request, "casehub/case/timeline.html", context, partial="events")
    return rendering.page(request, "casehub/case/timeline.html", {**case_page_context(request, case, "timeline"),
                                                                    **context})


def _row(event) -> dict:
    return {"id": event.pk, "at": event.at, "actor": event.actor, "agency": event.agency,
            "label": event_label(event.kind), "text": _text(event)}


def _text(event) -> str:
    """The event's summary, or for a workflow act (whose summary is its
    label) what it carried; for an edit, which fields changed."""
    data = event.data or {}
    if event.kind == "edited":
        changed = (data.get("after") or {}).keys()
        return "、".join(str(_field_label(name)) for name in changed)
    if event.kind not in ACTION_EVENTS:
        return event.summary
    if event.kind == "clock_stopped":
        return str(_STOP_REASONS.get(data.get("reason"), data.get("reason", "")))
    parts = [str(data[name]) for name in _CARRIED if data.get(name)]
    if data.get("decision_number"):
        parts.insert(0, data["decision_number"])
    return "；".join(parts)


def _field_label(name: str):
    try:
        return Case._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field of an older release
        return name


urlpatterns = [path("cases/<int:case_id>/timeline/", case_timeline, name="case-timeline")]
