"""Assistance requests (协查) asked during the year: answered, declined and
open; how long the answers took; how many came after their due date."""

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import AssistanceStatus
from .base import CODE, LABEL, RATE, Column, Definition, Table, days, rate, register_table
from .transfers import _median


def response_times(scope, filters):
    requests = (filters.in_region(access.statistics_assistance(scope), "case__")
                .filter(**filters.moment_range("requested_at")))
    took = ExpressionWrapper(F("answered_at") - F("requested_at"), output_field=DurationField())
    figures = requests.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status=AssistanceStatus.ANSWERED)),
        answered_late=Count("id", filter=Q(status=AssistanceStatus.ANSWERED, answered_late=True)),
        declined=Count("id", filter=Q(status=AssistanceStatus.DECLINED)),
        open=Count("id", filter=Q(status=AssistanceStatus.OPEN)),
        overdue=Count("id", filter=Q(status=AssistanceStatus.OPEN, due_on__lt=timezone.localdate())),
    )
    answered = requests.filter(status=AssistanceStatus.ANSWERED, answered_at__isnull=False)
    average = answered.aggregate(average=Avg(took))["average"]
    median = _median(answered, took, figures["answered"])
    rows = [
        ["total", str(_("Requests")), figures["total"]],
        ["answered", str(_("Answered")), figures["answered"]],
        ["declined", str(_("Declined")), figures["declined"]],
        ["open", str(_("Awaiting an answer")), figures["open"]],
        ["overdue", str(_("Awaiting an answer after the due date")), figures["overdue"]],
        ["average_days", str(_("Days to answer (average)")), days(average)],
        ["median_days", str(_("Days to answer (median)")), days(median)],
        ["on_time_rate", str(_("Answered by the due date (%)")),
         rate(figures["answered"] - figures["answered_late"], figures["answered"])],
    ]
    return Table(
        name="assistance_response", title=TITLE,
        columns=[Column("code", _("Code"), CODE), Column("label", _("Indicator"), LABEL),
                 Column("value", _("Value"), RATE)],
        rows=rows, note=_("Requests sent or received during the year."),
    )


TITLE = _("Assistance requests and response times")
register_table(Definition("assistance_response", TITLE, response_times, order=50))
