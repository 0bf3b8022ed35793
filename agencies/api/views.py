from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casehub import access

from ..models import Agency, ApiToken, Membership, Region, User
from ..services import directory, memberships, passwords, profile, service_accounts, tokens
from . import serializers as s
from .filters import AgencyFilter, RegionFilter


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions (GB/T 2260), by code."""

    queryset = Region.objects.all()
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["code", "name"]
    lookup_value_regex = r"[0-9A-Za-z-]+"


class AgencyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The agency directory. Agencies are deactivated, never deleted: cases
    and the audit log keep pointing at them. Platform administrators change
    it."""

    queryset = Agency.objects.select_related("region")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter
    ordering_fields = ["code", "name", "kind", "region"]

    def create(self, request, *args, **kwargs):
        agency = directory.create(actor=request.user, serializer=self.get_serializer(data=request.data),
                                  request=request)
        return Response(self.get_serializer(agency).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        agency = directory.update(
            actor=request.user, agency_id=kwargs["pk"], request=request,
            serializer_for=lambda agency: self.get_serializer(agency, data=request.data, partial=partial))
        return Response(self.get_serializer(agency).data)


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

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        profile.update(actor=request.user, serializer=serializer, request=request)
        return Response(self.get_serializer(self.get_object()).data)


class PasswordChangeView(generics.GenericAPIView):
    """Change the signed-in user's password. This session (if it is one)
    stays signed in; the user's other sessions end."""

    serializer_class = s.PasswordChangeSerializer

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        passwords.change_password(request.user, current=serializer.validated_data["current_password"],
                                  new=serializer.validated_data["new_password"], request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

def _new_token(token, key) -> Response:
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
        return _new_token(*tokens.issue_own(actor=request.user, serializer=self.get_serializer(data=request.data),
                                            request=request))

    def destroy(self, request, *args, **kwargs):
        tokens.revoke_own(actor=request.user, token_id=kwargs["pk"], request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ManagedAgencyMixin:
    def managed_filter(self, queryset, field: str):
        managed = access.managed_agency_ids(self.request.user)
        return queryset if managed is None else queryset.filter(**{f"{field}__in": managed})


class MembershipViewSet(ManagedAgencyMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Memberships of the agencies the caller administers. Ending a
    membership removes the person from the agency at once. Whoever
    administers no agency is refused before the input is read, so the
    answer never tells whether a username exists."""

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

    def create(self, request, *args, **kwargs):
        membership = memberships.add(actor=request.user, serializer=self.get_serializer(data=request.data),
                                     request=request)
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        membership = memberships.change(
            actor=request.user, membership_id=kwargs["pk"], request=request,
            serializer_for=lambda m: self.get_serializer(m, data=request.data, partial=partial))
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=None, responses=s.ManagedMembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = memberships.end(actor=request.user, membership_id=pk, request=request)
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

    def _shown(self, account):
        return self.get_serializer(self.get_queryset().get(pk=account.pk)).data

    def create(self, request, *args, **kwargs):
        account = service_accounts.create(actor=request.user, serializer=self.get_serializer(data=request.data),
                                          request=request)
        return Response(self._shown(account), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        account = service_accounts.update(
            actor=request.user, account_id=kwargs["pk"], request=request,
            serializer_for=lambda a: self.get_serializer(a, data=request.data, partial=partial))
        return Response(self._shown(account))

    @extend_schema(methods=["get"], responses=s.ApiTokenSerializer(many=True))
    @extend_schema(methods=["post"], request=s.ApiTokenSerializer, responses={201: s.NewApiTokenSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=s.ApiTokenSerializer)
    def tokens(self, request, pk=None):
        if request.method == "GET":
            account = self.get_object()
            return Response(s.ApiTokenSerializer(account.api_tokens.all(), many=True).data)
        return _new_token(*service_accounts.issue_token(
            actor=request.user, account_id=pk, serializer=s.ApiTokenSerializer(data=request.data), request=request))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"tokens/(?P<token_id>\d+)")
    def revoke_token(self, request, pk=None, token_id=None):
        service_accounts.revoke_token(actor=request.user, account_id=pk, token_id=token_id, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def destroy(self, request, *args, **kwargs):
        """Deactivate the account and revoke all its tokens."""
        service_accounts.deactivate(actor=request.user, account_id=kwargs["pk"], request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
