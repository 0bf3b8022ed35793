"""/transfers/<id>/ — a transfer's page: its header (kind, sides, status,
the running step and its deadline), the action bar with exactly the steps
the user may take (rules.available_steps on access.transfer_sides), the
case as the receiver may see it (the case service's audited read: masked ID
numbers, no informant), the materials with the list of those required
before sending, the hand-over record, and the procuratorate's supervision
(requests, opinions and the police's replies, each with its deadline).

Every act is a form posted to its own URL and given to the transfer service,
which decides: a refusal shows at the fields with the input kept, a
transfer changed since it was read says so, success redirects to the page
with a short message. Another agency's transfer is a 404 (audited)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..models import SupervisionOpinion, TimelineEvent, Transfer
from ..rules import transfers as rules
from ..rules.case_record import party_as_shown
from ..rules.refusal import Refused
from ..rules.transfers import MaterialKind, OpinionKind
from ..services import cases as case_service
from ..services import transfers as service
from ..vocabulary import PartyKind, PartyRole
from . import refusals, rendering
from .case_evidence import ACCEPT
from .case_frame import or_404
from .form_attempts import audit_invalid_form
from .transfer_steps import DONE, FORWARD, STEP_LABELS, step_deadline, step_form

TEMPLATE = "casehub/transfers/page.html"


# --- the forms of the acts beside the steps -----------------------------------
class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of material"), choices=[("", "—"), *MaterialKind.choices])
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.TypedChoiceField(label=_("A file of the case's evidence"), required=False, coerce=int,
                                  empty_value=None)
    upload = forms.FileField(label=_("Or upload a file"), required=False, allow_empty_file=True,
                             widget=forms.FileInput(attrs={"accept": ACCEPT}),
                             help_text=_("It joins the case's evidence and goes with the transfer."))

    def __init__(self, *args, files_of_case=(), **kwargs):
        super().__init__(*args, auto_id="material-%s", **kwargs)
        self.fields["file"].choices = [("", "—"), *((f.pk, f.name) for f in files_of_case)]

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("upload"):
            self.add_error("upload", _("Choose a file of the case or upload one, not both."))
        return data


class HandOverForm(forms.Form):
    note = forms.CharField(label=_("What was handed over, to whom"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="hand-over-%s", **kwargs)


class SupervisionRequestForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="supervision-%s", **kwargs)


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of opinion"), choices=[("", "—"), *OpinionKind.choices])
    opinion = forms.CharField(label=_("opinion"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="opinion-%s", **kwargs)


class ReplyForm(forms.Form):
    response = forms.CharField(label=_("reply"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, opinion_id: int, **kwargs):
        super().__init__(*args, auto_id=f"reply-{opinion_id}-%s", **kwargs)


# --- reading ------------------------------------------------------------------
def transfer_rows():
    return Transfer.objects.select_related("case", "case__owning_agency", "from_agency", "to_agency",
                                           "supervising_agency", "proposed_by")


def load_transfer(request, transfer_id, *, action: str = "read") -> Transfer:
    """The transfer as the user may see it, or a 404 (audited by the service)."""
    return or_404(service.find_transfer, actor=request.user, transfer_id=transfer_id, action=action,
                  request=request, queryset=transfer_rows())


def _case_summary(request, transfer) -> dict | None:
    """The case as this reader may see it: the case service's audited read,
    with each party as the access module shows it (masked ID numbers for
    other agencies; informants left out). None once the reader's agency no
    longer sees the case (a transfer withdrawn after its return)."""
    try:
        case, parties = case_service.read_parties(actor=request.user, case_id=transfer.case_id, request=request)
    except Refused:
        return None
    full_ids = access.can_see_full_id_numbers(request.user, case)
    roles, kinds = dict(PartyRole.choices), dict(PartyKind.choices)
    shown = []
    for party in parties:
        if party.role == PartyRole.INFORMANT:
            continue
        row = party_as_shown(party, full_ids=full_ids, informants=False)
        shown.append({**row, "role_label": roles.get(row["role"], row["role"]),
                      "kind_label": kinds.get(row["kind"], row["kind"])})
    return {"case": case, "parties": shown}


def _supervision_requests(transfer) -> list:
    """The sender's requests for supervision (the timeline's record of them)."""
    events = TimelineEvent.objects.filter(case_id=transfer.case_id, kind="supervision_requested").select_related(
        "actor", "agency").order_by("at", "id")
    return [e for e in events if e.data.get("transfer_id") == transfer.pk]


def _ordered_steps(user, transfer) -> list[str]:
    names = rules.available_steps(transfer.status, access.transfer_sides(user, transfer))
    forward = [n for n in names if n in FORWARD]
    return forward + [n for n in names if n not in forward]


def page_context(request, transfer, *, bound: dict | None = None, stale: bool = False) -> dict:
    """Everything the page shows; `bound` holds a posted form (by its key)
    to show again with its errors in place of a fresh one."""
    bound = bound or {}
    user = request.user
    materials = list(transfer.materials.select_related("file", "added_by"))
    attached = {m.kind for m in materials}
    labels = dict(MaterialKind.choices)
    required = [{"kind": k, "label": labels.get(k, k), "present": k in attached}
                for k in rules.required_materials(transfer.kind)]
    steps = _ordered_steps(user, transfer)
    step_forms = {name: step_form(name, transfer) for name in steps}
    if "step" in bound:
        step_forms[bound["step"].name] = bound["step"]
    can_add = access.can_add_transfer_material(user, transfer)
    opinions = list(SupervisionOpinion.objects.filter(transfer=transfer).select_related(
        "procuratorate", "issued_by", "responded_by").order_by("issued_at", "id"))
    today = timezone.localdate()
    opinion_rows = [{
        "opinion": o,
        "overdue": o.responded_at is None and o.due_on < today,
        "form_id": f"reply-form-{o.pk}",
        "reply_form": bound.get(f"reply-{o.pk}") or (ReplyForm(opinion_id=o.pk)
                                                       if access.can_reply_to_opinion(user, transfer, o) else None),
    } for o in opinions]
    deadline = step_deadline(transfer, today)
    # The step whose form is open: asked for, or refused.
    open_step = bound.get("step") or (step_forms.get(bound["open"]) if bound.get("open") else None)
    return {
        "transfer": transfer,
        "summary": _case_summary(request, transfer),
        "deadline": deadline,
        "step_label": STEP_LABELS.get(transfer.due_step, transfer.due_step),
        "overdue": bool(deadline and deadline["overdue"]),
        "steps": [{"name": n, "label": step_forms[n].label, "primary": i == 0 and n in FORWARD,
                   "irreversible": step_forms[n].irreversible,
                   "url": reverse("web:transfer-step", args=[transfer.pk, n])} for i, n in enumerate(steps)],
        "open_step": open_step,
        "dialogs": [step_forms[n] for n in steps if step_forms[n].irreversible and step_forms[n] is not open_step],
        "stale": stale,
        "materials": materials,
        "required_materials": required,
        "missing": [r["label"] for r in required if not r["present"]],
        "material_form": bound.get("material") or (
            MaterialForm(files_of_case=transfer.case.files.order_by("id")) if can_add else None),
        "hand_over_form": bound.get("hand_over") or (HandOverForm() if access.can_hand_over(user, transfer) else None),
        "hand_over_due": transfer.due_step == "hand_over",
        "supervision_requests": _supervision_requests(transfer),
        "supervision_form": bound.get("supervision") or (
            SupervisionRequestForm() if access.can_request_supervision(user, transfer) else None),
        "opinion_form": bound.get("opinion") or (OpinionForm() if access.can_issue_opinion(user, transfer) else None),
        "opinions": opinion_rows,
        "crumbs": [{"label": _("Transferred cases"), "url": reverse("web:transfers")},
                   {"label": transfer.case.number, "url": ""}],
    }


def _show(request, transfer, *, bound=None, stale=False):
    context = page_context(request, transfer, bound=bound, stale=stale)
    # A refused form is shown again as a 200 for HTMX (which swaps no 4xx), a 400 to a plain browser.
    status = 200 if request.method == "GET" or getattr(request, "htmx", None) else 400
    response = rendering.page(request, TEMPLATE, context, status=status)
    if request.method == "POST":
        response["HX-Push-Url"] = "false"
    return response


@login_required
@require_http_methods(["GET"])
def transfer_page(request, transfer_id: int):
    return _show(request, load_transfer(request, transfer_id))


def _done(request, transfer, message) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("web:transfer", args=[transfer.pk]))


# --- the steps ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def transfer_step(request, transfer_id: int, name: str):
    """A step's form (GET: into the page's action panel by HTMX, or the page
    with it open) and its submission."""
    if name not in rules.STEPS:
        raise Http404
    transfer = load_transfer(request, transfer_id, action="read" if request.method == "GET" else name)
    if request.method == "GET":
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return rendering.page(request, "casehub/transfers/_step_form.html",
                                  {"transfer": transfer, "form": step_form(name, transfer)})
        return _show(request, transfer, bound={"open": name} if name in _ordered_steps(request.user, transfer)
                     else None)
    form = step_form(name, transfer, data=request.POST)
    if not form.is_valid():
        audit_invalid_form(request, form, object_type="transfer", object_id=transfer.pk,
                           action=service.step_act(name))
        return _show(request, transfer, bound={"step": form})
    outcome = refusals.attempt(form, lambda: service.take_step(
        actor=request.user, transfer_id=transfer.pk, name=name, data=form.step_data(),
        expected_version=form.cleaned_data["version"], request=request))
    if outcome == refusals.DONE:
        return _done(request, transfer, DONE[name] % {"agency": transfer.to_agency.name}
                     if name in ("send", "resubmit") else DONE[name])
    return _show(request, load_transfer(request, transfer.pk), bound={"step": form},
                 stale=outcome == refusals.STALE)


# --- the other acts -------------------------------------------------------------
def _act(request, transfer, act: str, key: str, form, call, message):
    """A posted form given to its service (`call(cleaned_data)`): success
    redirects with a message; a refusal (of its shape, audited here as
    "transfer.<act>"; or by the service) shows at the form's fields on the page."""
    if not form.is_valid():
        audit_invalid_form(request, form, object_type="transfer", object_id=transfer.pk, action=f"transfer.{act}")
        return _show(request, transfer, bound={key: form})
    try:
        call(form.cleaned_data)
    except Refused as refused:
        refusals.to_form(form, refused)
        return _show(request, load_transfer(request, transfer.pk), bound={key: form})
    return _done(request, transfer, message)


