from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from disclosure import demo


class Command(BaseCommand):
    help = ("Approve most of the demo's pending disclosure records, so the public pages have content, and give the "
            "demo reviewers and heads a desk: pending, late, corrected records and a credit repair (DEBUG only).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError("Demo data is loaded only with DEBUG on, or with --force.")
        approved, flagged, told = demo.seed()
        self.stdout.write(f"{approved} demo disclosure records published, {flagged} flagged late, "
                          f"{told} more for the disclosure desk")
