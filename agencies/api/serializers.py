from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Agency, ApiToken, Membership, Region, User
from ..roles import Role


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "parent", "has_gb_code"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "kind", "kind_display", "region"]


class AgencySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # Regions are named by code; an unknown code is a field error.
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    region_detail = RegionBriefSerializer(source="region", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Agency
        fields = [
            "id", "code", "name", "short_name", "kind", "kind_display", "region", "region_detail",
            "parent", "active", "created", "updated",
        ]
        read_only_fields = ["created", "updated"]


class MembershipSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "agency", "role", "role_display", "started_at", "ended_at"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    is_platform_admin = serializers.BooleanField(source="is_superuser", read_only=True)
    is_service_account = serializers.BooleanField(read_only=True)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "display_name", "full_name", "email", "phone",
            "is_platform_admin", "is_service_account", "memberships", "roles",
        ]
        read_only_fields = ["id", "username"]

    def _current(self, user):
        return [m for m in user.memberships.all() if m.ended_at is None and m.agency.active]

    def get_memberships(self, user) -> list[dict]:
        return MembershipSerializer(self._current(user), many=True).data

    def get_roles(self, user) -> dict[str, list[str]]:
        """Roles by agency code, the shape clients check permissions with."""
        roles: dict[str, list[str]] = {}
        for m in self._current(user):
            roles.setdefault(m.agency.code, []).append(m.role)
        return roles


class ManagedMembershipSerializer(serializers.ModelSerializer):
    """Memberships as an agency administrator manages them: the fields
    parsed here; who may, and the rules, in agencies/services/."""

    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(service_agency__isnull=True))
    user_display_name = serializers.CharField(source="user.display_name", read_only=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(active=True))
    agency_detail = AgencyBriefSerializer(source="agency", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_display_name", "agency", "agency_detail", "role", "role_display", "started_at", "ended_at"]
        read_only_fields = ["started_at", "ended_at"]
        # The rules across fields (one current role each, supervisors only in
        # procuratorates) are the service's: agencies/services/memberships.py.
        validators = []


class ApiTokenSerializer(serializers.ModelSerializer):
    revoked = serializers.BooleanField(source="is_revoked", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The expiry must be in the future."))
        return value


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)
    new_password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=4096,
        help_text=_("Long enough (PASSWORD_MIN_LENGTH, 10 by default), with three of the four kinds of character "
                    "(lower-case, upper-case, digits, symbols), nothing like the username, none of the last five "
                    "passwords."),
    )


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text=_("Shown only once. Store it now."))

    class Meta(ApiTokenSerializer.Meta):
        fields = ApiTokenSerializer.Meta.fields + ["key"]


class ServiceAccountSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(source="service_agency", queryset=Agency.objects.filter(active=True))
    role = serializers.ChoiceField(choices=Role.choices, write_only=True, default=Role.OFFICER)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "agency", "role", "roles", "is_active", "date_joined"]
        read_only_fields = ["date_joined"]

    def get_roles(self, user) -> list[str]:
        return sorted(m.role for m in user.memberships.all() if m.ended_at is None)


class NewMemberSerializer(serializers.Serializer):
    """A person new to casehub, added to an agency in a role: their account
    is created with a first password (agencies/services/memberships.py)."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=User._meta.get_field("username").max_length,
                                      error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")})
    full_name = serializers.CharField(max_length=User._meta.get_field("full_name").max_length)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(active=True))
    role = serializers.ChoiceField(choices=Role.choices)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("A user with that username already exists."))
        return value
