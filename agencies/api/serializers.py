from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Agency, ApiToken, Membership, Region, User
from ..models.agency import AgencyKind
from ..roles import PROCURATORATE_ONLY_ROLES, Role
from ..services import tokens


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

    def validate(self, attrs):
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is not None and self.instance is not None:
            # Walk up from the new parent: finding ourselves would make a loop.
            node = parent
            while node is not None:
                if node.pk == self.instance.pk:
                    raise serializers.ValidationError({"parent": [_("An agency cannot be placed under itself.")]})
                node = node.parent
        return attrs


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
    """Memberships as an agency administrator manages them."""

    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(service_agency__isnull=True))
    user_display_name = serializers.CharField(source="user.display_name", read_only=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(active=True))
    agency_detail = AgencyBriefSerializer(source="agency", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_display_name", "agency", "agency_detail", "role", "role_display", "started_at", "ended_at"]
        read_only_fields = ["started_at", "ended_at"]

    def validate(self, attrs):
        agency = attrs.get("agency", getattr(self.instance, "agency", None))
        role = attrs.get("role", getattr(self.instance, "role", None))
        user = attrs.get("user", getattr(self.instance, "user", None))
        if self.instance is not None and "agency" in attrs and attrs["agency"] != self.instance.agency:
            raise serializers.ValidationError({"agency": [_("A membership cannot move to another agency; end it and add a new one.")]})
        if self.instance is not None and "user" in attrs and attrs["user"] != self.instance.user:
            raise serializers.ValidationError({"user": [_("A membership cannot be given to another user.")]})
        if role in PROCURATORATE_ONLY_ROLES and agency.kind != AgencyKind.PROCURATORATE:
            raise serializers.ValidationError({"role": [_("Only a procuratorate has supervisors.")]})
        duplicate = Membership.objects.current().filter(user=user, agency=agency, role=role)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError({"role": [_("This user already holds this role in this agency.")]})
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    revoked = serializers.BooleanField(source="is_revoked", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]

    def validate_expires_at(self, value):
        # At most API_TOKEN_LIFETIME_DAYS ahead (services/tokens.py); unset, that long.
        request = self.context.get("request")
        problem = tokens.expiry_problem(value, created_by=getattr(request, "user", None))
        if problem:
            raise serializers.ValidationError(problem)
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

    def validate(self, attrs):
        if self.instance is not None:
            # A service account's agency and role are fixed at creation.
            fixed = {name: [_("This cannot be changed after creation.")] for name in ("agency", "role") if name in self.initial_data}
            if fixed:
                raise serializers.ValidationError(fixed)
            return attrs
        role = attrs.get("role")
        agency = attrs.get("service_agency")
        if role in PROCURATORATE_ONLY_ROLES and agency and agency.kind != AgencyKind.PROCURATORATE:
            raise serializers.ValidationError({"role": [_("Only a procuratorate has supervisors.")]})
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        role = validated_data.pop("role")
        user = User(**validated_data)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, agency=user.service_agency, role=role)
        return user

