from django.core.management.base import BaseCommand
from django.utils import timezone

from casehub.audit_checkpoints import write_checkpoint


class Command(BaseCommand):
    help = ("Sign the audit chain's head into an append-only checkpoint (and AUDIT_CHECKPOINT_FILE); "
            "the worker does it every periodic round.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="write one even if no entry was added since the last")

    def handle(self, *args, force=False, **options):
        checkpoint = write_checkpoint(force=force)
        if checkpoint is None:
            self.stdout.write("no checkpoint written: no entry since the last one (--force writes one anyway)")
            return
        self.stdout.write(f"checkpoint #{checkpoint.id} of {timezone.localtime(checkpoint.at):%Y-%m-%d %H:%M:%S}: "
                          f"entry {checkpoint.last_seq}, {checkpoint.count} entries since the previous one")
