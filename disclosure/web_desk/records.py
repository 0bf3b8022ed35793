"""/disclosures/ — the agency's disclosure records (公示管理): pending
review with the 20-working-day countdown and the late flag, public,
corrected, withdrawn, expired; filters as a form (HTMX swaps the rows and
pushes the URL), newest first in keyset pages.

/disclosures/<id>/ — one record as it will be (or was) published, with
what only the agency sees; approve (naming the regulated field), correct,
revoke (撤销公示), record a credit repair application; the revisions the
public saw. The services decide and audit; another agency's record is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from casehub import access
from casehub.calendar import working_calendar
from casehub.rules.refusal import Refused
from casehub.web import desk_list, keyset, rendering
from casehub.web.case_filter_bar import oob_errors

from .. import exports, history, services
from ..api.agency import ApprovalSerializer, CorrectionSerializer, RepairSerializer
from ..models import CreditRepair, DisclosureRecord, RecordStatus
from ..filtering import desk_records
from .common import IP_LABELS, countdown, penalty_labels, show_refusal, state_of, with_query
from .forms import ApproveForm, CorrectForm, RecordFilterForm, RepairForm, RevokeForm

PAGE_SIZE = 25
LIST = "disclosure/desk/list.html"
PAGE = "disclosure/desk/record.html"


def _crumbs(*more):
    return [{"label": _("Workbench"), "url": reverse("web:workbench")},
            {"label": _("Disclosure management"), "url": reverse("web:disclosures")}, *more]


filtered = desk_records  # the desk's rows for its cleaned filters (the export reads the same)


def _rows(records, today):
    cal = working_calendar()
    for record in records:
        yield {"record": record, "state": state_of(record), "deadline": countdown(record, cal, today),
               "ip_type": IP_LABELS.get(record.ip_type, record.ip_type),
               "overdue": record.status == RecordStatus.PENDING and record.due_on < today}


@login_required
@require_GET
def disclosure_list(request):
    return desk_response(request)


FILTERS = tuple(RecordFilterForm.base_fields)


def desk_response(request, *, status: int = 200):
    """The desk for the request's filters (an export with bad filters
    answers it with a 400: the same fields, marked)."""
    form = RecordFilterForm(request.GET)
    if form.is_valid():
        page = keyset.newest_first(exports.records(request.user, form.cleaned_data), request, size=PAGE_SIZE)
    else:
        page = keyset.Page([], None, None)
    base = reverse("web:disclosures")
    today = timezone.localdate()
    context = {
        "form": form,
        "rows": list(_rows(page.rows, today)),
        "newer_url": with_query(base, request.GET, after=page.newer) if page.newer else None,
        "older_url": with_query(base, request.GET, before=page.older) if page.older else None,
        "first_url": with_query(base, request.GET) if page.newer is None and request.GET.get("before") else None,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "oob_errors": oob_errors(form) if getattr(request, "htmx", None) else "",
        **desk_list.export_links(request, "web:disclosures-export", FILTERS),
        "crumbs": _crumbs(),
    }
    response = rendering.page(request, LIST, context, partial="rows", status=status)
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


def load_record(request, record_id: int) -> DisclosureRecord:
    record = access.visible_disclosure_records(request.user, DisclosureRecord.objects.select_related(
        "agency", "case", "approved_by")).filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


def _page(request, record, *, status=200, **forms):
    user = request.user
    decides = access.decides_disclosures(user, record.agency_id)
    open_ = record.status in (RecordStatus.PENDING, RecordStatus.PUBLISHED)
    public = services.is_public(record)
    repairs = list(record.repairs.select_related("recorded_by", "decided_by").order_by("-id"))
    snapshot = services.snapshot(record)
    revisions = [{**r, "penalties": penalty_labels(r["snapshot"].get("penalties"))}
                 for r in reversed(history.revisions(record, public=False))]  # newest first
    shown = {
        # A form with the refusal of a post is shown whoever sent it.
        "approve_form": forms.get("approve_form") or (ApproveForm(initial={"field": record.field}, auto_id="approve-%s")
                                                      if decides and record.status == RecordStatus.PENDING else None),
        "correct_form": forms.get("correct_form") or (CorrectForm.of(record) if decides and open_ else None),
        "revoke_form": forms.get("revoke_form"),
        "can_revoke": decides and open_,
        "repair_form": forms.get("repair_form") or (
            RepairForm(initial={"applied_on": timezone.localdate()}, auto_id="repair-%s")
            if public and access.records_repair_applications(user, record.agency_id)
            and not any(r.status == CreditRepair.Status.PENDING for r in repairs) else None),
    }
    context = {
        "record": record, "snapshot": snapshot, "state": state_of(record),
        "penalties": penalty_labels(record.penalties), "public_penalties": penalty_labels(snapshot["penalties"]),
        "ip_type": IP_LABELS.get(record.ip_type, record.ip_type),
        "deadline": countdown(record, working_calendar(), timezone.localdate()),
        "public_url": reverse("public-disclosure-page", args=[record.pk]) if public else None,
        "revisions": revisions, "repairs": repairs, "decides": decides,
        "revoke_dialog": RevokeForm(auto_id="revoke-%s") if shown["can_revoke"] and not shown["revoke_form"] else None,
        "crumbs": _crumbs({"label": record.decision_number, "url": ""}),
        **shown,
    }
    response = rendering.page(request, PAGE, context, status=status)
    if request.method == "POST":
        response["HX-Push-Url"] = "false"
    return response


@login_required
@require_GET
def disclosure_page(request, record_id: int):
    return _page(request, load_record(request, record_id))


def _act(request, record_id, form, call, done, form_name):
    """Give the posted form to its service: back to the record with a
    message, or the record page with the refusal at the form's fields."""
    try:
        call()
    except Refused as refusal:
        show_refusal(form, refusal)
        return _page(request, load_record(request, record_id), **{form_name: form})
    messages.success(request, done)
    return HttpResponseRedirect(reverse("web:disclosure", args=[record_id]))


