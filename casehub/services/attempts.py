"""Attempts on an object that never reached its service: the input was
refused for its type or shape first (a 400 from a serializer or a form).
They are audited like every refused act — once, denied, with the reasons,
against the actor's agency and the object's owner — so an auditor sees
someone probing a case with malformed requests as well as with good ones.

Also where the owner of an object is found for a refused attempt on it
(the object may be one the actor must not even learn exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import access, audit
from ..models import AssistanceRequest, Case, EvidenceFile, Transfer
from .errors import Refused

# object type -> how its owning agency is read by the object's id: the
# case's owner for a case and its files; the sender for a transfer and the
# asking agency for an assistance request (they answer for them).
_OWNERS = {
    "case": lambda pk: Case.objects.filter(pk=pk).values_list("owning_agency_id", flat=True),
    "file": lambda pk: EvidenceFile.objects.filter(pk=pk).values_list("case__owning_agency_id", flat=True),
    "transfer": lambda pk: Transfer.objects.filter(pk=pk).values_list("from_agency_id", flat=True),
    "assistance": lambda pk: AssistanceRequest.objects.filter(pk=pk).values_list("from_agency_id", flat=True),
}


def owner_of(object_type: str, object_id) -> int | None:
    """The agency owning an object, whoever asks (None if there is none)."""
    if object_type not in _OWNERS or not str(object_id).isdigit():
        return None
    return _OWNERS[object_type](int(object_id)).first()


def find_visible(visible, *, actor, object_type: str, object_id, action: str, request=None):
    """The object of `visible` (the rows the actor may see) with this id. One
    they may not see does not exist for them: a 404, audited as a denied
    `object_type.action` on the object's owner."""
    found = visible.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if found is None:
        with audit.act(user=actor, action=f"{object_type}.{action}", object_type=object_type, object_id=object_id,
                       request=request, owner_agency_id=owner_of(object_type, object_id)):
            raise Refused.missing()
    return found


@dataclass(frozen=True)
class Attempt:
    """An act about to be tried on an existing object, named as its service
    names it (``case.update`` on case 12)."""

    action: str
    object_type: str
    object_id: str


def on(object_type: str, object_id, action: str) -> Attempt:
    return Attempt(action=action, object_type=object_type, object_id=str(object_id))


def refuse(attempt: Attempt, refused: Refused, *, actor, request=None):
    """Audit the refused attempt (denied, with the refusal's reasons) and
    raise the refusal."""
    owner = owner_of(attempt.object_type, attempt.object_id)
    acting = owner if owner is not None and owner in access.agency_ids(actor) else None
    with audit.act(user=actor, action=attempt.action, object_type=attempt.object_type, object_id=attempt.object_id,
                   request=request, owner_agency_id=owner, agency_id=acting):
        raise refused
