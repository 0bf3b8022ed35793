from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casehub import access
from casehub.api.refusals import refusal_response
from casehub.services.errors import Refused

from ..authentication import by_verified_session
from ..models import Agency, ApiToken, Membership, Region, User
from ..services import passwords, tokens
from . import serializers as s
from .filters import AgencyFilter, RegionFilter
from .permissions import ReadOnlyOrPlatformAdmin


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions (GB/T 2260), by code."""

    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["code", "name"]
    lookup_value_regex = r"[0-9A-Za-z-]+"


class AgencyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The agency directory. Agencies are deactivated, never deleted: cases
    and the audit log keep pointing at them."""

    queryset = Agency.objects.select_related("region")
    serializer_class = s.AgencySerializer
    permission_classes = [ReadOnlyOrPlatformAdmin]
    filterset_class = AgencyFilter
    ordering_fields = ["code", "name", "kind", "region"]


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user, their current memberships and roles by agency."""

    serializer_class = s.MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return (
            User.objects.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
            ).get(pk=self.request.user.pk)
        )


class PasswordChangeView(generics.GenericAPIView):
    """Change the signed-in user's password. This session (if it is one)
    stays signed in; the user's other sessions end."""

    serializer_class = s.PasswordChangeSerializer

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            passwords.change_password(request.user, current=serializer.validated_data["current_password"],
                                      new=serializer.validated_data["new_password"], request=request)
        except Refused as refused:
            return refusal_response(refused)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _issue_token(request, serializer, *, user):
    try:
        token, key = tokens.issue(
            user=user,
            name=serializer.validated_data["name"],
            expires_at=serializer.validated_data.get("expires_at"),
            created_by=request.user,
            second_factor_passed=by_verified_session(request),
        )
    except Refused as refused:
        return refusal_response(refused)
    token.key = key
    return Response(s.NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own API tokens. DELETE revokes a token; the record
    stays so that its use can still be traced."""

    serializer_class = s.ApiTokenSerializer
    queryset = ApiToken.objects.none()  # typed for the schema; the real one is per user

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(responses={201: s.NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _issue_token(request, serializer, user=request.user)

    def perform_destroy(self, instance):
        tokens.revoke(instance, by=self.request.user)


class ManagedAgencyMixin:
    def managed_filter(self, queryset, field: str):
        managed = access.managed_agency_ids(self.request.user)
        return queryset if managed is None else queryset.filter(**{f"{field}__in": managed})

    def require_managed(self, agency, field_name: str = "agency"):
        if agency is not None and not access.can_manage_members(self.request.user, agency.pk):
            raise serializers.ValidationError({field_name: [_("You do not administer this agency.")]})


class MembershipViewSet(ManagedAgencyMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Memberships of the agencies the caller administers. Ending a
    membership removes the person from the agency at once."""

    serializer_class = s.ManagedMembershipSerializer
    filterset_fields = ["agency", "role"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = Membership.objects.select_related("user", "agency", "agency__region").filter(
            user__service_agency__isnull=True
        )
        if self.request.query_params.get("current", "1") not in {"0", "false"}:
            qs = qs.filter(ended_at__isnull=True)
        return self.managed_filter(qs, "agency")

    def perform_create(self, serializer):
        self.require_managed(serializer.validated_data["agency"])
        serializer.save()

    @extend_schema(request=None, responses=s.ManagedMembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        if membership.ended_at is None:
            membership.ended_at = timezone.now()
            membership.save(update_fields=["ended_at"])
        return Response(self.get_serializer(membership).data)


class ServiceAccountViewSet(ManagedAgencyMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """System accounts through which another agency system exchanges data,
    each bound to one agency, authenticating only by token."""

    serializer_class = s.ServiceAccountSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        qs = (
            User.objects.filter(service_agency__isnull=False)
            .select_related("service_agency")
            .prefetch_related("memberships")
            .order_by("username")
        )
        return self.managed_filter(qs, "service_agency")

    def perform_create(self, serializer):
        self.require_managed(serializer.validated_data["service_agency"])
        serializer.save()

    @extend_schema(methods=["get"], responses=s.ApiTokenSerializer(many=True))
    @extend_schema(methods=["post"], request=s.ApiTokenSerializer, responses={201: s.NewApiTokenSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=s.ApiTokenSerializer)
    def tokens(self, request, pk=None):
        account = self.get_object()
        if request.method == "GET":
            return Response(s.ApiTokenSerializer(account.api_tokens.all(), many=True).data)
        serializer = s.ApiTokenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return _issue_token(request, serializer, user=account)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"tokens/(?P<token_id>\d+)")
    def revoke_token(self, request, pk=None, token_id=None):
        account = self.get_object()
        token = get_object_or_404(ApiToken, pk=token_id, user=account)
        tokens.revoke(token, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def destroy(self, request, *args, **kwargs):
        """Deactivate the account and revoke all its tokens."""
        account = self.get_object()
        with transaction.atomic():
            account.is_active = False
            account.save(update_fields=["is_active"])
            for token in account.api_tokens.filter(revoked_at__isnull=True):
                token.revoke(by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