def _posted(act: str, key: str, form_class, method: str, fields: tuple[str, ...], message):
    """The view of an act that posts one form (shown on the page as `key`)
    to one service function, `service.<method>`, with those of its fields."""
    def view(request, transfer_id: int):
        transfer = load_transfer(request, transfer_id, action=act)

        def call(data):
            getattr(service, method)(actor=request.user, transfer_id=transfer.pk,
                                     **{name: data[name] for name in fields}, request=request)

        return _act(request, transfer, act, key, form_class(request.POST), call, message)

    view.__name__ = view.__qualname__ = method
    return login_required(require_POST(view))


@login_required
@require_POST
def add_material(request, transfer_id: int):
    transfer = load_transfer(request, transfer_id, action="add_material")
    form = MaterialForm(request.POST, request.FILES, files_of_case=transfer.case.files.order_by("id"))

    def call(data):
        try:
            service.add_material(actor=request.user, transfer=transfer.pk, kind=data["kind"], title=data["title"],
                                 file=data.get("file"), uploaded=data.get("upload"), request=request)
        except Refused as refused:
            if data.get("upload") is not None and "file" in (refused.errors or {}):
                # The uploaded file's refusal (its type, its size) belongs under the upload.
                refused.errors["upload"] = refused.errors.pop("file")
            raise

    return _act(request, transfer, "add_material", "material", form, call, _("Material added."))


