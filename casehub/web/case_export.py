"""/cases/export.csv and /cases/export.xlsx — the filtered case list as a
file: exactly the rows the list shows the user (the same listing and
scopes), every page of them, with Chinese column headers. The service
(casehub/services/exports.py) audits the export once; the file is written
as the rows are read, in keyset pages (CSV streamed as it is written; the
XLSX workbook in openpyxl's write-only mode, then streamed from disk)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Region

from .. import listing
from ..calendar import working_calendar
from ..rules.refusal import Refused
from ..services import exports
from .case_list import list_response
from .case_rows import with_labels
from .spreadsheets import file_response



def _due(row):
    deadline = row["next_deadline"]
    if not deadline:
        return ""
    return deadline["due_on"] or _("Clock stopped")


def _overdue(row):
    deadline = row["next_deadline"]
    return _("Yes") if deadline and deadline["overdue"] else ""


def _day(key):
    return lambda r: date.fromisoformat(r[key]) if r[key] else None


# (header, value of a labelled row); dates as dates, each writer formats them.
COLUMNS = [
    (gettext_lazy("case number"), lambda r: r["number"]),
    (gettext_lazy("title"), lambda r: r["title"]),
    (gettext_lazy("status"), lambda r: r["status_display"]),
    (gettext_lazy("owning agency"), lambda r: r["owning_agency"]["name"]),
    (gettext_lazy("IP right type"), lambda r: r["ip_type_display"]),
    (gettext_lazy("case kind"), lambda r: r["kind_display"]),
    (gettext_lazy("source"), lambda r: r["source_display"]),
    (gettext_lazy("campaign"), lambda r: r["campaign_display"]),
    (gettext_lazy("region"), lambda r: r["region_name"]),
    (gettext_lazy("amount involved (yuan)"), lambda r: r["amount_involved"] or ""),
    (gettext_lazy("lead received on"), _day("lead_received_on")),
    (gettext_lazy("filed on"), _day("filed_on")),
    (gettext_lazy("decision date"), _day("decision_date")),
    (gettext_lazy("Next deadline"), _due),
    (gettext_lazy("Overdue"), _overdue),
]


def _rows(export):
    """The export's rows, labelled as the list shows them."""
    build = listing.RowBuilder(working_calendar())
    regions = dict(Region.objects.values_list("code", "name"))
    for raw in export.rows:
        row = with_labels(build(raw))
        row["region_name"] = regions.get(row["region"], row["region"])
        yield row


@login_required
def case_export(request, fmt: str):
    try:
        export = exports.export_cases(actor=request.user, query=request.GET, fmt=fmt, request=request)
    except Refused:
        # The list page, its filters showing what is wrong at the fields.
        return list_response(request, status=400)
    return file_response(request, _("Case list"), COLUMNS, _rows(export), fmt)


urlpatterns = [re_path(r"^cases/export\.(?P<fmt>csv|xlsx)$", case_export, name="case-export")]
