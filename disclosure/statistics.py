"""Publication timeliness: penalty decisions of the year made public within
20 working days (the record's due date, rules/publicity.py), registered
into the core's statistics (casehub/statistics/) from the app's ready, so
the core lists it without importing disclosure."""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casehub import access
from casehub.statistics import Column, Definition, Indicator, Table, rate, register_indicator, register_table
from casehub.statistics.base import CODE, LABEL, RATE

from .models import DisclosureRecord, RecordStatus


def _records(scope, filters):
    cases = filters.in_region(access.statistics_cases(scope)).values("id")
    return DisclosureRecord.objects.filter(case_id__in=cases, **filters.date_range("decision_date"))


def _figures(scope, filters) -> dict:
    today = timezone.localdate()
    return _records(scope, filters).aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(published_on__isnull=False)),
        on_time=Count("id", filter=Q(published_on__isnull=False, published_on__lte=F("due_on"))),
        pending=Count("id", filter=Q(status=RecordStatus.PENDING, due_on__gte=today)),
        overdue=Count("id", filter=Q(status=RecordStatus.PENDING, due_on__lt=today)),
    )


def _timely_rate(figures: dict):
    """Published on time among those that were due: published, or pending past their due date."""
    return rate(figures["on_time"], figures["published"] + figures["overdue"])


def publication(scope, filters):
    figures = _figures(scope, filters)
    rows = [
        ["records", str(_("Penalty decisions to publish")), figures["total"]],
        ["published", str(_("Published")), figures["published"]],
        ["on_time", str(_("Published within 20 working days")), figures["on_time"]],
        ["late", str(_("Published late")), figures["published"] - figures["on_time"]],
        ["pending", str(_("Awaiting publication, not yet due")), figures["pending"]],
        ["overdue", str(_("Awaiting publication after the due date")), figures["overdue"]],
        ["rate", str(_("Timely publication rate (%)")), _timely_rate(figures)],
    ]
    return Table(
        name="publication_timeliness", title=TITLE,
        columns=[Column("code", _("Code"), CODE), Column("label", _("Indicator"), LABEL),
                 Column("value", _("Value"), RATE)],
        rows=rows,
        note=_("Penalty decisions made during the year; the rate counts those published or past their due date."),
    )


def timely_publication_rate(scope, filters):
    return _timely_rate(_figures(scope, filters))


TITLE = _("Publication within 20 working days")


def register() -> None:
    register_table(Definition("publication_timeliness", TITLE, publication, order=32))
    register_indicator(Indicator("timely_publication_rate", _("Timely publication rate of penalty decisions"),
                                 "%", timely_publication_rate, order=30))
