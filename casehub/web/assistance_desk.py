"""/assistance/ — the assistance desk (协查请求): the requests my agencies
were asked to answer (收到的) and those they sent (发出的), each with its
case, the agencies, the due date with its deadline chip and the overdue
flag, and its status. Filters (box, status, open, overdue) swap the rows by
HTMX and stay in the URL; pages by key, newest first. Only requests the
access module lets the user see are listed or counted."""


from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import access
from ..calendar import working_calendar
from ..models import AssistanceStatus
from ..services import deadlines, desks
from . import desk_list
from .keyset import newest_first

TEMPLATE = "casehub/assistance/desk.html"
PAGE_SIZE = 20

BOX_LABELS = {"incoming": _("Received requests"), "outgoing": _("Sent requests")}


class DeskFilterForm(forms.Form):
    box = forms.ChoiceField(label=_("Box"), required=False,
                            choices=[("", _("All")), *BOX_LABELS.items()])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *AssistanceStatus.choices])
    open = forms.BooleanField(label=_("Awaiting an answer only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "desk-%s")
        super().__init__(*args, **kwargs)


# The desk's rows for its cleaned filters (the export reads the same).
filtered = desks.assistance


def describe_row(item, *, mine: set[int], visible_cases: set[int], cal, today) -> dict:
    """What a row (or the request's page) shows of a request."""
    late = item.status == AssistanceStatus.OPEN and item.due_on < today
    return {
        "item": item,
        "incoming": item.to_agency_id in mine,
        "outgoing": item.from_agency_id in mine,
        "deadline": deadlines.describe_values("assistance", item.due_on, "", cal, today)
        if item.status == AssistanceStatus.OPEN else None,
        "overdue": late,
        # The asked agency sees the request, not the case: the case links only for those who may open it.
        "case_url": reverse("web:case", args=[item.case_id]) if item.case_id in visible_cases else "",
        "url": reverse("web:assistance-request", args=[item.pk]),
    }


def _page_url(request, **key) -> str:
    query = request.GET.copy()
    for name in ("before", "after"):
        query.pop(name, None)
    for name, value in key.items():
        query[name] = str(value)
    return f"{reverse('web:assistance')}?{query.urlencode()}"


FILTERS = ("box", "status", "open", "overdue")


@login_required
@require_GET
def assistance_desk(request):
    return desk_response(request)


def desk_response(request, *, status: int = 200):
    """The desk for the request's filters (an export with bad filters
    answers it with a 400: the same fields, marked)."""
    today = timezone.localdate()
    form = DeskFilterForm(request.GET)
    boxes = access.assistance_boxes(request.user)
    if form.is_valid():
        page = newest_first(filtered(request.user, form.cleaned_data, today), request, size=PAGE_SIZE)
    else:
        page = None
    items = page.rows if page else []
    mine = access.agency_ids(request.user)
    visible_cases = access.visible_case_ids(request.user, {i.case_id for i in items})
    cal = working_calendar()
    rows = [describe_row(i, mine=mine, visible_cases=visible_cases, cal=cal, today=today) for i in items]
    chosen = form.cleaned_data.get("box", "") if form.is_valid() else ""
    query = request.GET.copy()
    for name in ("box", "before", "after"):
        query.pop(name, None)
    box_tabs = [{"box": "", "label": _("All"), "current": chosen == "", "open": None,
                 "url": f"{reverse('web:assistance')}?{query.urlencode()}"}]
    box_tabs += [{"box": box, "label": BOX_LABELS[box], "open": open_count, "current": chosen == box,
                  "url": f"{reverse('web:assistance')}?{query.urlencode()}{'&' if query else ''}box={box}"}
                 for box, open_count in boxes.items()]
    context = {
        "form": form,
        "rows": rows,
        "boxes": box_tabs if boxes else [],
        "filtered": any(request.GET.get(n) for n in form.fields),
        **desk_list.export_links(request, "web:assistance-export", FILTERS),
        "newer_url": _page_url(request, after=page.newer) if page and page.newer else None,
        "older_url": _page_url(request, before=page.older) if page and page.older else None,
        "crumbs": [{"label": _("Workbench"), "url": reverse("web:workbench")},
                   {"label": _("Assistance requests"), "url": ""}],
    }
    return desk_list.answer(request, TEMPLATE, context, status=status)


urlpatterns = [path("assistance/", assistance_desk, name="assistance")]
