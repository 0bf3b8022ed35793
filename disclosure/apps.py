from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Public credit disclosure")

    def ready(self):
        from casehub.events import bus, periodic

        from . import services, statistics

        # In the decision's transaction: the record exists exactly when the decision does.
        bus.subscribe_in_transaction(["case.decided"], services.on_decided)
        # In the working calendar's transaction: the publication dates it moves.
        bus.subscribe_in_transaction(["calendar.changed"], services.on_calendar_changed)
        periodic.register("disclosure", services.run_periodic)
        # Publication timeliness joins the dashboard's tables and the plan's indicators.
        statistics.register()
