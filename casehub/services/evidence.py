import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, audit
from ..events import publish
from ..models import Case, CustodyEvent, EvidenceFile
from ..rules import files as rules
from .cases import lock_case
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


_UPLOAD_REFUSED = gettext_lazy("Only the owning agency's handlers add files to an open case.")


def upload(*, actor, case, uploaded, description: str = "", request=None) -> EvidenceFile:
    """Store a checked upload to a case (`case`: the case or its id) by one
    who may contribute to it: the owner's handlers, a co-handler's."""
    case_id = getattr(case, "pk", case)
    with audit.act(user=actor, action="file.upload", object_type="case", object_id=case_id,
                   request=request) as act:
        case = lock_case(actor, case_id, act, lock=False)
        if not access.can_contribute(actor, case):
            raise Refused.deny(_UPLOAD_REFUSED)
        evidence = store(actor=actor, case=case, uploaded=uploaded, description=description, agency_id=act.agency_id)
        act.about(evidence, object_type="file")
        act.detail.update(case_id=case.pk, sha256=evidence.sha256, size=evidence.size)
    return evidence


def store(*, actor, case: Case, uploaded, agency_id, description: str = "") -> EvidenceFile:
    """Check and store a file for a case on behalf of `agency_id`, within
    the caller's act (an upload, an assistance answer). Nothing is written
    unless every check passes."""
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
    # Bytes stored by an act that then rolls back are left for sweep_evidence.
    custody(evidence, "uploaded", actor=actor, agency_id=agency_id, sha256=evidence.sha256, size=evidence.size)
    record_event(case, actor=actor, kind="file_added", summary=name, data={"file_id": evidence.pk, "size": evidence.size},
                 agency_id=agency_id)
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


def _lookup(actor, file_id) -> tuple[EvidenceFile | None, bool]:
    """The file by id, and whether the actor may see its case."""
    evidence = None
    if str(file_id).isdigit():
        evidence = EvidenceFile.objects.select_related("case", "uploaded_by", "agency").filter(pk=file_id).first()
    return evidence, evidence is not None and access.can_see_case(actor, evidence.case)


def _file_for(actor, file_id, act: audit.Act) -> EvidenceFile:
    """The file for an act, if the actor may see its case; a 404 (denied, on
    the case's owner) if not."""
    evidence, visible = _lookup(actor, file_id)
    if not visible:
        act.about(object_id=file_id, owner_agency_id=evidence.case.owning_agency_id if evidence else None)
        raise Refused.missing()
    act.about(evidence, case=evidence.case)
    act.detail["case_id"] = evidence.case_id
    return evidence


def find_file(*, actor, file_id, action: str, request=None) -> EvidenceFile:
    """A file's record for one who may see its case (a 404, audited, if not)."""
    evidence, visible = _lookup(actor, file_id)
    if not visible:
        with audit.act(user=actor, action=f"file.{action}", object_type="file", object_id=file_id, request=request,
                       owner_agency_id=evidence.case.owning_agency_id if evidence else None):
            raise Refused.missing()
    return evidence


def open_for_download(*, actor, file_id, request=None) -> tuple[EvidenceFile, object, bool]:
    """Check, record and open a file for one who may see its case — its own
    agency's or a transfer's receiver's alike: every download is in the
    chain of custody and the audit log (allowed or not)."""
    with audit.act(user=actor, action="file.download", object_type="file", object_id=file_id,
                   request=request) as act:
        evidence = _file_for(actor, file_id, act)
        intact = verify(evidence, actor=actor, agency_id=act.agency_id)
        custody(evidence, "viewed", actor=actor, agency_id=act.agency_id, intact=intact)
        act.detail["intact"] = intact
        handle = evidence.file.open("rb")
    return evidence, handle, intact


def read_custody(*, actor, file_id, request=None) -> tuple[EvidenceFile, list[CustodyEvent]]:
    """A file's chain of custody (who fetched it, from which agency): an
    audited read."""
    with audit.act(user=actor, action="file.custody", object_type="file", object_id=file_id,
                   request=request) as act:
        evidence = _file_for(actor, file_id, act)
        events = list(evidence.custody.select_related("actor", "agency"))
    return evidence, events
