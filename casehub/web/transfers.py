"""/transfers/ — the transfers desk (移送案件): the transfers my agencies
received, sent, or (a procuratorate) supervise, as the access module lets
me see them (visible_transfers), each with its running step, that step's
deadline and an overdue flag. Boxes are tabs, the other filters a form; an
HTMX request gets the rows only and the URL keeps the filters. Pages go by
key (newest first), one LIMIT query whatever their depth."""


from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import access
from ..models import Transfer
from ..rules import transfers as rules
from ..rules.transfers import TransferKind, TransferStatus
from ..services import desks
from . import desk_list, keyset
from .transfer_steps import ACT_LABELS, STEP_LABELS, step_deadline

TEMPLATE = "casehub/transfers/desk.html"
PAGE_SIZE = 20
BOX_LABELS = {
    "": _("All transfers"),
    "incoming": _("Incoming"),
    "outgoing": _("Outgoing"),
    "supervising": _("Supervising"),
}


def boxes_of(user) -> list[str]:
    """The boxes this user has: every member receives and sends; the
    procuratorate's supervisors supervise."""
    if not access.agency_ids(user):
        return []
    return ["incoming", "outgoing", *(["supervising"] if access.supervising_agency_ids(user) else [])]


class DeskFilterForm(forms.Form):
    box = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *TransferKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *TransferStatus.choices])
    open = forms.ChoiceField(label=_("Progress"), required=False,
                             choices=[("", "—"), ("true", _("Under way")), ("false", _("Concluded"))])
    overdue = forms.ChoiceField(label=_("Overdue"), required=False,
                                choices=[("", "—"), ("true", _("overdue")), ("false", _("Not overdue"))])

    def __init__(self, *args, boxes=(), **kwargs):
        super().__init__(*args, auto_id="transfers-%s", **kwargs)
        self.fields["box"].choices = [("", ""), *((b, b) for b in boxes)]


# The desk's rows for its cleaned filters (the export reads the same).
filtered = desks.transfers


def row_of(user, transfer: Transfer, today) -> dict:
    deadline = step_deadline(transfer, today)
    steps = rules.available_steps(transfer.status, access.transfer_sides(user, transfer))
    mine = access.agency_ids(user)
    return {
        "transfer": transfer,
        "step": STEP_LABELS.get(transfer.due_step, transfer.due_step),
        "deadline": deadline,
        "overdue": bool(deadline and deadline["overdue"]),
        "steps": [ACT_LABELS.get(s, s) for s in steps],
        "incoming": transfer.to_agency_id in mine,
    }


def _url(request, **change) -> str:
    query = request.GET.copy()
    for name in ("before", "after", *change):
        query.pop(name, None)
    for name, value in change.items():
        if value:
            query[name] = value
    return f"{reverse('web:transfers')}?{query.urlencode()}" if query else reverse("web:transfers")


FILTERS = ("box", "kind", "status", "open", "overdue")


@login_required
@require_GET
def transfers_desk(request):
    return desk_response(request)


def desk_response(request, *, status: int = 200):
    """The desk for the request's filters (an export with bad filters
    answers it with a 400: the same fields, marked)."""
    boxes = boxes_of(request.user)
    form = DeskFilterForm(request.GET, boxes=boxes)
    # Bad filters show at their fields, with no rows.
    values = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    found = keyset.newest_first(filtered(request.user, values), request, size=PAGE_SIZE) if not form.errors \
        else keyset.Page([], None, None)
    box = values.get("box", "")
    context = {
        "form": form,
        "box": box,
        "tabs": [{"name": b, "label": BOX_LABELS[b], "url": _url(request, box=b), "current": b == box}
                 for b in ("", *boxes)] if boxes else [],
        "rows": [row_of(request.user, t, today) for t in found.rows],
        "next_url": _url(request, before=str(found.older)) if found.older else None,
        "previous_url": _url(request, after=str(found.newer)) if found.newer else None,
        "filtered": any(values.get(n) for n in ("kind", "status", "open", "overdue")),
        **desk_list.export_links(request, "web:transfers-export", FILTERS),
        "crumbs": [{"label": _("Workbench"), "url": reverse("web:workbench")},
                   {"label": _("Transferred cases"), "url": ""}],
    }
    return desk_list.answer(request, TEMPLATE, context, status=status)


urlpatterns = [path("transfers/", transfers_desk, name="transfers")]