@login_required
@require_POST
def approve(request, record_id: int):
    form = ApproveForm(request.POST, auto_id="approve-%s")
    return _act(request, record_id, form, lambda: services.approve(
        actor=request.user, record_id=record_id, form=ApprovalSerializer(data=request.POST), request=request),
        _t("Approved: the record is public."), "approve_form")


@login_required
@require_POST
def correct(request, record_id: int):
    form = CorrectForm(request.POST, auto_id="correct-%s")
    data = request.POST.copy()
    data.pop("revoked", None)  # revoking is its own act, confirmed in its dialog
    return _act(request, record_id, form, lambda: services.correct(
        actor=request.user, record_id=record_id, form=CorrectionSerializer(data=data), request=request),
        _t("Correction recorded."), "correct_form")


@login_required
@require_POST
def revoke(request, record_id: int):
    form = RevokeForm(request.POST, auto_id="revoke-form-%s")
    data = {"note": request.POST.get("note", ""), "revoked": True}
    return _act(request, record_id, form, lambda: services.correct(
        actor=request.user, record_id=record_id, form=CorrectionSerializer(data=data), request=request),
        _t("Publicity revoked: the record is no longer public."), "revoke_form")


@login_required
@require_POST
def apply_repair(request, record_id: int):
    form = RepairForm(request.POST, auto_id="repair-%s")
    return _act(request, record_id, form, lambda: services.apply_repair(
        actor=request.user, record_id=record_id, form=RepairSerializer(data=request.POST), request=request),
        _t("Credit repair application recorded."), "repair_form")


urlpatterns = [
    path("disclosures/", disclosure_list, name="disclosures"),
    path("disclosures/<int:record_id>/", disclosure_page, name="disclosure"),
    path("disclosures/<int:record_id>/approve/", approve, name="disclosure-approve"),
    path("disclosures/<int:record_id>/correct/", correct, name="disclosure-correct"),
    path("disclosures/<int:record_id>/revoke/", revoke, name="disclosure-revoke"),
    path("disclosures/<int:record_id>/repairs/", apply_repair, name="disclosure-repair"),
]
