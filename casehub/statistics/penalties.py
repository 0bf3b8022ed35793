"""Fines and confiscations by IP type (penalty decisions of the year), and
repeat infringers: the same respondent (by unified social credit code) in
two or more of the year's cases."""

from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from ..models import Party
from ..rules.workflow import Outcome
from ..vocabulary import IpType, PartyRole
from .base import AMOUNT, CODE, COUNT, LABEL, TEXT, Chart, Column, Definition, Table, money, register_table
from .cases import cases_of_year, scoped_cases

REPEAT_INFRINGERS_SHOWN = 100


def by_ip_type(scope, filters):
    rows = (scoped_cases(scope, filters).filter(**filters.date_range("decision_date"), outcome=Outcome.PENALTY)
            .order_by().values_list("ip_type")
            .annotate(n=Count("id"), fines=Sum("fine_amount"), confiscated=Sum("confiscated_amount")))
    figures = {code: (n, fines, confiscated) for code, n, fines, confiscated in rows}
    labels = dict(IpType.choices)
    ordered = [code for code in labels if code in figures] + sorted(set(figures) - set(labels))
    return Table(
        name="penalties_by_ip_type", title=TITLES["penalties_by_ip_type"],
        columns=[Column("code", _("Code"), CODE), Column("label", _("IP right type"), LABEL),
                 Column("decisions", _("Penalty decisions"), COUNT), Column("fines", _("Fines (yuan)"), AMOUNT),
                 Column("confiscated", _("Confiscated (yuan)"), AMOUNT)],
        rows=[[code, str(labels.get(code, code)), figures[code][0], money(figures[code][1]), money(figures[code][2])]
              for code in ordered],
        chart=Chart("bar", "label", ("fines", "confiscated")),
        note=_("Penalty decisions made during the year."),
    )


def repeat_infringers(scope, filters):
    """Two queries: the codes with their number of distinct cases (each
    (code, case) pair once, then counted: hash aggregates, no sort of every
    respondent), then the shown codes' names."""
    cases = cases_of_year(scope, filters).values("id")
    respondents = Party.objects.filter(case_id__in=cases, role=PartyRole.RESPONDENT).exclude(credit_code="")
    pairs_sql, params = respondents.values("credit_code", "case_id").distinct().order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.credit_code, COUNT(*) AS n FROM ({pairs_sql}) d GROUP BY d.credit_code "
                       f"HAVING COUNT(*) >= 2 ORDER BY n DESC, d.credit_code LIMIT {REPEAT_INFRINGERS_SHOWN}", params)
        counted = cursor.fetchall()
    names = dict(respondents.filter(credit_code__in=[code for code, _n in counted]).order_by()
                 .values_list("credit_code").annotate(name=Max("name"))) if counted else {}
    rows = [(code, n, names.get(code, "")) for code, n in counted]
    return Table(
        name="repeat_infringers", title=TITLES["repeat_infringers"],
        columns=[Column("code", _("Unified social credit code"), TEXT), Column("label", _("Respondent"), LABEL),
                 Column("cases", _("Cases"), COUNT)],
        rows=[[code, name, n] for code, n, name in rows],
        chart=None,
        note=_("Respondents identified by their unified social credit code in two or more of the year's cases "
               "(at most %(count)s shown).") % {"count": REPEAT_INFRINGERS_SHOWN},
    )


TITLES = {"penalties_by_ip_type": _("Fines and confiscations by IP right type"),
          "repeat_infringers": _("Repeat infringers")}

register_table(Definition("penalties_by_ip_type", TITLES["penalties_by_ip_type"], by_ip_type, order=60))
register_table(Definition("repeat_infringers", TITLES["repeat_infringers"], repeat_infringers, order=61))
