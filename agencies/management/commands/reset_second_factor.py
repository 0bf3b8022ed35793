from django.core.management.base import BaseCommand, CommandError

from agencies.models import User
from agencies.services import enrolment


class Command(BaseCommand):
    help = ("Remove a person's authenticator app and recovery codes (a lost phone): they set up a new one at their "
            "next login. For a locked-out platform administrator; others can be reset in the admin.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, service_agency__isnull=True).first()
        if user is None:
            raise CommandError(f"no person named {username!r}")
        removed = enrolment.reset(user)
        self.stdout.write(f"{username}: {removed} device(s) removed; they enrol again at their next login")
