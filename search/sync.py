"""Keeping the index in step with the database through the outbox.

Every event about a case (case.*, transfer.*, assistance.*) becomes an
outbox row for the `search` subscriber in the same transaction as the
change. The worker hands batches here: the documents are built afresh from
the database (so a late message never carries stale content), written in
one bulk request with their index_version, and only the messages whose
case failed are retried. A second subscriber reads the text of uploaded PDF
and DOCX files (search/file_text.py).
"""

from casehub.events import subscribe

from . import file_text
from .backends import get_backend
from .documents import build

SUBSCRIBER = "search"
BATCH = 500


def handle(messages) -> list[int]:
    by_case: dict[int, list[int]] = {}
    for message in messages:
        case_id = message.payload.get("case_id")
        if case_id is not None:
            by_case.setdefault(int(case_id), []).append(message.pk)
    if not by_case:
        return []
    backend = get_backend()
    backend.ensure_index()
    failed_cases = backend.index(build(by_case))
    return [pk for case_id in failed_cases for pk in by_case[case_id]]


# At most this many of the newest undelivered messages are looked at per
# search (see lagging_cases); a backlog beyond it is an outage being caught up.
LAG_CHECKED = 5000


def lagging_cases(limit: int = LAG_CHECKED) -> set[int]:
    """Cases whose index documents may be behind the database: the index has
    not yet taken in every change to them."""
    from casehub.models import OutboxMessage

    pending = (OutboxMessage.objects.filter(subscriber=SUBSCRIBER, processed_at__isnull=True, failed_at__isnull=True)
               .order_by("-id").values_list("payload", flat=True)[:limit])
    return {int(p["case_id"]) for p in pending if p.get("case_id") is not None}


def register() -> None:
    subscribe(SUBSCRIBER, ["*"], handle, batch_size=BATCH, max_attempts=20)
    subscribe(file_text.EXTRACTOR, ["case.file_added"], file_text.handle, batch_size=file_text.BATCH,
              max_attempts=file_text.MAX_ATTEMPTS, lease_seconds=file_text.LEASE_SECONDS)
