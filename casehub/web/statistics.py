"""/dashboard/ (数据看板) and /statistics/ (统计报表): the statistics the
viewer's scope counts (casehub/statistics/, read by the service, which
authorises and audits each read), for a year and a region. The dashboard
draws each table as an ECharts chart (static/casehub/dashboard.js reads the
table from the chart's data-chart attribute) with the table beside it; the report lists
the tables and downloads them as an XLSX workbook, one sheet per table.
A viewer without a statistics role gets a 404, like another agency's case."""

from __future__ import annotations

import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import access, statistics
from ..rules.refusal import Kind, Refused
from ..services import statistics as service
from . import rendering
from .case_filters import region_choices
from .refusals import to_form
from .spreadsheets import xlsx_cell
from .widgets import Select

HIDDEN_KINDS = {"code"}


def _years():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year + 1, statistics.filters.FIRST_YEAR - 1, -1)]


class FilterForm(forms.Form):
    year = forms.ChoiceField(label=gettext_lazy("year"), required=False, widget=Select)
    region = forms.ChoiceField(label=gettext_lazy("region"), required=False, widget=Select)

    def __init__(self, data):
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year))
        super().__init__(data)
        self.fields["year"].choices = _years()
        self.fields["region"].choices = [("", _("All")), *region_choices()]

    def full_clean(self):
        # The statistics' filters validate the parameters; this form only shows them.
        self._errors = ErrorDict()
        self.cleaned_data = {}


class TargetForm(forms.Form):
    year = forms.CharField(widget=forms.HiddenInput)
    indicator = forms.ChoiceField(label=gettext_lazy("indicator"), widget=Select)
    target = forms.CharField(label=gettext_lazy("Yearly target"), required=False, max_length=20,
                             help_text=gettext_lazy("Leave empty to clear the target."))

    def __init__(self, data=None, *, year):
        super().__init__(data, initial={"year": year})
        self.fields["indicator"].choices = [(i.key, str(i.label)) for i in statistics.indicator_list()]

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}


def _shown(table: statistics.Table) -> dict:
    """A table as the page draws it: the shown columns, the rows' cells."""
    shown = [i for i, c in enumerate(table.columns) if c.kind not in HIDDEN_KINDS]
    return {
        "name": table.name,
        "title": table.title,
        "note": table.note,
        "chart": table.chart,
        # The chart's table as JSON in a data attribute (autoescaped): no
        # script element of any kind in a page (tests/platform/test_security_headers.py).
        "data": json.dumps(table.as_dict(), ensure_ascii=False, cls=DjangoJSONEncoder),
        "columns": [table.columns[i] for i in shown],
        "rows": [[{"value": row[i], "kind": table.columns[i].kind} for i in shown] for row in table.rows],
    }


def _crumbs(label):
    return [{"label": _("Workbench"), "url": reverse("web:workbench")}, {"label": _("Statistical analysis"), "url": ""},
            {"label": label, "url": ""}]


def _read(request, form):
    """(tables, filters, status): the report for the request's filters, or
    no tables and the refusal at the form's fields (400)."""
    try:
        tables, filters = service.read_report(actor=request.user, params=request.GET, request=request)
    except Refused as refused:
        if refused.kind == Kind.NOT_FOUND:
            raise Http404 from None
        to_form(form, refused)
        return [], None, 400
    return [_shown(t) for t in tables], filters, 200


def _query(filters) -> str:
    return urlencode({k: v for k, v in filters.as_dict().items() if v}) if filters else ""


@login_required
@require_GET
def dashboard(request):
    form = FilterForm(request.GET)
    tables, filters, status = _read(request, form)
    year = filters.year if filters else timezone.localdate().year
    context = {
        "form": form,
        "tables": tables,
        "filters": filters,
        "report_url": f"{reverse('web:statistics-report')}?{_query(filters)}",
        "target_form": TargetForm(year=year) if access.can_set_statistics_targets(request.user) else None,
        "crumbs": _crumbs(_("Dashboard")),
    }
    return rendering.page(request, "casehub/statistics/dashboard.html", context, status=status)


@login_required
@require_GET
def report(request):
    form = FilterForm(request.GET)
    tables, filters, status = _read(request, form)
    context = {
        "form": form,
        "tables": tables,
        "filters": filters,
        "xlsx_url": f"{reverse('web:statistics-xlsx')}?{_query(filters)}",
        "crumbs": _crumbs(_("Statistical reports")),
    }
    return rendering.page(request, "casehub/statistics/report.html", context, status=status)


def _sheet_title(title: str, taken: set[str]) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    base = title[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def workbook(tables: list[statistics.Table], filters) -> bytes:
    """The report as an XLSX file, one sheet per table: its title, the
    filters, the header row and the figures (numbers as numbers)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(str(table.title), taken))
        shown = [i for i, c in enumerate(table.columns) if c.kind not in HIDDEN_KINDS]
        sheet.append([str(table.title)])
        sheet.append([f"{_('year')}: {filters.year}", f"{_('region')}: {filters.region or _('All')}"])
        sheet.append([str(table.columns[i].label) for i in shown])
        for row in table.rows:
            values = (statistics.base.plain(row[i]) for i in shown)
            # Names (repeat infringers') come from outside: text never runs as a formula.
            sheet.append([xlsx_cell(sheet, v) if isinstance(v, str) else v for v in values])
        if table.note:
            sheet.append([str(table.note)])
    out = io.BytesIO()  # a few small tables
    book.save(out)
    return out.getvalue()


@login_required
@require_GET
def report_xlsx(request):
    try:
        tables, filters = service.export_report(actor=request.user, params=request.GET, request=request)
    except Refused as refused:
        if refused.kind == Kind.NOT_FOUND:
            raise Http404 from None
        return report(request)  # the report page, with the refusal at its fields (400)
    name = f"统计报表-{filters.year}{'-' + filters.region if filters.region else ''}.xlsx"
    response = HttpResponse(workbook(tables, filters),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_POST
def set_target(request):
    form = TargetForm(request.POST, year=request.POST.get("year", ""))
    year = request.POST.get("year", "")
    try:
        service.set_target(actor=request.user, year=year, indicator=request.POST.get("indicator", ""),
                           target=request.POST.get("target", ""), request=request)
    except Refused as refused:
        if refused.kind == Kind.FORBIDDEN:
            raise Http404 from None
        to_form(form, refused)
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {error}".strip())
    else:
        messages.success(request, _("The target was saved."))
    query = urlencode({"year": year}) if str(year).isdigit() else ""
    return HttpResponseRedirect(f"{reverse('web:dashboard')}?{query}" if query else reverse("web:dashboard"))


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/targets/", set_target, name="statistics-target"),
    path("statistics/", report, name="statistics-report"),
    path("statistics/report.xlsx", report_xlsx, name="statistics-xlsx"),
]
