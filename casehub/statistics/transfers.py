"""Transfers by kind and step; the suspected crimes sent to the police:
days from the proposal to the police decision, refusal and
reconsideration rates, hand-over of items and files on time. Counted among
the transfers proposed during the year."""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from .. import access
from ..rules.transfers import TransferKind, TransferStatus, period
from .base import CODE, COUNT, LABEL, RATE, Chart, Column, Definition, Table, days, rate, register_table


def transfers_of_year(scope, filters):
    return filters.in_region(access.statistics_transfers(scope), "case__").filter(**filters.moment_range("proposed_at"))


def by_kind_and_step(scope, filters):
    counts = dict(((kind, status), n) for kind, status, n in
                  transfers_of_year(scope, filters).order_by().values_list("kind", "status").annotate(n=Count("id")))
    rows = [[f"{kind}:{status}", f"{status_label} · {kind_label}", str(kind_label), str(status_label),
             counts[(kind, status)]]
            for kind, kind_label in TransferKind.choices for status, status_label in TransferStatus.choices
            if (kind, status) in counts]
    return Table(
        name="transfers_by_kind_step", title=TITLES["transfers_by_kind_step"],
        columns=[Column("code", _("Code"), CODE), Column("label", _("Kind and step"), LABEL),
                 Column("kind", _("Kind"), LABEL), Column("step", _("Step"), LABEL),
                 Column("transfers", _("Transfers"), COUNT)],
        rows=rows, chart=Chart("bar", "label", ("transfers",)),
    )


# The police have decided whether to open a case (accepting it, or refusing it).
DECIDED = (TransferStatus.ACCEPTED, TransferStatus.REFUSED, TransferStatus.RECONSIDERATION,
           TransferStatus.REFUSAL_UPHELD)
REFUSED = (TransferStatus.REFUSED, TransferStatus.RECONSIDERATION, TransferStatus.REFUSAL_UPHELD)
RECONSIDERED = (TransferStatus.RECONSIDERATION, TransferStatus.REFUSAL_UPHELD)


def _median(queryset, expression, count: int):
    """The median of `expression` over `count` rows, read in the database:
    the middle one or two values in order (one query, on any backend)."""
    if not count:
        return None
    middle = (queryset.annotate(value=expression).order_by("value")
              .values_list("value", flat=True)[(count - 1) // 2:count // 2 + 1])
    values = list(middle)
    return sum(values, timedelta()) / len(values)


def to_police(scope, filters):
    crimes = transfers_of_year(scope, filters).filter(kind=TransferKind.SUSPECTED_CRIME)
    took = ExpressionWrapper(F("decided_at") - F("proposed_at"), output_field=DurationField())
    amount, unit = period("hand_over")
    hand_over_days = timedelta(days=amount) if unit == "days" else timedelta(hours=amount)
    decided = crimes.filter(status__in=DECIDED, decided_at__isnull=False)
    figures = crimes.aggregate(
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        decided=Count("id", filter=Q(status__in=DECIDED, decided_at__isnull=False)),
        refused=Count("id", filter=Q(status__in=REFUSED)),
        reconsidered=Count("id", filter=Q(status__in=RECONSIDERED)),
        accepted=Count("id", filter=Q(status=TransferStatus.ACCEPTED)),
        handed_over=Count("id", filter=Q(status=TransferStatus.ACCEPTED, handed_over_at__isnull=False)),
        handed_over_on_time=Count("id", filter=Q(status=TransferStatus.ACCEPTED,
                                                 handed_over_at__lte=F("decided_at") + hand_over_days)),
    )
    average = decided.aggregate(average=Avg(took))["average"]
    median = _median(decided, took, figures["decided"])
    rows = [
        ["sent", str(_("Sent to the police")), figures["sent"]],
        ["decided", str(_("Decided by the police")), figures["decided"]],
        ["average_days", str(_("Days from the proposal to the police decision (average)")), days(average)],
        ["median_days", str(_("Days from the proposal to the police decision (median)")), days(median)],
        ["refusal_rate", str(_("Refusal rate (%)")), rate(figures["refused"], figures["decided"])],
        ["reconsideration_rate", str(_("Reconsideration rate of refusals (%)")),
         rate(figures["reconsidered"], figures["refused"])],
        ["hand_over_on_time_rate", str(_("Items and files handed over on time (%)")),
         rate(figures["handed_over_on_time"], figures["handed_over"])],
    ]
    return Table(
        name="transfers_to_police", title=TITLES["transfers_to_police"],
        columns=[Column("code", _("Code"), CODE), Column("label", _("Indicator"), LABEL),
                 Column("value", _("Value"), RATE)],
        rows=rows, chart=None,
        note=_("Suspected crimes proposed during the year. Refusals are those still refused, under "
               "reconsideration or upheld; hand-over on time: within %(days)s days of the police opening the case.")
        % {"days": amount},
    )


TITLES = {"transfers_by_kind_step": _("Transfers by kind and step"),
          "transfers_to_police": _("Transfers of suspected crimes to the police")}

register_table(Definition("transfers_by_kind_step", TITLES["transfers_by_kind_step"], by_kind_and_step, order=40))
register_table(Definition("transfers_to_police", TITLES["transfers_to_police"], to_police, order=41))
