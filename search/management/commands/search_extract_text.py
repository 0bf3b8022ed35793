from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from casehub.models import EvidenceFile
from search.extraction import KINDS
from search.file_text import keep, read_files
from search.models import FileText


class Command(BaseCommand):
    help = ("Read the text of PDF and DOCX evidence files that have none yet (uploaded before text extraction "
            "existed, or whose storage stayed unreadable); the worker then reindexes their cases.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=20)

    def handle(self, *args, batch=20, **options):
        ids = list(EvidenceFile.objects.filter(kind__in=KINDS).exclude(pk__in=FileText.objects.values("file_id"))
                   .order_by("pk").values_list("pk", flat=True))
        unread: set[int] = set()
        with tqdm(total=len(ids), unit="file", file=self.stderr, disable=not ids) as progress:
            for start in range(0, len(ids), batch):
                chunk = ids[start:start + batch]
                # Read outside the transaction: it is short, and on SQLite it
                # holds the write lock the web server needs.
                results, failed = read_files(chunk)
                with transaction.atomic():
                    keep(results)
                unread |= failed
                progress.update(len(chunk))
        self.stdout.write(f"files read: {len(ids) - len(unread)}; storage unreadable: {len(unread)}")
