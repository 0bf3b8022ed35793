"""/credit-repairs/ — the credit repair applications (信用修复) to my
agencies' records: those awaiting a decision first, then the decided,
newest first; filters; approve or refuse (with the reasons, in a dialog).
The service decides who may (the deciding agency's reviewers and head)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from casehub import access
from casehub.rules.refusal import Refused
from casehub.web import desk_list, rendering
from casehub.web.case_filter_bar import oob_errors

from .. import exports, services
from ..api.agency import DecisionSerializer
from ..models import CreditRepair
from .common import show_refusal, with_query
from ..filtering import desk_repairs
from .forms import DecideRepairForm, RepairFilterForm

PAGE_SIZE = 25
TEMPLATE = "disclosure/desk/repairs.html"
_RANK = Case(When(status=CreditRepair.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())


def _cursor(value: str | None) -> tuple[int, int] | None:
    """?from=<rank>-<id>: the page after that row (pending rank 0)."""
    rank, _dash, pk = (value or "").partition("-")
    if rank in ("0", "1") and pk.isdigit() and len(pk) < 19:
        return int(rank), int(pk)
    return None


filtered = desk_repairs  # the desk's applications for its cleaned filters (the export reads the same)


FILTERS = tuple(RepairFilterForm.base_fields)


def desk_response(request, *, status: int = 200):
    """The desk for the request's filters (an export with bad filters answers it with a 400)."""
    return _page(request, status=status)


def _page(request, *, failed=None, status=200):
    form = RepairFilterForm(request.GET)
    rows, next_cursor = [], None
    if form.is_valid():
        queryset = exports.repairs(request.user, form.cleaned_data).annotate(rank=_RANK)
        after = _cursor(request.GET.get("from"))
        if after:
            queryset = queryset.filter(Q(rank__gt=after[0]) | Q(rank=after[0], pk__lt=after[1]))
        rows = list(queryset.order_by("rank", "-pk")[: PAGE_SIZE + 1])
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            next_cursor = f"{rows[-1].rank}-{rows[-1].pk}"
    base = reverse("web:credit-repairs")
    query = request.GET.copy()
    query.pop("from", None)
    deciding = access.agency_ids_with_role(request.user, access.DISCLOSURE_DECIDERS)
    context = {
        "form": form,
        "rows": [{"repair": r, "decides": r.record.agency_id in deciding and r.status == CreditRepair.Status.PENDING,
                  "failed": failed if failed and failed[0] == r.pk else None} for r in rows],
        "failed": failed,
        "next_url": with_query(base, query, **{"from": next_cursor}) if next_cursor else None,
        "first_url": with_query(base, query) if request.GET.get("from") else None,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "oob_errors": oob_errors(form) if getattr(request, "htmx", None) else "",
        "decide_form": DecideRepairForm(auto_id="decide-%s"),
        **desk_list.export_links(request, "web:credit-repairs-export", FILTERS),
        "crumbs": [{"label": _("Workbench"), "url": reverse("web:workbench")},
                   {"label": _("Credit repair"), "url": ""}],
    }
    response = rendering.page(request, TEMPLATE, context, partial="rows", status=status)
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def repair_list(request):
    return _page(request)


@login_required
@require_POST
def decide(request, repair_id: int, verdict: str):
    if verdict not in ("approve", "refuse"):
        raise Http404
    approve_it = verdict == "approve"
    form = DecideRepairForm(request.POST, auto_id=f"decide-{repair_id}-%s")
    try:
        repair = services.decide_repair(actor=request.user, repair_id=repair_id, approve_it=approve_it,
                                        form=DecisionSerializer(data=request.POST), request=request)
    except Refused as refusal:
        show_refusal(form, refusal)
        return _page(request, failed=(repair_id, verdict, form))
    messages.success(request, _t("Credit repair approved: the record is withdrawn from publicity.") if approve_it
                     else _t("Credit repair refused."))
    back = request.POST.get("next", "")
    if back == "record":
        return HttpResponseRedirect(reverse("web:disclosure", args=[repair.record_id]))
    return HttpResponseRedirect(reverse("web:credit-repairs"))


urlpatterns = [
    path("credit-repairs/", repair_list, name="credit-repairs"),
    path("credit-repairs/<int:repair_id>/<str:verdict>/", decide, name="credit-repair-decide"),
]
