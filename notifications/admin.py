from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the inbox is a record, changed only by its owner marking
    things read."""

    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "text"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor", "case", "agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "scope"]
    list_filter = ["kind", "scope", "enabled"]
    raw_id_fields = ["user"]
