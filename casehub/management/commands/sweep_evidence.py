from datetime import timedelta

from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.utils import timezone

from casehub.models import EvidenceFile


class Command(BaseCommand):
    help = (
        "Delete stored evidence objects that no file record points at (left by an upload whose transaction "
        "rolled back). Objects younger than --grace minutes are kept: their upload may still be committing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grace", type=int, default=60, help="minutes an unreferenced object is spared")
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *args, grace=60, dry_run=False, **options):
        storage = storages["default"]
        cutoff = timezone.now() - timedelta(minutes=grace)
        referenced = set(EvidenceFile.objects.values_list("file", flat=True))
        removed = 0
        if not storage.exists("evidence"):
            self.stdout.write("no evidence stored")
            return
        case_dirs, _ = storage.listdir("evidence")
        for case_dir in case_dirs:
            _, names = storage.listdir(f"evidence/{case_dir}")
            for name in names:
                path = f"evidence/{case_dir}/{name}"
                if path in referenced or storage.get_modified_time(path) > cutoff:
                    continue
                self.stdout.write(f"{'would remove' if dry_run else 'removed'} {path}")
                if not dry_run:
                    storage.delete(path)
                removed += 1
        self.stdout.write(f"{removed} unreferenced objects {'found' if dry_run else 'removed'}")
