"""The filters as SQL conditions on the case table (alias ``c``), from a
fixed list of columns: user text only ever travels as a parameter."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from ..models import Case, Party
from .parameters import MANY, RANGES


def column(name: str) -> str:
    return f'c."{Case._meta.get_field(name).column}"'


def conditions(values: dict, connection, *, user_id: int | None = None) -> tuple[list[str], list]:
    """SQL conditions on the case table (alias c) for the filters given;
    `user_id` is the signed-in user's, for ``mine``."""
    where, params = [], []
    ops = connection.ops

    def add(sql, *args):
        where.append(sql)
        params.extend(args)

    for name in MANY:
        if name in values:
            chosen = values[name]
            add(f"{column(name)} IN ({', '.join(['%s'] * len(chosen))})", *chosen)
    if "campaign" in values:
        add(f"{column('campaign')} = %s", values["campaign"])
    if "agency" in values:
        add(f"{column('owning_agency')} = %s", values["agency"])
    if "region" in values:
        codes = values["region"]
        add(f"{column('region')} IN ({', '.join(['%s'] * len(codes))})", *codes)
    for name, field in RANGES.items():
        start, stop = values.get(f"{name}_after"), values.get(f"{name}_before")
        if field == "created_at":
            # Whole local days, as bounds on the timestamp (its index stays usable).
            if start:
                add(f"{column(field)} >= %s", ops.adapt_datetimefield_value(_day_start(start)))
            if stop:
                add(f"{column(field)} < %s", ops.adapt_datetimefield_value(_day_start(stop + timedelta(days=1))))
            continue
        if start:
            add(f"{column(field)} >= %s", ops.adapt_datefield_value(start))
        if stop:
            add(f"{column(field)} <= %s", ops.adapt_datefield_value(stop))
    today = ops.adapt_datefield_value(timezone.localdate())
    if values.get("overdue") is True:
        add(f"{column('next_deadline_on')} < %s", today)
    elif values.get("overdue") is False:
        add(f"({column('next_deadline_on')} >= %s OR {column('next_deadline_on')} IS NULL)", today)
    if "due_before" in values:
        add(f"{column('next_deadline_on')} <= %s", ops.adapt_datefield_value(values["due_before"]))
    if values.get("mine"):
        if user_id is None:
            raise ValueError("mine=true needs the signed-in user's id")
        add(*_mine_condition(user_id))
    if values.get("party"):
        add(*_party_condition(values["party"]))
    return where, params


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _mine_condition(user_id: int) -> tuple[str, int, int]:
    """The user is the case's lead officer or one of its handlers."""
    through = Case.handlers.through._meta
    case_column, user_column = through.get_field("case").column, through.get_field("user").column
    return (f'({column("lead_officer")} = %s OR EXISTS (SELECT 1 FROM "{through.db_table}" h '
            f'WHERE h."{case_column}" = c."id" AND h."{user_column}" = %s))', user_id, user_id)


def _party_condition(text: str) -> tuple[str, str]:
    table = Party._meta.db_table
    if len(text) == 18 and text.isalnum():
        return (f'EXISTS (SELECT 1 FROM "{table}" p WHERE p."case_id" = c."id" AND p."credit_code" = %s)',
                text.upper())
    # Informants are not searchable by name: that would reveal them.
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (f'EXISTS (SELECT 1 FROM "{table}" p WHERE p."case_id" = c."id" AND p."role" <> \'informant\' '
            f"AND UPPER(p.\"name\") LIKE UPPER(%s) ESCAPE '\\')", pattern)
