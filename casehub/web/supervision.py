"""/supervision/ — the procuratorate's desk (督办): the transfers it
supervises that are under way (an accepted one too while its hand-over of
items and files, 移交涉案物品, is still due), the senders' requests for supervision it
has not answered with an opinion yet, and its opinions awaiting the
police's reply, each with its deadline and an overdue flag. Only what the
access module lets the user see (visible_transfers; their procuratorate's
opinions). Each section is bounded; its rows cost the same queries
whatever their number."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import access
from ..models import SupervisionOpinion, TimelineEvent, Transfer
from ..rules import transfers as rules
from ..services import transfers as transfers_service
from ..services.deadlines import describe_values
from . import rendering
from .transfers import row_of

ROWS_SHOWN = 50


def _supervised(user, agencies):
    return access.visible_transfers(user, Transfer.objects.select_related(
        "case", "from_agency", "to_agency", "supervising_agency")).filter(supervising_agency_id__in=agencies)


def _under_way(user, agencies):
    return _supervised(user, agencies).filter(transfers_service.under_way()).order_by("due_at", "id")


def _requests_waiting(user, agencies, today) -> list[dict]:
    """Transfers whose sender asked for supervision after the last opinion
    (or with none yet): the requests the procuratorate has still to answer."""
    supervised = list(_supervised(user, agencies).filter(status__in=rules.SUPERVISION_STATUSES)
                      .prefetch_related("opinions").order_by("-id")[:ROWS_SHOWN])
    by_id = {t.pk: t for t in supervised}
    requests = TimelineEvent.objects.filter(case_id__in={t.case_id for t in supervised},
                                            kind="supervision_requested").select_related("agency").order_by("at")
    latest = {}
    for event in requests:
        transfer_id = event.data.get("transfer_id")
        if transfer_id in by_id:
            latest[transfer_id] = event
    rows = []
    for transfer_id, event in latest.items():
        transfer = by_id[transfer_id]
        issued = [o.issued_at for o in transfer.opinions.all()]
        if not issued or max(issued) < event.at:
            rows.append({**row_of(user, transfer, today), "request": event})
    return sorted(rows, key=lambda r: r["request"].at)


@login_required
@require_GET
def supervision_desk(request):
    agencies = access.supervising_agency_ids(request.user)
    if not agencies:
        raise Http404
    today = timezone.localdate()
    under_way = _under_way(request.user, agencies)
    awaiting = (SupervisionOpinion.objects.filter(procuratorate_id__in=agencies, responded_at__isnull=True,
                                                  transfer__in=access.visible_transfers(request.user))
                .select_related("transfer__case", "transfer__to_agency", "issued_by").order_by("due_on", "id"))
    context = {
        "supervised": [row_of(request.user, t, today) for t in under_way[:ROWS_SHOWN]],
        "requests": _requests_waiting(request.user, agencies, today),
        "awaiting": [{"opinion": o, "overdue": o.due_on < today, "deadline": describe_values(o.kind, o.due_on, "", today=today)}
                     for o in awaiting[:ROWS_SHOWN]],
        "crumbs": [{"label": _("Workbench"), "url": reverse("web:workbench")},
                   {"label": _("Supervision desk"), "url": ""}],
    }
    return rendering.page(request, "casehub/transfers/supervision.html", context)


urlpatterns = [path("supervision/", supervision_desk, name="supervision")]
