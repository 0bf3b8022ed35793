import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..events import publish
from ..models import Case, CustodyEvent, EvidenceFile
from ..rules import files as rules
from .errors import Refused
from .timeline import record_event

CHUNK = 1024 * 1024


class FileRejected(Refused):
    pass


def _messages(problem: str, name: str) -> str:
    return {
        "empty": _("The file has no name."),
        "path": _("A file name may not contain folders or “..”."),
        "characters": _("The file name contains characters that are not allowed."),
        "length": _("The file name is longer than 200 characters."),
        "type": _("This kind of file is not accepted (by its content): PDF, images, Word, Excel, text or MP4 only."),
        "mismatch": _("The file's content does not match its name's extension (.%(ext)s).") % {
            "ext": rules.extension(name)},
    }[problem]


def check_upload(uploaded) -> tuple[str, str]:
    """(clean name, type) of an acceptable upload; raises FileRejected."""
    name = rules.clean_name(uploaded.name or "")
    problem = rules.name_problem(name)
    if problem:
        raise FileRejected({"file": [_messages(problem, name)]})
    limit = settings.CASEHUB_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise FileRejected({"file": [_("The file is larger than the limit of %(mb)d MB.") % {"mb": limit // 2**20}]})
    if uploaded.size == 0:
        raise FileRejected({"file": [_("The file is empty.")]})
    kind = rules.sniff(rules.head_of(uploaded), uploaded)
    problem = rules.type_problem(kind, name)
    if problem:
        raise FileRejected({"file": [_messages(problem, name)]})
    return name, kind


def digest(fileobj) -> str:
    sha = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        sha.update(chunk)
    fileobj.seek(0)
    return sha.hexdigest()


def custody(file: EvidenceFile, action: str, *, actor=None, agency_id=None, **detail) -> None:
    CustodyEvent.objects.create(file=file, action=action, actor=actor, agency_id=agency_id, detail=detail)


@transaction.atomic
def upload(*, actor, case: Case, uploaded, description: str = "", request=None) -> EvidenceFile:
    """Store a checked upload to a case by its owner's handler."""
    return store(actor=actor, case=case, uploaded=uploaded, description=description, request=request,
                 agency_id=audit.acting_agency_id(actor, case))


@transaction.atomic
def store(*, actor, case: Case, uploaded, agency_id, description: str = "", request=None) -> EvidenceFile:
    """Check and store a file for a case on behalf of `agency_id`. Nothing is
    written unless every check passes."""
    name, kind = check_upload(uploaded)
    evidence = EvidenceFile(
        case=case, name=name, description=description, kind=kind, content_type=rules.content_type_of(kind),
        size=uploaded.size, sha256=digest(uploaded), uploaded_by=actor, agency_id=agency_id,
    )
    evidence.file.save("upload", uploaded, save=False)
    stored_name, storage = evidence.file.name, evidence.file.storage
    try:
        evidence.save()
    except Exception:
        storage.delete(stored_name)
        raise
    custody(evidence, "uploaded", actor=actor, agency_id=agency_id, sha256=evidence.sha256, size=evidence.size)
    record_event(case, actor=actor, kind="file_added", summary=name, data={"file_id": evidence.pk, "size": evidence.size},
                 agency_id=agency_id)
    audit.record(user=actor, action="file.upload", object_type="file", object_id=evidence.pk, request=request,
                 agency_id=agency_id, detail={"case_id": case.pk, "sha256": evidence.sha256})
    publish("case.file_added", case_id=case.pk, file_id=evidence.pk, agency_id=case.owning_agency_id, actor_id=actor.pk)
    return evidence


def verify(evidence: EvidenceFile, *, actor=None, agency_id=None) -> bool:
    """Recompute the stored bytes' hash; flag the file (once) if it changed."""
    with evidence.file.open("rb") as handle:
        matches = digest(handle) == evidence.sha256
    if not matches and evidence.integrity_failed_at is None:
        evidence.integrity_failed_at = timezone.now()
        evidence.save(update_fields=["integrity_failed_at"])
        custody(evidence, "integrity_failed", actor=actor, agency_id=agency_id)
    return matches


def open_for_download(*, actor, evidence: EvidenceFile, request=None):
    """Check, record and open a file for a user who may see its case."""
    agency_id = audit.acting_agency_id(actor, evidence.case)
    intact = verify(evidence, actor=actor, agency_id=agency_id)
    custody(evidence, "viewed", actor=actor, agency_id=agency_id, intact=intact)
    audit.record(user=actor, action="file.download", object_type="file", object_id=evidence.pk, request=request,
                 agency_id=agency_id, detail={"case_id": evidence.case_id, "intact": intact})
    return evidence.file.open("rb"), intact
