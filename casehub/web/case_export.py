"""/cases/export.csv and /cases/export.xlsx — the filtered case list as a
file: exactly the rows the list shows the user (the same listing and
scopes), every page of them, with Chinese column headers. The service
(casehub/services/exports.py) audits the export once; the file is written
as the rows are read, in keyset pages (CSV streamed as it is written; the
XLSX workbook in openpyxl's write-only mode, then streamed from disk)."""

from __future__ import annotations

import csv
import tempfile
from datetime import date

from django.contrib.auth.decorators import login_required
from django.urls import re_path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Region

from .. import listing
from ..calendar import working_calendar
from ..rules.refusal import Refused
from ..services import exports
from .case_list import list_response
from .case_rows import with_labels
from .streaming import streamed

CHUNK_ROWS = 200  # CSV rows per streamed chunk
FILE_CHUNK = 64 * 1024


def _due(row):
    deadline = row["next_deadline"]
    if not deadline:
        return ""
    return deadline["due_on"] or _("Clock stopped")


def _overdue(row):
    deadline = row["next_deadline"]
    return _("Yes") if deadline and deadline["overdue"] else ""


# (header, value of a labelled row); dates stay ISO strings here, the XLSX
# writer makes them dates.
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
    (gettext_lazy("lead received on"), lambda r: r["lead_received_on"] or ""),
    (gettext_lazy("filed on"), lambda r: r["filed_on"] or ""),
    (gettext_lazy("decision date"), lambda r: r["decision_date"] or ""),
    (gettext_lazy("Next deadline"), _due),
    (gettext_lazy("Overdue"), _overdue),
]
DATE_COLUMNS = {10, 11, 12}


def _records(export):
    """The export's rows as lists of cell values, in COLUMNS order."""
    build = listing.RowBuilder(working_calendar())
    regions = dict(Region.objects.values_list("code", "name"))
    for raw in export.rows:
        row = with_labels(build(raw))
        row["region_name"] = regions.get(row["region"], row["region"])
        yield [value(row) for _header, value in COLUMNS]


class _Line:
    """csv.writer's file: hands back each line written."""

    def write(self, text):
        return text


def _csv(export):
    writer = csv.writer(_Line())
    # The byte-order mark tells Excel the file is UTF-8 (Chinese otherwise garbles).
    yield "\ufeff" + writer.writerow([str(header) for header, _value in COLUMNS])
    chunk = []
    for record in _records(export):
        chunk.append(writer.writerow(record))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _xlsx(export):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Case list")))
    sheet.append([str(header) for header, _value in COLUMNS])
    for record in _records(export):
        cells = []
        for i, value in enumerate(record):
            if i in DATE_COLUMNS and value:
                cell = WriteOnlyCell(sheet, value=date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return spool


def _file_chunks(spool):
    with spool:
        while block := spool.read(FILE_CHUNK):
            yield block


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
def case_export(request, fmt: str):
    try:
        export = exports.export_cases(actor=request.user, query=request.GET, fmt=fmt, request=request)
    except Refused:
        # The list page, its filters showing what is wrong at the fields.
        return list_response(request, status=400)
    chunks = _csv(export) if fmt == "csv" else _file_chunks(_xlsx(export))
    response = streamed(request, chunks, content_type=CONTENT_TYPES[fmt])
    name = f"{_('Case list')}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [re_path(r"^cases/export\.(?P<fmt>csv|xlsx)$", case_export, name="case-export")]
