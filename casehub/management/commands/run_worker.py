import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from casehub.events.worker import drain, purge_processed, wait_for_work
from casehub.events import periodic


class Command(BaseCommand):
    help = "Deliver outbox messages to their subscribers (search index, pushes) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is due, then exit")
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls when idle")
        parser.add_argument("--periodic", dest="periodic_every", type=float, default=900,
                            help="seconds between periodic tasks: deadline reminders, disclosure expiry (0: never)")

    def handle(self, *args, once=False, poll=0.5, periodic_every=900, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_purge = last_check = 0.0
        while not stopping:
            close_old_connections()
            if periodic_every and time.monotonic() - last_check > periodic_every:
                # Their events join the outbox this same loop drains.
                periodic.run_all()
                last_check = time.monotonic()
            delivered = drain()
            if delivered:
                self.stdout.write(f"delivered {delivered}")
            if once:
                break
            if time.monotonic() - last_purge > 3600:
                purge_processed()
                last_purge = time.monotonic()
            if not delivered:
                wait_for_work(poll)
