"""The case table's rows, drawn in Python rather than by the template: a
list page draws fifty, and the template engine's tags and lookups per cell
cost several times the page's query (bench/web.py holds the list page
within 2× of the API's list). The cells are those the template heads:
number (never truncated), title, status badge, owning agency, IP type, next
deadline chip, and 查看 (the case page)."""

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from ..templatetags.casehub_ui import deadline_chip, status_badge

_ROW = ('<tr><td class="number">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="deadline">{}</td>'
        '<td class="actions"><a href="{}">{}</a></td></tr>')
_MARK = 2147483647  # an id no case has: where the case page's URL takes its id


def body(rows: list[dict]) -> str:
    """The <tr>s of a page of list rows (casehub/web/case_rows.with_labels)."""
    before, _mark, after = reverse("web:case", args=[_MARK]).partition(str(_MARK))
    view = _("View")
    return format_html_join("\n", _ROW, (
        (r["number"], r["title"], status_badge(r["status"], r["status_display"]), r["owning_agency"]["name"],
         r["ip_type_display"], deadline_chip(r["next_deadline"]), f"{before}{r['id']}{after}", view)
        for r in rows))
