"""The inbox page: the latest notifications, rendered on the server, kept
live by the WebSocket (a few lines of script, no framework)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from . import inbox
from .models import Notification


@login_required
def inbox_page(request):
    latest = list(Notification.objects.filter(recipient=request.user).order_by("-seq")[:50])
    items = [inbox.serialize(n, get_language()) for n in latest]
    return render(request, "notifications/inbox.html", {
        "items": items, "unread": inbox.unread_count(request.user), "last_id": latest[0].pk if latest else 0,
    })


@login_required
@require_POST
def mark_all_read(request):
    inbox.mark_read(request.user)
    return redirect("notifications-inbox")
