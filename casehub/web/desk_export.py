"""/transfers/export.csv|xlsx and /assistance/export.csv|xlsx — a desk as
a file, as the case list's export (case_export.py): the desk's filters
(its own filter form, so a bad value is the desk with the field marked, a
400), exactly the rows the desk lists the user (services/desks.py, the
access module's), every page of them read by key, Chinese headers. The
service (services/exports.py) audits each export once; CSV is streamed as
it is written, the XLSX written in openpyxl's write-only mode then streamed."""

from __future__ import annotations


from django.contrib.auth.decorators import login_required
from django.urls import re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ..models import AssistanceStatus
from ..services import exports
from . import assistance_desk, transfers
from .spreadsheets import desk_file
from .transfer_steps import STEP_LABELS


def local_time(moment):
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0) if moment else None


def yes(flag) -> str:
    return _("Yes") if flag else ""


def _step(t):
    return STEP_LABELS.get(t.due_step, t.due_step) if t.due_step else ""


# (header, value of a row); dates and times stay Python values, each writer formats them.
TRANSFER_COLUMNS = [
    (gettext_lazy("Case number"), lambda t: t.case.number),
    (gettext_lazy("title"), lambda t: t.case.title),
    (gettext_lazy("Kind"), lambda t: t.get_kind_display()),
    (gettext_lazy("Sending agency"), lambda t: t.from_agency.name),
    (gettext_lazy("Receiving agency"), lambda t: t.to_agency.name),
    (gettext_lazy("Supervising procuratorate"), lambda t: t.supervising_agency.name if t.supervising_agency else ""),
    (gettext_lazy("Status"), lambda t: t.get_status_display()),
    (gettext_lazy("receiver's case number"), lambda t: t.receiver_case_number),
    (gettext_lazy("Running step"), _step),
    (gettext_lazy("Step deadline"), lambda t: local_time(t.due_at) if t.due_step else None),
    (gettext_lazy("Overdue"), lambda t: yes(t.due_at and t.due_at < timezone.now())),
    (gettext_lazy("Proposed at"), lambda t: local_time(t.proposed_at)),
    (gettext_lazy("Sent at"), lambda t: local_time(t.sent_at)),
    (gettext_lazy("items and files handed over"), lambda t: local_time(t.handed_over_at)),
]


def _assistance_columns(today):
    # The asked agency sees the request, not the case: its number only, never its title.
    return [
        (gettext_lazy("Subject"), lambda a: a.subject),
        (gettext_lazy("Case number"), lambda a: a.case.number),
        (gettext_lazy("Requested by"), lambda a: a.from_agency.name),
        (gettext_lazy("Agency asked"), lambda a: a.to_agency.name),
        (gettext_lazy("Requested at"), lambda a: local_time(a.requested_at)),
        (gettext_lazy("answer due on"), lambda a: a.due_on),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Overdue"), lambda a: yes(a.answered_late or (a.status == AssistanceStatus.OPEN
                                                                    and a.due_on < today))),
        (gettext_lazy("Answered at"), lambda a: local_time(a.answered_at)),
    ]


@login_required
@require_GET
def transfers_export(request, fmt: str):
    return desk_file(
        request, fmt, form=transfers.DeskFilterForm(request.GET, boxes=transfers.boxes_of(request.user)),
        desk_response=transfers.desk_response, title=_("Transferred cases"), columns=TRANSFER_COLUMNS,
        export=lambda filters: exports.export_transfers(actor=request.user, filters=filters, fmt=fmt,
                                                        request=request))


@login_required
@require_GET
def assistance_export(request, fmt: str):
    today = timezone.localdate()
    return desk_file(
        request, fmt, form=assistance_desk.DeskFilterForm(request.GET), desk_response=assistance_desk.desk_response,
        title=_("Assistance requests"), columns=_assistance_columns(today),
        export=lambda filters: exports.export_assistance(actor=request.user, filters=filters, fmt=fmt, today=today,
                                                         request=request))


urlpatterns = [
    re_path(r"^transfers/export\.(?P<fmt>csv|xlsx)$", transfers_export, name="transfers-export"),
    re_path(r"^assistance/export\.(?P<fmt>csv|xlsx)$", assistance_export, name="assistance-export"),
]
