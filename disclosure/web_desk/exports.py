"""/disclosures/export.csv|xlsx and /credit-repairs/export.csv|xlsx — the
disclosure desk and the credit-repair desk as files, as the transfers and
assistance desks' (casehub/web/desk_export.py; the writers: casehub/web/spreadsheets.py): the
desk's own filter form (a bad value is the desk with the field marked, a
400, nothing exported), exactly the rows the desk lists the user, with the
full names the agency sees (never the public's masked ones), Chinese
headers. The service (disclosure/exports.py) audits each export once."""

from django.contrib.auth.decorators import login_required
from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from casehub.web.desk_export import local_time, yes
from casehub.web.spreadsheets import desk_file

from .. import exports
from . import records, repairs
from .common import IP_LABELS, state_of
from .forms import RecordFilterForm, RepairFilterForm


def _state(record) -> str:
    state = state_of(record)
    return f"{state['label']}（{state['extra']}）" if state["extra"] else str(state["label"])


# (header, value of a row); dates and times stay Python values, each writer formats them.
RECORD_COLUMNS = [
    (gettext_lazy("decision document number"), lambda r: r.decision_number),
    (gettext_lazy("party"), lambda r: r.party_name),
    (gettext_lazy("unified social credit code"), lambda r: r.credit_code),
    (gettext_lazy("IP type"), lambda r: IP_LABELS.get(r.ip_type, r.ip_type)),
    (gettext_lazy("violation type"), lambda r: r.violation_type),
    (gettext_lazy("deciding agency"), lambda r: r.agency.name),
    (gettext_lazy("decision date"), lambda r: r.decision_date),
    (gettext_lazy("Status"), _state),
    (gettext_lazy("to be published by"), lambda r: r.due_on),
    (gettext_lazy("published late or overdue"), lambda r: yes(r.late)),
    (gettext_lazy("publication date"), lambda r: r.published_on),
    (gettext_lazy("publicity ends on"), lambda r: r.publicity_ends_on),
]

REPAIR_COLUMNS = [
    (gettext_lazy("party"), lambda a: a.record.party_name),
    (gettext_lazy("unified social credit code"), lambda a: a.record.credit_code),
    (gettext_lazy("decision document number"), lambda a: a.record.decision_number),
    (gettext_lazy("deciding agency"), lambda a: a.record.agency.name),
    (gettext_lazy("applicant"), lambda a: a.applicant),
    (gettext_lazy("applied on"), lambda a: a.applied_on),
    (gettext_lazy("grounds"), lambda a: a.reason),
    (gettext_lazy("Status"), lambda a: a.get_status_display()),
    (gettext_lazy("Decided at"), lambda a: local_time(a.decided_at)),
    (gettext_lazy("Decided by"), lambda a: a.decided_by.display_name if a.decided_by else ""),
    (gettext_lazy("Decision reasons"), lambda a: a.decision_reason),
]


@login_required
@require_GET
def records_export(request, fmt: str):
    return desk_file(
        request, fmt, form=RecordFilterForm(request.GET), desk_response=records.desk_response,
        title=_("Disclosure management"), columns=RECORD_COLUMNS,
        export=lambda filters: exports.export_records(actor=request.user, filters=filters, fmt=fmt, request=request))


@login_required
@require_GET
def repairs_export(request, fmt: str):
    return desk_file(
        request, fmt, form=RepairFilterForm(request.GET), desk_response=repairs.desk_response,
        title=_("Credit repair"), columns=REPAIR_COLUMNS,
        export=lambda filters: exports.export_repairs(actor=request.user, filters=filters, fmt=fmt, request=request))


urlpatterns = [
    re_path(r"^disclosures/export\.(?P<fmt>csv|xlsx)$", records_export, name="disclosures-export"),
    re_path(r"^credit-repairs/export\.(?P<fmt>csv|xlsx)$", repairs_export, name="credit-repairs-export"),
]
