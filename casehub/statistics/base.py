"""What every statistics table is made of: the filters it is read with,
its columns and rows, and the registry the API and pages list tables from.

A table is built by one function ``build(scope, filters) -> Table`` that
runs a few aggregate queries (GROUP BY in the database, a constant number
whatever the data) on what the viewer's scope counts
(access.statistics_cases and kin). Apps above the core (disclosure)
register their own tables here from their AppConfig.ready, the way
subscribers subscribe, so the core never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

# Column kinds: how a value reads and draws. "code" columns are the
# machine keys of the row (the API's), not shown on a page.
CODE, LABEL, COUNT, AMOUNT, RATE, DAYS, TEXT = "code", "label", "count", "amount", "rate", "days", "text"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy text
    kind: str = COUNT

    def as_dict(self) -> dict:
        return {"key": self.key, "label": str(self.label), "kind": self.kind}


@dataclass(frozen=True)
class Chart:
    """How the dashboard draws a table: `type` bar, line or pie, the label
    column on the x axis and the value columns as series."""

    type: str
    x: str
    series: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"type": self.type, "x": self.x, "series": list(self.series)}


@dataclass(frozen=True)
class Filters:
    year: int
    region: str | None = None  # a region code; its subregions count too
    region_codes: tuple[str, ...] | None = None

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the year."""
        return date(self.year + 1, 1, 1)

    def date_range(self, field_name: str) -> dict:
        return {f"{field_name}__gte": self.start, f"{field_name}__lt": self.end}

    def moment_range(self, field_name: str) -> dict:
        """The year as local (Asia/Shanghai) midnights, for a datetime field."""
        zone = timezone.get_current_timezone()
        return {f"{field_name}__gte": datetime.combine(self.start, time.min, tzinfo=zone),
                f"{field_name}__lt": datetime.combine(self.end, time.min, tzinfo=zone)}

    def in_region(self, queryset, case_path: str = ""):
        """Restrict rows to cases of the region (and its subregions)."""
        if self.region_codes is None:
            return queryset
        return queryset.filter(**{f"{case_path}region_id__in": self.region_codes})

    def as_dict(self) -> dict:
        return {"year": self.year, "region": self.region}


@dataclass
class Table:
    name: str
    title: object
    columns: list[Column]
    rows: list[list]
    chart: Chart | None = None
    note: object = ""

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> list:
        index = self.keys().index(key)
        return [row[index] for row in self.rows]

    def row(self, code) -> dict:
        """The row whose first column is `code`, by column key (tests, pages)."""
        for row in self.rows:
            if row[0] == code:
                return dict(zip(self.keys(), row, strict=True))
        raise KeyError(code)

    def as_dict(self, filters: Filters | None = None) -> dict:
        body = {
            "name": self.name,
            "title": str(self.title),
            "columns": [c.as_dict() for c in self.columns],
            "rows": [[plain(v) for v in row] for row in self.rows],
            "chart": self.chart.as_dict() if self.chart else None,
            "note": str(self.note),
        }
        if filters is not None:
            body["filters"] = filters.as_dict()
        return body


def plain(value):
    """A JSON-ready figure: money and rates as numbers with two decimals."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def rate(part, whole) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when nothing counts."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def days(duration) -> Decimal | None:
    """A duration in days with one decimal."""
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Definition:
    name: str
    title: object
    build: Callable[[object, Filters], Table]
    order: int = 100
    description: object = ""


@dataclass(frozen=True)
class Indicator:
    """An indicator of the city's IP plan: `value(scope, filters)` is its figure for the year."""

    key: str
    label: object
    unit: object
    value: Callable[[object, Filters], Decimal | int | None]
    order: int = 100


@dataclass
class Registry:
    tables: dict[str, Definition] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)


REGISTRY = Registry()


def register_table(definition: Definition) -> None:
    REGISTRY.tables[definition.name] = definition


def register_indicator(indicator: Indicator) -> None:
    REGISTRY.indicators[indicator.key] = indicator


def tables() -> list[Definition]:
    return sorted(REGISTRY.tables.values(), key=lambda d: (d.order, d.name))


def indicators() -> list[Indicator]:
    return sorted(REGISTRY.indicators.values(), key=lambda i: (i.order, i.key))


def definition(name: str) -> Definition | None:
    return REGISTRY.tables.get(name)
