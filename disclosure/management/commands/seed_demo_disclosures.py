from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Membership
from disclosure import services
from disclosure.models import DisclosureRecord


class Command(BaseCommand):
    help = "Approve most of the demo's pending disclosure records, so the public pages have content (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError("Demo data is loaded only with DEBUG on, or with --force.")
        approved = 0
        pending = DisclosureRecord.objects.filter(status="pending").order_by("pk")
        for i, record in enumerate(pending):
            if i % 4 == 3:
                continue  # some stay pending: the reviewers' queue
            head = Membership.objects.current().filter(agency_id=record.agency_id, role__in=["head", "reviewer"]) \
                .select_related("user").first()
            if head:
                services.approve(actor=head.user, record_id=record.pk)
                approved += 1
        self.stdout.write(f"{approved} demo disclosure records published")
