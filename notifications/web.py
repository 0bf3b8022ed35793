"""The inbox page and the bell's panel: the latest notifications, rendered
on the server, kept live by the WebSocket (static/notifications/socket.js,
shared by bell.js and inbox.js). Marking read is a POST (CSRF) through
inbox.mark_read; an HTMX request gets the changed item back and the new
unread count in an HX-Trigger event the bell and the inbox page listen to."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import inbox
from .links import url_for
from .models import Notification

PANEL_SIZE = 10  # the bell's panel: the latest few; the inbox page has the rest
PAGE_SIZE = 50
UNREAD_EVENT = "notifications:unread"


def _items(rows) -> list[dict]:
    language = get_language()
    return [{**inbox.serialize(n, language), "url": url_for(n.payload), "when": n.created_at} for n in rows]


def _latest(user, size: int, after: int | None = None) -> list[dict]:
    mine = Notification.objects.filter(recipient=user)
    if after is not None:
        # `after` is a notification id; newer ones have a higher seq.
        seq = inbox.seq_of(user.pk, after)
        mine = mine.filter(seq__gt=seq) if seq is not None else mine.none()
    return _items(mine.order_by("-seq")[:size])


def _with_count(response, user):
    response["HX-Trigger"] = json.dumps({UNREAD_EVENT: {"count": inbox.unread_count(user)}})
    return response


@login_required
def inbox_page(request):
    items = _latest(request.user, PAGE_SIZE)
    return render(request, "notifications/inbox.html", {
        "items": items, "unread": inbox.unread_count(request.user), "last_id": items[0]["id"] if items else 0,
        "crumbs": [{"label": _("Notifications"), "url": ""}],
    })


@login_required
def latest(request):
    """The bell's panel (a fragment): my latest notifications; with
    ?after=<id>, only the items newer than that one (to add on top)."""
    after = request.GET.get("after", "")
    if after:
        if not after.isdigit() or len(after) > 18:
            raise Http404
        return render(request, "notifications/_items.html", {"items": _latest(request.user, PAGE_SIZE, int(after))})
    items = _latest(request.user, PANEL_SIZE)
    return render(request, "notifications/_latest.html", {"items": items, "unread": inbox.unread_count(request.user)})


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications-inbox")


@login_required
@require_POST
def mark_read(request, notification_id: int):
    """Mark one of my notifications read; another user's is a 404."""
    if inbox.seq_of(request.user.pk, notification_id) is None:
        raise Http404
    inbox.mark_read(request.user, [notification_id])
    if not request.htmx:
        return _back(request)
    row = Notification.objects.get(pk=notification_id, recipient=request.user)
    return _with_count(render(request, "notifications/_item.html", {"n": _items([row])[0]}), request.user)


@login_required
@require_POST
def mark_all_read(request):
    inbox.mark_read(request.user)
    if not request.htmx:
        return _back(request)
    return _with_count(render(request, "notifications/_latest.html", {
        "items": _latest(request.user, PANEL_SIZE), "unread": 0}), request.user)
