"""/cases/<id>/notes/ — the case's notes (办案笔记), oldest first on the
page with earlier ones a page back, and the form to add one: any agency
that sees the case may. "@" plus letters offers the colleagues a note may
mention (mentions.js asks /cases/<id>/mentions/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import User
from notifications.recipients import can_be_mentioned_as

from .. import access
from ..services import cases as service
from . import keyset
from .case_frame import case_page_context, load_case
from .rendering import page
from .form_attempts import submit

TEMPLATE = "casehub/case/notes.html"
PAGE_SIZE = 20
SUGGESTIONS = 8


class NoteForm(forms.Form):
    # Blank text is the service's refusal (audited there), so the field is
    # optional to the form though required to the user; the length is the API's limit.
    text = forms.CharField(
        label=_("Add a note"), required=False, strip=False, max_length=20000,
        help_text=_("Type @ and a name or username to mention a colleague who can see this case: they are notified."),
        widget=forms.Textarea(attrs={"rows": 4, "required": True, "aria-required": "true",
                                     "data-mentions-none": _("No colleague by that name")}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, auto_id="note-%s", **kwargs)
        self.fields["text"].widget.attrs["data-mentions-url"] = reverse("web:case-mentions", args=[case.pk])


def _context(request, case, form) -> dict:
    notes = keyset.newest_first(case.notes.select_related("author", "agency"), request, size=PAGE_SIZE)
    return {
        **case_page_context(request, case, "notes"),
        "notes": notes.rows[::-1],  # newest last, as a conversation reads
        "page": notes,
        "form": form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_notes(request, case_id: int):
    # A refused attempt is audited under the act it tried (case.add_note).
    case = load_case(request, case_id, action="add_note" if request.method == "POST" else "notes")
    if request.method != "POST":
        return page(request, TEMPLATE, _context(request, case, NoteForm(case=case)), partial="notes-list")
    form = NoteForm(request.POST, case=case)
    note = submit(request, form, lambda data: service.add_note(
        actor=request.user, case=case.pk, text=data["text"], request=request), case=case, action="case.add_note")
    if request.htmx:
        # The form comes back (blank after a note, with its errors if not);
        # a new note is appended to the list out of band.
        return page(request, TEMPLATE, {"case": case, "form": NoteForm(case=case) if note else form, "added": note},
                    partial="note-form")
    if note:
        messages.success(request, _("Note added."))
        return redirect(reverse("web:case-notes", args=[case.pk]) + f"#note-{note.pk}")
    return page(request, TEMPLATE, _context(request, case, form), status=400)


@login_required
@require_GET
def case_mentions(request, case_id: int):
    """Who a note on this case may @mention whose name or username starts
    with ?q=: the members of the agencies that see the case (who alone are
    told, notifications/recipients.py), as JSON for mentions.js."""
    case = load_case(request, case_id, action="mentions")
    typed = request.GET.get("q", "").lstrip("@").strip()[:64]
    people = User.objects.filter(pk__in=access.people_seeing_case(case.pk)).exclude(pk=request.user.pk)
    if typed:
        people = people.filter(username__istartswith=typed) | people.filter(full_name__istartswith=typed)
    found = [u for u in people.only("pk", "username", "full_name", "first_name", "last_name").order_by("username")
             [: SUGGESTIONS * 2] if can_be_mentioned_as(u.username)][:SUGGESTIONS]
    return JsonResponse({"results": [{"username": u.username, "name": u.display_name} for u in found]})


urlpatterns = [
    path("cases/<int:case_id>/notes/", case_notes, name="case-notes"),
    path("cases/<int:case_id>/mentions/", case_mentions, name="case-mentions"),
]
