from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casehub.audit import verify_report
from casehub.audit_archive import against_database, verify_archive


class Command(BaseCommand):
    help = ("Check the audit log: every entry's HMAC and link, the checkpoints (and their mirror file) against "
            "the head; name the first entry altered, removed or forged. --archive checks archive files too.")

    def add_arguments(self, parser):
        parser.add_argument("--archive", action="append", default=[], metavar="FILE",
                            help="also verify this archive written by audit_archive (repeatable)")

    def handle(self, *args, archive=(), **options):
        for path in archive:
            check = verify_archive(path)
            problem = check.problem
            anchor = None
            if problem is None:
                problem, anchor = against_database(check)
            if problem:
                raise CommandError(f"archive {path} is not intact: {problem}")
            m = check.manifest
            self.stdout.write(f"archive {path} intact: entries {m['first_seq']}–{m['last_seq']} ({m['count']}), "
                              f"recorded by archive #{anchor.id}")

        report = verify_report()
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        broken = report.broken
        if broken:
            where = f"entry {broken.seq}" if broken.checkpoint is None else f"entry {broken.seq} (checkpoint #{broken.checkpoint})"
            raise CommandError(f"audit chain broken at {where}: {broken.problem}")
        parts = [f"audit chain intact: {report.entries} entries"]
        if report.entries:
            parts.append(f"(entries {report.head_seq - report.entries + 1}–{report.head_seq})")
        if report.archived_to:
            parts.append(f"; entries up to {report.archived_to} archived")
        last = report.last_checkpoint
        if last is not None:
            parts.append(f"; last checkpoint #{last.id} of {timezone.localtime(last.at):%Y-%m-%d %H:%M:%S} "
                         f"at entry {last.last_seq}")
        if report.unanchored:
            parts.append(f"; {report.unanchored} newer entries not yet checkpointed")
        self.stdout.write(" ".join(parts).replace(" ;", ";"))
