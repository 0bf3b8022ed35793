"""How the web UI shows the core's values, the same on every page
(shared/ui.md): status badges, deadline chips, money, dates. Formatting
only: what a user may see or do is decided before a template runs."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from html import escape

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils import numberformat, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..rules.workflow import Status

register = template.Library()

_STATUS_LABELS = dict(Status.choices)


def esc(value) -> str:
    """conditional_escape's text without its cost per call (a list page
    draws a badge and a chip per row): safe strings as they are, anything
    else escaped as Django escapes (html.escape)."""
    if value.__class__ is str:
        return escape(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


# The frame's assets' tags: their addresses are the process's (the static
# files' manifest), the same for every page; kept until a setting changes.
_assets: dict = {}


def _forget_assets(**kwargs) -> None:
    _assets.clear()


setting_changed.connect(_forget_assets, dispatch_uid="casehub_ui_frame_assets")


@register.simple_tag(takes_context=True)
def frame_assets(context):
    """The frame's icon, style sheets and scripts (htmx, site.js; the bell's
    for a signed-in user), all served by the application."""
    from django_htmx.jinja import htmx_script

    nonce, signed_in = context.get("csp_nonce"), bool(context.get("frame"))
    key = (settings.DEBUG, signed_in)
    if nonce is None and key in _assets:
        return _assets[key]
    bell = (f'<script src="{esc(static("notifications/socket.js"))}" defer></script>'
            f'<script src="{esc(static("notifications/bell.js"))}" defer></script>') if signed_in else ""
    html = SafeString(
        f'<link rel="icon" href="{esc(static("casehub/favicon.svg"))}" type="image/svg+xml">\n'
        f'  <link rel="stylesheet" href="{esc(static("casehub/site.css"))}">\n'
        f'  <link rel="stylesheet" href="{esc(static("casehub/print.css"))}" media="print">\n'
        f'  {htmx_script(nonce=nonce)}\n'
        f'  <script src="{esc(static("casehub/site.js"))}" defer></script>\n'
        f'  {bell}')
    if nonce is None:
        _assets[key] = html
    return html


@register.simple_tag(takes_context=True)
def topbar(context):
    """The frame's top bar (casehub/web/frame.py draws it)."""
    from ..web.frame import topbar

    return topbar(context)


@register.simple_tag(takes_context=True)
def sidenav(context):
    """The frame's left navigation, for a signed-in user."""
    from ..web.frame import sidenav

    return sidenav(context)


@register.simple_tag
def status_badge(status: str, label: str | None = None):
    """One colour per stage (site.css .badge-<status>)."""
    text = label or _STATUS_LABELS.get(status, status)
    return SafeString(f'<span class="badge badge-{esc(status)}">{esc(text)}</span>')


def chip_of(deadline: dict | None, clock_reason: str = "", today: date | None = None) -> dict | None:
    """What a deadline chip shows: its level, text, due day and warning."""
    if not deadline:
        return None
    due = deadline.get("due_on")
    if isinstance(due, str):
        due = date.fromisoformat(due[:10])
    left = deadline.get("working_days_left")
    if deadline.get("paused") or due is None:
        level, text = "paused", _("Clock stopped")
        if clock_reason:
            text = f"{text}（{clock_reason}）"
    elif deadline.get("overdue"):
        days = ((today or timezone.localdate()) - due).days
        level, text = "overdue", ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", days) % {"n": days}
    else:
        level = "urgent" if left is not None and left <= 1 else "soon" if left is not None and left <= 3 else "ok"
        text = ngettext("%(n)d working day left", "%(n)d working days left", left or 0) % {"n": left or 0}
    return {"level": level, "text": text, "due": due, "warning": calendar_warning(deadline.get("warning")),
            "name": deadline.get("name")}


@register.simple_tag
def deadline_chip(deadline: dict | None, clock_reason: str = "", today: date | None = None):
    """剩余 N 个工作日 (amber at ≤ 3, red at ≤ 1), 已逾期 (red), 计时中止
    (grey, with the reason), and the calendar warning beside it. Drawn in
    Python, not by a template: a list draws one per row (and gives the day
    once for all of them)."""
    chip = chip_of(deadline, clock_reason, today)
    if chip is None:
        return ""
    due = esc(ymd(chip["due"])) if chip["due"] else ""
    html = f'<span class="chip chip-{esc(chip["level"])}" title="{due}">{esc(chip["text"])}</span>'
    if due:
        html += f' <span class="due">{due}</span>'
    if chip["warning"]:
        html += f' <small class="calendar-warning">{esc(chip["warning"])}</small>'
    return SafeString(html)


_NOT_LOADED = re.compile(r"calendar for (\d{4}) not loaded")


def calendar_warning(warning: str | None) -> str:
    """The deadline's warning in the reader's language (the rules write
    "calendar for 2027 not loaded" when a year's working days are guessed)."""
    if not warning:
        return ""
    years = _NOT_LOADED.findall(warning)
    if not years:
        return warning
    return _("The working-day calendar for %(years)s is not loaded; the date counts weekdays only.") % {
        "years": "、".join(years)}


@register.filter
def yuan(value):
    """¥12,345.00"""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    # Grouped by thousands whatever the locale's settings (NUMBER_GROUPING is 0 by default).
    return "¥" + numberformat.format(amount, ".", 2, 3, ",", force_grouping=True)


@register.filter
def ymd(value):
    """YYYY-MM-DD, in Asia/Shanghai for a moment."""
    if value.__class__ is date and value.year >= 1000:  # the common case, first (a list draws one a row)
        return value.isoformat()
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value[:10]
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d")


@register.filter
def ymd_hm(value):
    """YYYY-MM-DD HH:MM in Asia/Shanghai."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value) or value
        if isinstance(value, str):
            return value[:16].replace("T", " ")
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")
