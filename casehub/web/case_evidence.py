"""/cases/<id>/evidence/ — the case's evidence files (证据材料): name,
type, size, who uploaded it for which agency and when, the SHA-256 taken
at upload, the audited download and each file's chain of custody; the
upload form for those who may contribute (the service checks type and
size; its refusals show at the file field). upload.js posts the same form
with a progress bar; without script it is a plain multipart POST."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import access
from ..evidence_download import file_response
from ..rules.files import ACCEPTED
from ..rules.refusal import Refused
from ..services import evidence as service
from .case_frame import case_page_context, load_case
from .form_attempts import submit
from .rendering import page

TEMPLATE = "casehub/case/evidence.html"

CUSTODY_ACTIONS = {
    "uploaded": _("Uploaded"),
    "viewed": _("Downloaded"),
    "shared": _("Shared with the receiving agency by a transfer"),
    "handed_over": _("Handed over"),
    "integrity_failed": _("Found altered"),
}


# How a stored type is named to a reader (rules/files.py ACCEPTED).
KIND_LABELS = {"ole": "DOC/XLS", "text": "TXT", "jpeg": "JPG"}
ACCEPT = ",".join(sorted(f".{ext}" for extensions, _type in ACCEPTED.values() for ext in extensions))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True, max_length=None,
                           widget=forms.FileInput(attrs={"accept": ACCEPT}))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="upload-%s", **kwargs)
        self.fields["file"].help_text = gettext(
            "PDF, images, Word, Excel, text or MP4; at most %(mb)s MB. The type is judged by the content."
        ) % {"mb": settings.CASEHUB_MAX_UPLOAD_BYTES // 2**20}


def _context(request, case, form) -> dict:
    can_upload = access.can_contribute(request.user, case)
    return {
        **case_page_context(request, case, "evidence"),
        "files": [{"file": f, "kind": KIND_LABELS.get(f.kind, f.kind.upper())}
                  for f in case.files.select_related("uploaded_by", "agency")],
        "can_upload": can_upload,
        # A refused upload shows its reason even to one who sees no form.
        "form": form if can_upload or form.errors else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_evidence(request, case_id: int):
    case = load_case(request, case_id, action="upload" if request.method == "POST" else "files")
    if request.method != "POST":
        return page(request, TEMPLATE, _context(request, case, UploadForm()), partial="evidence-body")
    form = UploadForm(request.POST, request.FILES)
    stored = submit(request, form, lambda data: service.upload(
        actor=request.user, case=case.pk, uploaded=data["file"], description=data["description"], request=request),
        case=case, action="file.upload")
    if stored and not request.htmx:
        messages.success(request, _("File uploaded: %(name)s") % {"name": stored.name})
        return redirect(reverse("web:case-evidence", args=[case.pk]) + f"#file-{stored.pk}")
    context = _context(request, case, UploadForm() if stored else form)
    context["uploaded"] = stored
    # upload.js (an HTMX-style request) swaps the tab body, the list and the
    # form with its errors, as a 200 like the notes form's (HTMX swaps no 4xx).
    return page(request, TEMPLATE, context, partial="evidence-body", status=200 if stored or request.htmx else 400)


def _file_of_case(request, case_id: int, file_id: int, action: str):
    """The file, when the user may see its case and it belongs to this one
    (another's is a 404, audited by the service)."""
    try:
        evidence = service.find_file(actor=request.user, file_id=file_id, action=action, request=request)
    except Refused:
        raise Http404 from None
    if evidence.case_id != case_id:
        raise Http404
    return evidence


@login_required
@require_GET
def download(request, case_id: int, file_id: int):
    _file_of_case(request, case_id, file_id, "download")
    try:
        evidence, handle, intact = service.open_for_download(actor=request.user, file_id=file_id, request=request)
    except Refused:
        raise Http404 from None
    return file_response(evidence, handle, intact)


@login_required
@require_GET
def custody(request, case_id: int, file_id: int):
    """A file's chain of custody: the fragment its row opens, or a page."""
    _file_of_case(request, case_id, file_id, "custody")
    try:
        evidence, events = service.read_custody(actor=request.user, file_id=file_id, request=request)
    except Refused:
        raise Http404 from None
    rows = [{"event": e, "label": CUSTODY_ACTIONS.get(e.action, e.action)} for e in events]
    context = {**case_page_context(request, evidence.case, "evidence"), "file": evidence, "events": rows}
    return page(request, "casehub/case/custody.html", context, partial="custody")


urlpatterns = [
    path("cases/<int:case_id>/evidence/", case_evidence, name="case-evidence"),
    path("cases/<int:case_id>/evidence/<int:file_id>/download/", download, name="case-evidence-download"),
    path("cases/<int:case_id>/evidence/<int:file_id>/custody/", custody, name="case-evidence-custody"),
]
