
from django.core.management.base import BaseCommand
from django.utils import timezone

from casehub.calendar import working_calendar
from casehub.models import Case
from casehub.services import deadlines
from casehub.services.deadline_alerts import raise_alerts


class Command(BaseCommand):
    help = "List cases whose statutory deadline is overdue or falls within the next working days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="working days ahead to count as due (default 3)")
        parser.add_argument("--agency", help="only this agency (code)")
        parser.add_argument("--refresh", action="store_true",
                            help="recompute every open case's deadline first (after a calendar change)")
        parser.add_argument("--no-alerts", action="store_true",
                            help="only list; raise no reminders (each deadline is reminded once anyway)")

    def handle(self, *args, days=3, agency=None, refresh=False, no_alerts=False, **options):
        cal = working_calendar()
        today = timezone.localdate()
        horizon = cal.add_working_days(today, days)
        open_cases = Case.objects.exclude(next_deadline="")
        if agency:
            open_cases = open_cases.filter(owning_agency__code=agency)
        if refresh:
            for case in open_cases.prefetch_related("clock_stops", "extensions").iterator(chunk_size=500):
                before = (case.next_deadline, case.next_deadline_on, case.deadline_warning)
                deadlines.refresh(case)
                if (case.next_deadline, case.next_deadline_on, case.deadline_warning) != before:
                    case.save(update_fields=["next_deadline", "next_deadline_on", "deadline_warning"])
        due = (
            open_cases.filter(next_deadline_on__lte=horizon)
            .select_related("owning_agency")
            .order_by("next_deadline_on", "id")
        )
        overdue = soon = 0
        for case in due:
            late = case.next_deadline_on < today
            overdue += late
            soon += not late
            left = cal.working_days_between(today, case.next_deadline_on)
            label = "OVERDUE" if late else "due"
            warning = f"  [{case.deadline_warning}]" if case.deadline_warning else ""
            self.stdout.write(
                f"{label:7} {case.next_deadline_on} ({left:+d} working days) {case.next_deadline:8} "
                f"{case.number} {case.owning_agency.name}{warning}"
            )
        self.stdout.write(f"{overdue} overdue, {soon} due within {days} working days (by {horizon})")
        if not no_alerts:
            self.stdout.write(f"{len(raise_alerts(today))} new reminders raised")
