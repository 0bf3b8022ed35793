from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agencies.seed.demo_users import DEMO_PASSWORD, seed_demo_users
from casehub.demo import seed_demo_cases
from casehub.demo_workbench import seed_workbench_stories


class Command(BaseCommand):
    help = "Load demo users (and demo cases) for a local trial. Refused unless DEBUG is on or --force is given."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="seed even with DEBUG off (never in production)")
        parser.add_argument("--cases", type=int, default=200, help="how many demo cases (default 200)")

    def handle(self, *args, force=False, cases=200, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_("Demo data has well-known passwords: it is loaded only with DEBUG on, or with --force."))
        counts = seed_demo_users()
        made = seed_demo_cases(count=cases)
        stories = seed_workbench_stories()
        self.stdout.write(f"demo cases: {made} created, {stories} more for the demo logins' workbenches")
        self.stdout.write(
            f"demo users: {counts['users_created']} created, memberships: {counts['memberships_created']} created; "
            f"password for every demo login: {DEMO_PASSWORD}"
        )