hand_over = _posted("hand_over", "hand_over", HandOverForm, "hand_over", ("note",),
                    _("Hand-over of items and files recorded."))
request_supervision = _posted("request_supervision", "supervision", SupervisionRequestForm, "request_supervision",
                              ("reason",), _("Supervision requested."))
issue_opinion = _posted("opinion", "opinion", OpinionForm, "issue_opinion", ("kind", "opinion"),
                        _("Supervision opinion issued."))


@login_required
@require_POST
def reply_to_opinion(request, transfer_id: int, opinion_id: int):
    transfer = load_transfer(request, transfer_id, action="reply_to_opinion")
    if not transfer.opinions.filter(pk=opinion_id).exists():
        raise Http404

    def call(data):
        service.reply_to_opinion(actor=request.user, transfer_id=transfer.pk, opinion_id=opinion_id,
                                 response=data["response"], request=request)

    return _act(request, transfer, "reply_to_opinion", f"reply-{opinion_id}",
                ReplyForm(request.POST, opinion_id=opinion_id), call, _("Reply sent to the procuratorate."))


urlpatterns = [
    path("transfers/<int:transfer_id>/", transfer_page, name="transfer"),
    path("transfers/<int:transfer_id>/steps/<slug:name>/", transfer_step, name="transfer-step"),
    path("transfers/<int:transfer_id>/materials/", add_material, name="transfer-materials"),
    path("transfers/<int:transfer_id>/hand-over/", hand_over, name="transfer-hand-over"),
    path("transfers/<int:transfer_id>/supervision/", request_supervision, name="transfer-supervision"),
    path("transfers/<int:transfer_id>/opinions/", issue_opinion, name="transfer-opinions"),
    path("transfers/<int:transfer_id>/opinions/<int:opinion_id>/reply/", reply_to_opinion, name="transfer-reply"),
]
