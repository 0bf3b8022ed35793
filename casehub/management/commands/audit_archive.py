from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casehub.audit_archive import ArchiveRefused, archive, retention_days


class Command(BaseCommand):
    help = ("Export audit entries written before DATE to a signed archive, verify it, then remove exactly those "
            "entries and record an archive anchor. Entries stay online at least AUDIT_RETENTION_DAYS (180 or more). "
            "Run as the database's owner role.")

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD",
                            help="archive entries written before this day (local time)")
        parser.add_argument("--out", required=True, metavar="FILE", help="the archive to write (must not exist)")

    def handle(self, *args, before, out, **options):
        cutoff = timezone.make_aware(datetime.combine(before, time.min))
        try:
            anchor = archive(before=cutoff, out=out)
        except ArchiveRefused as exc:
            raise CommandError(f"audit_archive refused: {exc}")
        self.stdout.write(f"archived entries {anchor.first_seq}–{anchor.last_seq} ({anchor.count}) to {out}; "
                          f"removed them from the database; archive #{anchor.id} anchors the chain "
                          f"(retention {retention_days()} days)")
