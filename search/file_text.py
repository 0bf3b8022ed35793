"""The text of uploaded PDF and DOCX evidence, read after the upload.

Never during the upload request: `case.file_added` (published by the upload
in its transaction) reaches this outbox subscriber, which reads the stored
bytes through Django's storage (filesystem or S3, by the file's own field;
never a path from a user), checks them against the upload's SHA-256, and
keeps the text in FileText, one row per file tried, so a file is read once.

A case whose document gained text moves its index_version and publishes
`search.file_text`, in the same transaction: the search subscriber then
rebuilds the document, and its higher version supersedes whatever was
indexed before the text existed (the upload's own message, a reindex, a
concurrent worker), in Elasticsearch and the database backend alike.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable

from django.db import transaction

from casehub.events import publish
from casehub.models import EvidenceFile
from casehub.services.timeline import move_index_version

from .extraction import KINDS, Extracted, extract
from .models import FileText

log = logging.getLogger("casehub.search")

EXTRACTOR = "search.files"
TEXT_EVENT = "search.file_text"
# Files are read outside any transaction, on a lease (casehub/events): a
# long PDF must not hold the database (on SQLite, its write lock) while the
# web server waits. The lease covers a batch at its time limits.
BATCH = 4
LEASE_SECONDS = 600
MAX_ATTEMPTS = 12  # a storage outage is retried for about an hour, then kept as failed
SPOOL_BYTES = 8 * 2**20  # larger files spill to a temporary file, not memory
CHUNK = 2**20


def handle(messages) -> list[int]:
    """Outbox handler: returns the messages whose file could not be read
    from storage (retried with backoff); bad content is not a failure."""
    by_file: dict[int, list[int]] = {}
    for message in messages:
        file_id = message.payload.get("file_id")
        if file_id is not None:
            by_file.setdefault(int(file_id), []).append(message.pk)
    results, unread = read_files(by_file)
    with transaction.atomic():
        keep(results)
    return [pk for file_id in unread for pk in by_file[file_id]]


def read_files(file_ids: Iterable[int]) -> tuple[list[tuple[EvidenceFile, Extracted]], set[int]]:
    """The text of the PDF and DOCX files among these that were never tried,
    and the ids whose storage could not be read. Writes nothing, so it may run
    outside a transaction (search_extract_text does)."""
    ids = set(file_ids)
    tried = set(FileText.objects.filter(file_id__in=ids).values_list("file_id", flat=True))
    results, unread = [], set()
    for evidence in EvidenceFile.objects.filter(pk__in=ids - tried, kind__in=KINDS).order_by("pk"):
        try:
            results.append((evidence, _read_and_extract(evidence)))
        except Exception:  # noqa: BLE001 — storage trouble is transient: retried, never lost
            log.warning("evidence text: file %s could not be read from storage", evidence.pk, exc_info=True)
            unread.add(evidence.pk)
    return results, unread


def keep(results: list[tuple[EvidenceFile, Extracted]]) -> None:
    """Store what read_files found, and mark the cases whose document gained
    text for reindexing. Must run inside a transaction."""
    FileText.objects.bulk_create(
        [FileText(file=evidence, text=result.text, status=result.status, truncated=result.truncated)
         for evidence, result in results],
        ignore_conflicts=True,  # read twice (the worker and search_extract_text): same bytes, same text
    )
    gained: dict[int, list[int]] = {}
    for evidence, result in results:
        if result.text:
            gained.setdefault(evidence.case_id, []).append(evidence.pk)
    for case_id in sorted(gained):  # one order for every worker: no lock cycles
        # The document changes without a timeline event, so the version moves
        # here, as record_event moves it.
        move_index_version(case_id)
        publish(TEXT_EVENT, case_id=case_id, file_ids=gained[case_id])


def _read_and_extract(evidence: EvidenceFile) -> Extracted:
    """Copy the stored bytes to a seekable spool, hashing them; storage
    errors propagate, content problems become a status."""
    sha = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        with evidence.file.open("rb") as stored:
            for chunk in iter(lambda: stored.read(CHUNK), b""):
                sha.update(chunk)
                spool.write(chunk)
        if sha.hexdigest() != evidence.sha256:
            # Text is indexed only from the bytes that were uploaded; the
            # download path flags and records the alteration.
            log.warning("evidence text: file %s does not match its upload's hash, not read", evidence.pk)
            return Extracted("", FileText.Status.ALTERED)
        spool.seek(0)
        result = extract(evidence.kind, spool)
    if result.status != FileText.Status.OK:
        log.info("evidence text: file %s gave no text (%s)", evidence.pk, result.status)
    return result
