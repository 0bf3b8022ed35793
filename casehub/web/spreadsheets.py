"""The files every export writes (the case list, the desks, the disclosure
desks, the statistics report): CSV streamed as it is written, with the BOM
Excel needs for UTF-8; XLSX in openpyxl's write-only mode on a temporary file,
then streamed. Columns are (header, value of a row) pairs; dates and times
stay Python values and each writer formats them. No cell runs as a formula
(rules/spreadsheet.py)."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, datetime

from django.utils import timezone
from django.utils.http import content_disposition_header

from ..rules.spreadsheet import csv_text, runs_as_formula
from .streaming import streamed

CHUNK_ROWS = 200  # CSV rows per streamed chunk
FILE_CHUNK = 64 * 1024
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class _Line:
    """csv.writer's file: hands back each line written."""

    def write(self, text):
        return text


def _text(value) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return csv_text(value)


def csv_chunks(columns, rows):
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([str(header) for header, _value in columns])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([_text(value(row)) for _header, value in columns]))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def xlsx_cell(sheet, value):
    """A value as the write-only sheet takes it: dates as dates, anything
    else as text, typed as text even when it starts with "="."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    if value is None or value == "":
        return None
    text = str(value)  # labels may be lazy
    if runs_as_formula(text):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def xlsx_spool(title: str, columns, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([str(header) for header, _value in columns])
    for row in rows:
        sheet.append([xlsx_cell(sheet, value(row)) for _header, value in columns])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return spool


def file_chunks(spool):
    with spool:
        while block := spool.read(FILE_CHUNK):
            yield block


def file_response(request, title: str, columns, rows, fmt: str):
    """The rows as a streamed attachment `<title>-<date>.<fmt>`."""
    chunks = csv_chunks(columns, rows) if fmt == "csv" else file_chunks(xlsx_spool(title, columns, rows))
    response = streamed(request, chunks, content_type=CONTENT_TYPES[fmt])
    name = f"{title}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


def desk_file(request, fmt: str, *, form, desk_response, export, title: str, columns):
    """A desk as a file: its own filter form (a bad value is the desk with the
    field marked, a 400, nothing exported or audited), then `export(filters)`
    — the service, which audits once — written as `<title>-<date>.<fmt>`."""
    if not form.is_valid():
        return desk_response(request, status=400)
    return file_response(request, title, columns, export(form.cleaned_data).rows, fmt)
