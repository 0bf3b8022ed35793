from django.core.management.base import BaseCommand

from search.backends import get_backend
from search.drift import measure


class Command(BaseCommand):
    help = "Show the search index's backlog, lag and drift from the database (ids and versions)."

    def handle(self, *args, **options):
        drift = measure(get_backend())
        lag = f"{drift.oldest_pending_seconds:.1f} s" if drift.oldest_pending_seconds is not None else "none"
        self.stdout.write(f"backend: {type(get_backend()).__name__}")
        self.stdout.write(f"outbox backlog: {drift.backlog} (oldest waiting {lag}); given up: {drift.failed}")
        self.stdout.write(f"file text to read: {drift.text_backlog}; given up: {drift.text_failed}")
        self.stdout.write(f"cases in database: {drift.database}; in index: {drift.indexed}")
        self.stdout.write(f"missing from index: {len(drift.missing)}; older in index: {len(drift.stale)}; "
                          f"not in database: {len(drift.extra)}")
        self.stdout.write("index in step with the database" if drift.in_step else
                          "index drifts: run the worker, or search_reindex")
