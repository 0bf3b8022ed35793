from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Agency, ApiToken, Membership, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "has_gb_code"]
    list_filter = ["level", "has_gb_code"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "agency", "role", "started_at", "ended_at"]
    autocomplete_fields = ["user", "agency"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "region", "active"]
    list_filter = ["kind", "active", "region"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "service_agency", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["service_agency"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("casehub"), {"fields": ["full_name", "phone", "service_agency"]}),)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "started_at", "ended_at"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "user__full_name", "agency__name", "agency__code"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
    actions = ["end_memberships"]

    @admin.action(description=_("End the selected memberships"))
    def end_memberships(self, request, queryset):
        # One save per row so the group sync signal runs for each.
        ended = 0
        for membership in queryset.filter(ended_at__isnull=True):
            membership.ended_at = timezone.now()
            membership.save(update_fields=["ended_at"])
            ended += 1
        self.message_user(request, _("%(count)d memberships ended.") % {"count": ended})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "expires_at", "prefix", "created_at", "last_used_at", "revoked_at", "revoked_by"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke_tokens"]

    def get_readonly_fields(self, request, obj=None):
        # An issued token's owner and name are part of its record.
        return self.readonly_fields + (["user", "name", "expires_at"] if obj else [])

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key = obj.assign_new_key()
        obj.created_by = request.user
        obj.save()
        messages.warning(
            request, _("The token's key is shown only this once: %(key)s") % {"key": key}
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke(by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the record of a token's use must stay traceable.
        return False
