"""Search highlights, shown safely: a backend's fragment is text with <em>
around the words found. The database backend escapes the text, the search
server may not; so every piece between the tags is read as text (entities
decoded) and escaped again, and only the highlight tags themselves become
markup (<mark>, balanced). Whatever a case's title or facts contain, no
other markup reaches the page."""

import html
import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_TAG = re.compile(r"(</?em>)", re.IGNORECASE)


def safe_highlight(fragment: str) -> str:
    out, open_ = [], False
    for piece in _TAG.split(str(fragment or "")):
        tag = piece.lower()
        if tag == "<em>":
            if not open_:
                out.append("<mark>")
                open_ = True
        elif tag == "</em>":
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(html.unescape(piece), quote=True))
    if open_:
        out.append("</mark>")
    return "".join(out)


def plain_text(fragment: str) -> str:
    """The fragment's text without the highlight tags."""
    return html.unescape(_TAG.sub("", str(fragment or "")))


@register.filter
def highlight(fragment):
    return mark_safe(safe_highlight(fragment))  # noqa: S308 — escaped above, tags alone kept
