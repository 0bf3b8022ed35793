from django.core.management.base import BaseCommand

from disclosure import services


class Command(BaseCommand):
    help = "Expire records whose publicity ended; remind of and flag late publications (the worker runs this too)."

    def handle(self, *args, **options):
        expired = services.expire()
        reminded, flagged = services.remind()
        self.stdout.write(f"{expired} expired, {reminded} reminded, {flagged} flagged late")
