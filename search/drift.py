"""How far the index is from the database."""

from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from casehub.models import Case, OutboxMessage

from .file_text import EXTRACTOR
from .sync import SUBSCRIBER


@dataclass
class Drift:
    backlog: int
    failed: int
    oldest_pending_seconds: float | None
    database: int
    indexed: int
    missing: list[int]
    stale: list[int]
    extra: list[int]
    text_backlog: int = 0  # uploaded PDF/DOCX files waiting for their text to be read
    text_failed: int = 0  # ... whose storage stayed unreadable through every retry

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def measure(backend) -> Drift:
    pending = OutboxMessage.objects.filter(subscriber=SUBSCRIBER, processed_at__isnull=True, failed_at__isnull=True)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    database = dict(Case.objects.values_list("id", "index_version"))
    backend.ensure_index()  # a missing index reads as an empty one
    backend.refresh()
    indexed = backend.versions()
    return Drift(
        backlog=pending.count(),
        failed=OutboxMessage.objects.filter(subscriber=SUBSCRIBER, failed_at__isnull=False).count(),
        oldest_pending_seconds=(timezone.now() - oldest).total_seconds() if oldest else None,
        database=len(database),
        indexed=len(indexed),
        missing=sorted(set(database) - set(indexed)),
        stale=sorted(i for i, v in indexed.items() if i in database and v < database[i]),
        extra=sorted(set(indexed) - set(database)),
        text_backlog=OutboxMessage.objects.filter(subscriber=EXTRACTOR, processed_at__isnull=True,
                                                  failed_at__isnull=True).count(),
        text_failed=OutboxMessage.objects.filter(subscriber=EXTRACTOR, failed_at__isnull=False).count(),
    )


