"""Running an act through the API and reading what the audit log and the
database show of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings

from casehub.models import AuditEntry
from tests.transfers.helpers import as_

# Rows of these hold the state of an object: a refused act must leave them as they were.
_STATE = {
    "case": ("version", "status", "owning_agency_id", "index_version"),
    "transfer": ("version", "status", "supervising_agency_id"),
    "assistancerequest": ("status",),
    "caseparticipant": ("ended_at",),
    "supervisionopinion": ("responded_at",),
    "evidencefile": ("integrity_failed_at",),
}


def footprint() -> dict:
    """Everything casehub has stored but the audit log: every row of every
    model (the outbox and the case grants included, and the state of the
    stateful ones), and the stored files."""
    seen = {}
    for model in apps.get_app_config("casehub").get_models():
        if model is AuditEntry:
            continue
        name = model._meta.model_name
        seen[name] = sorted(model.objects.values_list("pk", *_STATE.get(name, ())))
    root = Path(settings.MEDIA_ROOT)
    seen["stored files"] = sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []
    return seen


@dataclass
class Try:
    """One request and what the audit log must show of it: `result` None
    means no entry at all; `obj` the (type, id) the entry names, or a function
    of the response giving it."""

    label: str
    user: str  # a Cast attribute
    method: str
    path: str
    status: int
    result: str | None
    obj: tuple | Callable | None = None
    data: dict | None = None
    fmt: str = "json"
    action: str | None = None  # when it differs from the row's
    owner: str | None = None  # the Cast attribute of the agency owning the object
    headers: dict = field(default_factory=dict)


def send(api, cast, t: Try):
    client = as_(api, getattr(cast, t.user))
    call = getattr(client, t.method.lower())
    if t.method.upper() in ("GET", "DELETE") and not t.data:
        return call(t.path, **t.headers)
    return call(t.path, t.data or {}, format=t.fmt, **t.headers)


def run(api, cast, t: Try, action: str):
    """Send the request; check it answered as expected and left exactly one
    audit entry (or none) naming the act and its object, and — when refused —
    nothing else in the database."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    before = footprint() if t.result != "allowed" else None
    response = send(api, cast, t)
    assert response.status_code == t.status, (t.label, response.status_code, getattr(response, "content", b"")[:400])
    entries = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq"))
    if t.result is None:
        assert entries == [], (t.label, [(e.action, e.result) for e in entries])
        return response, None
    assert len(entries) == 1, (t.label, [(e.action, e.result, e.object_type, e.object_id) for e in entries])
    entry = entries[0]
    assert (entry.action, entry.result) == (t.action or action, t.result), (t.label, entry.action, entry.result)
    assert entry.user_id == getattr(cast, t.user).pk
    if t.obj is not None:
        kind, pk = t.obj(response) if callable(t.obj) else t.obj
        assert (entry.object_type, entry.object_id) == (kind, str(pk)), (t.label, entry.object_type, entry.object_id)
    if t.owner is not None:
        assert entry.owner_agency_id == getattr(cast, t.owner).pk, (t.label, entry.owner_agency_id)
    if t.result == "denied":
        assert entry.detail["refusal"] in ("invalid", "forbidden", "not_found", "conflict"), t.label
        assert footprint() == before, f"{t.label}: a refused act wrote something"
    return response, entry
