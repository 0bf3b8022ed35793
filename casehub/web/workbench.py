"""/ — the workbench (工作台): what waits for the signed-in person in the
agency they work as. The core reads it (services/workbench.py); this view
only turns its sections into cards and links to the filtered case list."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from notifications import inbox
from notifications.links import url_for

from ..services.workbench import SOON_WORKING_DAYS, read_workbench
from .agency import current_agency_id

LATEST_NOTIFICATIONS = 5


def list_url(filters: dict) -> str:
    """The case list showing these filters (its parameter names)."""
    return f"{reverse('web:case-list')}?{urlencode(filters, doseq=True)}"


def _cards(board) -> list[dict]:
    cards = [
        {"label": _("My cases overdue"), "count": board.overdue.count, "url": list_url(board.overdue.filters),
         "alert": board.overdue.count > 0},
        {"label": _("My cases due within %(n)d working days") % {"n": SOON_WORKING_DAYS},
         "count": board.due_soon.count, "url": list_url(board.due_soon.filters), "alert": False},
    ] if board.handles_cases else []
    cards += [{"label": s.desk.label, "count": s.count, "url": list_url(s.filters), "alert": False}
              for s in board.desks]
    if board.outgoing_transfers is not None:
        cards.append({"label": _("Transfers awaiting my step"), "count": board.outgoing_transfers.count,
                      "url": "#outgoing-transfers", "alert": False})
    cards.append({"label": _("Incoming transfers"), "count": board.incoming_transfers.count,
                  "url": "#incoming-transfers", "alert": False})
    if board.supervised_transfers.count:
        cards.append({"label": _("Transfers under supervision"), "count": board.supervised_transfers.count,
                      "url": "#supervised-transfers", "alert": False})
    cards.append({"label": _("Assistance requests to answer"), "count": board.incoming_assistance.count,
                  "url": f"{reverse('web:assistance')}?box=incoming&open=on", "alert": False})
    return cards


def _unread(user) -> dict:
    """The latest unread notifications, each linking to the page of what it
    is about (notifications/links.py: a transfer's or an assistance
    request's page, its case), else the inbox."""
    items = [inbox.serialize(n, get_language()) for n in inbox.latest_unread(user, LATEST_NOTIFICATIONS)]
    for item in items:
        item["url"] = url_for(item["link"]) or (reverse("web:case", args=[item["case"]]) if item["case"]
                                                else reverse("notifications-inbox"))
    return {"count": inbox.unread_count(user), "rows": items}


@login_required
def workbench(request):
    board = read_workbench(request.user, current_agency_id(request))
    context = {"board": board, "soon_days": SOON_WORKING_DAYS}
    if board is not None:
        unread = context["unread"] = _unread(request.user)
        context["cards"] = [*_cards(board), {"label": _("Unread notifications"), "count": unread["count"],
                                             "url": reverse("notifications-inbox"), "alert": False}]
        context["my_cases"] = board.overdue.rows + board.due_soon.rows
        context["desks"] = [{"section": s, "url": list_url(s.filters)} for s in board.desks]
        context["desks_waiting"] = any(s.count for s in board.desks)
    return render(request, "casehub/workbench/workbench.html", context)
