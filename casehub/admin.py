from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditCheckpoint, AuditEntry, CalendarDay, CalendarYear, Case, Note, OutboxMessage, Party, TimelineEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are never edited: the timeline, the audit log."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["role", "kind", "shown_name", "credit_code"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"))
    def shown_name(self, party):
        from .rules.case_record import party_as_shown

        # A platform administrator is no reviewer or head of the owning
        # agency: an informant's identity stays with them (access.py).
        return party_as_shown(party, full_ids=False, informants=False)["name"]


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    fields = ["at", "kind", "actor", "agency", "summary"]
    readonly_fields = fields
    can_delete = False
    ordering = ["id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases change through the API's workflow only, so their timeline and
    audit stay complete; the admin shows them."""

    list_display = ["number", "title", "status", "owning_agency", "next_deadline_on", "updated_at"]
    list_filter = ["status", "ip_type", "kind", "owning_agency__kind"]
    search_fields = ["number", "title"]
    list_select_related = ["owning_agency"]
    inlines = [PartyInline, TimelineInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from .services.cases import read_case_in_admin

        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            # Its parties are shown: a read of the case like any other, audited.
            read_case_in_admin(actor=request.user, case_id=object_id, request=request)
        return response


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case", "kind", "actor", "agency", "summary"]
    list_filter = ["kind"]
    search_fields = ["case__number", "summary"]
    list_select_related = ["case", "actor", "agency"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "user", "agency", "ip_address", "action", "object_type", "object_id", "result"]
    list_filter = ["result", "action", "object_type"]
    search_fields = ["object_id", "user__username", "ip_address"]
    list_select_related = ["user", "agency"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "at", "first_seq", "last_seq", "count", "key_id"]
    list_filter = ["kind"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "case", "author", "agency"]
    list_select_related = ["case", "author", "agency"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "subscriber", "event_type", "created_at", "attempts", "processed_at", "failed_at"]
    list_filter = ["subscriber", "event_type"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The working-day calendar: enter the State Council's next-year schedule
    here (holidays as non-working days, 调休 weekends as working days)."""

    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Mark a year complete once every holiday and make-up day of it is
    entered: its deadlines then carry no fallback warning."""

    list_display = ["year", "source"]
