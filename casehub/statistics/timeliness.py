"""On-time rates: filing within its deadline, decision within its deadline
(publication within 20 working days: disclosure/statistics.py); and what
is overdue now."""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import AssistanceStatus
from ..rules.deadlines import RUNNING
from .base import CODE, COUNT, LABEL, RATE, Chart, Column, Definition, Table, rate, register_table
from .cases import scoped_cases

# code -> (label, the date the step was taken, the deadline it had)
STEPS = {
    "filing": (_("Filed within its deadline"), "filed_on", "filing_due_on"),
    "decision": (_("Decided within its deadline"), "decision_date", "decision_due_on"),
}

RATE_COLUMNS = [
    Column("code", _("Code"), CODE), Column("label", _("Indicator"), LABEL), Column("total", _("Counted"), COUNT),
    Column("on_time", _("On time"), COUNT), Column("late", _("Late"), COUNT), Column("rate", _("On-time rate (%)"), RATE),
]


def on_time(scope, filters):
    """Cases filed (decided) in the year whose deadline is known: how many
    within it."""
    rows = []
    for code, (label, taken_on, due_on) in STEPS.items():
        counted = (scoped_cases(scope, filters).filter(**filters.date_range(taken_on), **{f"{due_on}__isnull": False})
                   .aggregate(total=Count("id"), on_time=Count("id", filter=Q(**{f"{taken_on}__lte": F(due_on)}))))
        total, in_time = counted["total"], counted["on_time"]
        rows.append([code, str(label), total, in_time, total - in_time, rate(in_time, total)])
    return Table(name="timeliness", title=TITLES["timeliness"], columns=RATE_COLUMNS, rows=rows,
                 chart=Chart("bar", "label", ("rate",)))


def overdue_now(scope, filters):
    """What is past its deadline today, whatever the year (a state, not a
    count over the year): cases whose running deadline has passed, transfers
    whose running step is late, assistance requests unanswered after their due date."""
    today, now = timezone.localdate(), timezone.now()
    cases = (scoped_cases(scope, filters).filter(status__in=list(RUNNING), next_deadline_on__lt=today)
             .aggregate(n=Count("id"))["n"])
    transfers = (filters.in_region(access.statistics_transfers(scope), "case__")
                 .filter(due_at__lt=now)  # due_at is cleared once no step runs
                 .aggregate(n=Count("id"))["n"])
    assistance = (filters.in_region(access.statistics_assistance(scope), "case__")
                  .filter(status=AssistanceStatus.OPEN, due_on__lt=today).aggregate(n=Count("id"))["n"])
    return Table(
        name="overdue_now", title=TITLES["overdue_now"],
        columns=[Column("code", _("Code"), CODE), Column("label", _("What"), LABEL), Column("overdue", _("Overdue now"), COUNT)],
        rows=[["cases", str(_("Cases")), cases], ["transfers", str(_("Transfers")), transfers],
              ["assistance", str(_("Assistance requests")), assistance]],
        chart=Chart("bar", "label", ("overdue",)),
        note=_("Overdue today, whatever the year."),
    )


TITLES = {"timeliness": _("On-time rates"), "overdue_now": _("Overdue now")}

register_table(Definition("timeliness", TITLES["timeliness"], on_time, order=30))
register_table(Definition("overdue_now", TITLES["overdue_now"], overdue_now, order=31))
