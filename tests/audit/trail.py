"""What an act left behind: the audit entries written since a point, and
whether anything else in the database changed."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Max

from casehub.models import AuditEntry

# Written by the act of signing in itself, not by what is audited.
_NOT_COUNTED = {"casehub.auditentry", "sessions.session"}


def table_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in _NOT_COUNTED}


class Trail:
    """Entries and row counts from the moment it is made."""

    def __init__(self):
        self.after = AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0
        self.counts = table_counts()

    def entries(self) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(seq__gt=self.after).order_by("seq"))

    def one(self, action: str, result: str) -> AuditEntry:
        """The one entry written since, which must be this act with this result."""
        entries = self.entries()
        assert [(e.action, e.result) for e in entries] == [(action, result)]
        return entries[0]

    def allowed(self, action: str) -> AuditEntry:
        return self.one(action, AuditEntry.RESULT_ALLOWED)

    def denied(self, action: str) -> AuditEntry:
        """One denied entry, and nothing else written anywhere."""
        entry = self.one(action, AuditEntry.RESULT_DENIED)
        now = table_counts()
        assert {t: (n, now[t]) for t, n in self.counts.items() if now[t] != n} == {}
        return entry
