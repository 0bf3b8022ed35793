"""The case table's head and rows, drawn in Python rather than by the
template: a list page draws fifty rows, and the template engine's tags and
lookups per cell cost several times the page's query (bench/web.py holds
the list page within 2× of the API's list). The cells: number (never
truncated), title, status badge, owning agency, IP type, next deadline
chip, and 查看 (the case page)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..templatetags.casehub_ui import deadline_chip, esc, status_badge

_MARK = 2147483647  # an id no case has: where the case page's URL takes its id


def head() -> str:
    """The table's <thead>, the cells' names in the reader's language."""
    names = (capfirst(_("case number")), capfirst(_("title")), capfirst(_("status")), capfirst(_("owning agency")),
             _("IP right type"), _("Next deadline"))
    cells = "".join(f'\n    <th scope="col">{esc(name)}</th>' for name in names)
    return SafeString(f'<thead><tr>{cells}\n    <th scope="col" class="actions">{esc(_("Actions"))}</th>\n  </tr></thead>')


def body(rows: list[dict]) -> str:
    """The <tr>s of a page of list rows (casehub/web/case_rows.with_labels),
    every value escaped (casehub_ui.esc) as format_html would."""
    before, _mark, after = (esc(part) for part in reverse("web:case", args=[_MARK]).partition(str(_MARK)))
    view, today = esc(_("View")), timezone.localdate()
    return SafeString("\n".join(
        f'<tr><td class="number">{esc(r["number"])}</td><td>{esc(r["title"])}</td>'
        f'<td>{status_badge(r["status"], r["status_display"])}</td><td>{esc(r["owning_agency"]["name"])}</td>'
        f'<td>{esc(r["ip_type_display"])}</td><td class="deadline">{deadline_chip(r["next_deadline"], today=today)}</td>'
        f'<td class="actions"><a href="{before}{esc(r["id"])}{after}">{view}</a></td></tr>'
        for r in rows))
