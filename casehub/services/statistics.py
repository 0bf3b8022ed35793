"""Reading the statistics (casehub/statistics/): what the viewer's scope
counts (access.statistics_scope), each read audited once — which table or
report, with which filters. A viewer without a statistics role finds
nothing (404), like another agency's case. Platform administrators enter
the yearly targets of the city's IP plan, audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, audit, statistics
from ..models import IndicatorTarget
from .errors import Refused


def _scope(actor):
    scope = access.statistics_scope(actor)
    if scope.empty:
        raise Refused.missing()
    return scope


def _detail(params) -> dict:
    return {"filters": {k: str(params.get(k, ""))[:40] for k in ("year", "region") if params.get(k)}}


def list_tables(*, actor) -> list[statistics.Definition]:
    """The tables the actor may read (reading none: not audited); none
    without a statistics role."""
    return [] if access.statistics_scope(actor).empty else statistics.tables()


def read_table(*, actor, name: str, params, request=None) -> tuple[statistics.Table, statistics.Filters]:
    """One table for the filters in `params` (year, region)."""
    with audit.act(user=actor, action="statistics.read", object_type="statistics", object_id=name[:40],
                   request=request, detail=_detail(params)):
        scope = _scope(actor)
        found = statistics.definition(name)
        if found is None:
            raise Refused.missing()
        filters = statistics.parse(params)
        table = found.build(scope, filters)
    return table, filters


def read_report(*, actor, params, request=None, action="statistics.read", fmt=None):
    """Every table for the filters (the dashboard, the report page, the XLSX
    download): one audited read. Returns (tables, filters)."""
    detail = _detail(params)
    if fmt:
        detail["format"] = fmt
    with audit.act(user=actor, action=action, object_type="statistics", object_id="report", request=request,
                   detail=detail):
        scope = _scope(actor)
        filters = statistics.parse(params)
        tables = [d.build(scope, filters) for d in statistics.tables()]
    return tables, filters


def export_report(*, actor, params, request=None):
    """The report as it will be downloaded (XLSX): audited as an export."""
    return read_report(actor=actor, params=params, request=request, action="statistics.export", fmt="xlsx")


def targets_for(year: int) -> dict[str, Decimal]:
    return statistics.indicators.targets(year)


def set_target(*, actor, year, indicator: str, target, request=None) -> IndicatorTarget | None:
    """A platform administrator sets (or, with an empty target, clears) the
    yearly target of one indicator."""
    with audit.act(user=actor, action="statistics.set_target", object_type="indicator_target",
                   object_id=f"{year}:{indicator}"[:40], request=request,
                   detail={"year": str(year)[:8], "indicator": str(indicator)[:48], "target": str(target)[:20]}):
        if not access.can_set_statistics_targets(actor):
            raise Refused.deny(_("Only platform administrators enter the plan's targets."))
        errors = {}
        known = {i.key for i in statistics.indicator_list()}
        if indicator not in known:
            errors["indicator"] = [_("Choose an indicator from the list.")]
        try:
            year = int(str(year).strip())
            if not statistics.filters.FIRST_YEAR <= year <= timezone.localdate().year + 5:
                raise ValueError
        except ValueError:
            errors["year"] = [_("Enter a year from %(first)s to %(last)s.") % {
                "first": statistics.filters.FIRST_YEAR, "last": timezone.localdate().year + 5}]
        value = None
        if str(target).strip():
            try:
                value = Decimal(str(target).strip())
                if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
                    raise InvalidOperation
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                errors["target"] = [_("Enter a number not below zero.")]
        if errors:
            raise Refused(errors)
        if value is None:
            IndicatorTarget.objects.filter(year=year, indicator=indicator).delete()
            return None
        saved, _created = IndicatorTarget.objects.update_or_create(
            year=year, indicator=indicator, defaults={"target": value, "updated_by": actor,
                                                      "updated_at": timezone.now()})
    return saved
