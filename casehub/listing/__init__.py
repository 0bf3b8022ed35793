"""The case list, shared by the API (/api/v1/cases/), the web UI (/cases/)
and the list's export: the hottest read path of casehub.

An officer's working list is read far more often than anything else, so it
runs as one SQL statement built from validated parameters — no queryset is
built or compiled, no model instantiated, no serializer field set up:

- `parameters.parse()` validates the query string (a `Refused` of kind
  invalid names each bad field: the API answers 400, the web form shows
  them at the fields);
- `conditions.conditions()` turns the filters into SQL over the case table,
  from a fixed list of columns: user text only ever travels as a parameter;
- `page.fetch_page()` runs the access module's scoped listing (owned UNION
  ALL shared, each branch walking its own index under one LIMIT) in the
  chosen order, keyed by a cursor (`cursors.py`);
- `rows.RowBuilder` builds each result exactly as the API's
  CaseListSerializer documents it (a test holds the two equal).

Two orders: newest first (``-id``, the default) and by next deadline
(``deadline``: next_deadline_on ascending, cases without a running deadline
last, id as tiebreak), each paged by an opaque keyset cursor.
"""

from .cursors import page_cursors
from .page import FIELDS, Page, count, fetch_page, walk
from .parameters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ORDERS, RANGES, parse
from .rows import RowBuilder

__all__ = ["DEFAULT_PAGE_SIZE", "FIELDS", "MAX_PAGE_SIZE", "ORDERS", "Page", "RANGES", "RowBuilder", "count", "fetch_page",
           "page_cursors", "parse", "walk"]
