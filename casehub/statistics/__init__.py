"""Statistics of the cases, transfers, assistance requests and penalties a
viewer may count (access.statistics_scope), as small tables: plain
aggregate queries, one module per family. Read through
casehub.services.statistics, which authorises and audits each read."""

from . import assistance, cases, indicators, penalties, timeliness, transfers  # noqa: F401 (they register)
from .base import (REGISTRY, Chart, Column, Definition, Filters, Indicator, Table, definition, rate,
                   register_indicator, register_table, tables)
from .base import indicators as indicator_list
from .filters import parse

__all__ = ["REGISTRY", "Chart", "Column", "Definition", "Filters", "Indicator", "Table", "definition",
           "indicator_list", "parse", "rate", "register_indicator", "register_table", "tables"]
