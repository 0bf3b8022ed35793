"""The indicators of the city's IP plan that casehub's data answers, each
against its yearly target where a platform administrator has entered one
(IndicatorTarget). Apps register further indicators (disclosure: the
timely publication rate)."""

from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import IndicatorTarget
from ..rules.transfers import TransferKind
from ..vocabulary import CaseKind
from .base import CODE, LABEL, RATE, TEXT, Column, Definition, Indicator, Table, indicators, rate, register_indicator
from .base import register_table
from .cases import scoped_cases


def enforcement_cases(scope, filters) -> int:
    """Administrative enforcement cases filed during the year."""
    return (scoped_cases(scope, filters).filter(kind=CaseKind.ADMINISTRATIVE_PENALTY, **filters.date_range("filed_on"))
            .aggregate(n=Count("id"))["n"])


def police_transfers(scope, filters) -> int:
    """Suspected crimes sent to the police during the year."""
    return (filters.in_region(access.statistics_transfers(scope), "case__")
            .filter(kind=TransferKind.SUSPECTED_CRIME, **filters.moment_range("sent_at")).aggregate(n=Count("id"))["n"])


register_indicator(Indicator("enforcement_cases", _("Administrative enforcement cases filed"), _("cases"),
                             enforcement_cases, order=10))
register_indicator(Indicator("police_transfers", _("Suspected crimes transferred to the police"), _("cases"),
                             police_transfers, order=20))


def targets(year: int) -> dict[str, Decimal]:
    return dict(IndicatorTarget.objects.filter(year=year).values_list("indicator", "target"))


def plan_indicators(scope, filters):
    goals = targets(filters.year)
    rows = []
    for indicator in indicators():
        value = indicator.value(scope, filters)
        target = goals.get(indicator.key)
        rows.append([indicator.key, str(indicator.label), str(indicator.unit), value, target,
                     rate(value, target) if value is not None and target else None])
    return Table(
        name="plan_indicators", title=TITLE,
        columns=[Column("code", _("Code"), CODE), Column("label", _("Indicator"), LABEL),
                 Column("unit", _("Unit"), TEXT), Column("value", _("Value"), RATE),
                 Column("target", _("Yearly target"), RATE), Column("attainment", _("Attainment (%)"), RATE)],
        rows=rows,
        note=_("Targets of the city's IP protection plan, entered by the platform administrators."),
    )


TITLE = _("Indicators of the city's IP plan")
register_table(Definition("plan_indicators", TITLE, plan_indicators, order=70))
