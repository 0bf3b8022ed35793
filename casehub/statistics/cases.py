"""Cases by status, IP type, kind, campaign and region, and month by month,
counted among the cases whose lead came in during the year."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from agencies.models import Region

from .. import access
from ..rules.workflow import Status
from ..vocabulary import Campaign, CaseKind, IpType
from .base import CODE, COUNT, LABEL, Chart, Column, Definition, Filters, Table, register_table


def scoped_cases(scope, filters: Filters, queryset=None):
    """The scope's cases of the region (every year)."""
    return filters.in_region(access.statistics_cases(scope, queryset))


def cases_of_year(scope, filters: Filters):
    """The scope's cases of the region whose lead came in during the year."""
    return scoped_cases(scope, filters).filter(**filters.date_range("lead_received_on"))


def _by(field_name: str, choices, scope, filters: Filters, *, blank_label=None):
    """(code, label, count) rows in the vocabulary's order, for the values that occur."""
    counts = dict(cases_of_year(scope, filters).order_by().values_list(field_name).annotate(n=Count("id")))
    labels = dict(choices)
    if blank_label is not None:
        labels = {"": blank_label, **labels}
    rows = [[code, str(label), counts.pop(code)] for code, label in labels.items() if code in counts]
    rows += [[code, code, n] for code, n in sorted(counts.items())]  # values no longer in the vocabulary
    return rows


def _count_table(name, title, field_name, choices, dimension, scope, filters, *, chart="bar", blank_label=None):
    return Table(
        name=name, title=title,
        columns=[Column("code", _("Code"), CODE), Column("label", dimension, LABEL), Column("cases", _("Cases"), COUNT)],
        rows=_by(field_name, choices, scope, filters, blank_label=blank_label),
        chart=Chart(chart, "label", ("cases",)),
    )


def by_status(scope, filters):
    return _count_table("cases_by_status", TITLES["cases_by_status"], "status", Status.choices, _("Status"),
                        scope, filters, chart="pie")


def by_ip_type(scope, filters):
    return _count_table("cases_by_ip_type", TITLES["cases_by_ip_type"], "ip_type", IpType.choices,
                        _("IP right type"), scope, filters)


def by_kind(scope, filters):
    return _count_table("cases_by_kind", TITLES["cases_by_kind"], "kind", CaseKind.choices, _("Case kind"),
                        scope, filters, chart="pie")


def by_campaign(scope, filters):
    return _count_table("cases_by_campaign", TITLES["cases_by_campaign"], "campaign", Campaign.choices,
                        _("Campaign"), scope, filters, blank_label=_("No campaign"))


def by_region(scope, filters):
    counts = list(cases_of_year(scope, filters).order_by().values_list("region_id").annotate(n=Count("id"))
                  .order_by("region_id"))
    names = dict(Region.objects.filter(pk__in=[code for code, _n in counts]).values_list("code", "name"))
    return Table(
        name="cases_by_region", title=TITLES["cases_by_region"],
        columns=[Column("code", _("Code"), CODE), Column("label", _("Region"), LABEL),
                 Column("cases", _("Cases"), COUNT)],
        rows=[[code, names.get(code, code), n] for code, n in counts],
        chart=Chart("bar", "label", ("cases",)),
    )


# column key -> (its label, the date that places a case in a month)
MONTH_SERIES = {
    "leads": (_("Leads received"), "lead_received_on"),
    "filed": (_("Filed"), "filed_on"),
    "decided": (_("Decided"), "decision_date"),
    "closed": (_("Closed"), "closed_on"),
}


def by_month(scope, filters):
    """Each month of the year: leads received, cases filed, decided and
    closed in it (each by its own date, among the scope's cases)."""
    counts = {}
    for key, (_label, date_field) in MONTH_SERIES.items():
        rows = (scoped_cases(scope, filters).filter(**filters.date_range(date_field)).order_by()
                .annotate(month=ExtractMonth(date_field)).values_list("month").annotate(n=Count("id")))
        counts[key] = dict(rows)
    return Table(
        name="cases_by_month", title=TITLES["cases_by_month"],
        columns=[Column("month", _("Month"), CODE), Column("label", _("Month"), LABEL),
                 *[Column(key, label, COUNT) for key, (label, _f) in MONTH_SERIES.items()]],
        rows=[[month, str(_("Month %(number)s") % {"number": month}), *[counts[key].get(month, 0) for key in MONTH_SERIES]] for month in range(1, 13)],
        chart=Chart("line", "label", tuple(MONTH_SERIES)),
    )


TITLES = {
    "cases_by_status": _("Cases by status"),
    "cases_by_ip_type": _("Cases by IP right type"),
    "cases_by_kind": _("Cases by kind"),
    "cases_by_campaign": _("Cases by campaign"),
    "cases_by_region": _("Cases by region"),
    "cases_by_month": _("Cases month by month"),
}


for order, (name, build) in enumerate([
    ("cases_by_status", by_status), ("cases_by_ip_type", by_ip_type), ("cases_by_kind", by_kind),
    ("cases_by_campaign", by_campaign), ("cases_by_region", by_region), ("cases_by_month", by_month),
], start=10):
    register_table(Definition(name, TITLES[name], build, order=order))
