from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from casehub.db_roles import RoleRefused, grant_app_role


class Command(BaseCommand):
    help = ("PostgreSQL: give the application's database role exactly the DML it needs (read and insert only on "
            "the audit log, its checkpoints, the timeline and the chain of custody). Run as the owner role after "
            "every migrate.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web server and the worker connect as")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"{connection.vendor}: no database roles to grant")
            return
        try:
            with transaction.atomic():
                append_only = grant_app_role(role)
        except RoleRefused as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"role {role}: DML on the application's tables; read and insert only on "
                          f"{', '.join(append_only)}")
