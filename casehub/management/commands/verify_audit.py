from django.core.management.base import BaseCommand, CommandError

from casehub.audit import verify
from casehub.models import AuditEntry


class Command(BaseCommand):
    help = "Check the audit log's hash chain; name the first entry altered or removed."

    def handle(self, *args, **options):
        broken = verify()
        if broken:
            raise CommandError(f"audit chain broken at entry {broken.seq}: {broken.problem}")
        self.stdout.write(f"audit chain intact: {AuditEntry.objects.count()} entries")
