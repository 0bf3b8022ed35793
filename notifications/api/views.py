from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import inbox
from ..kinds import Kind, Scope
from ..models import Notification, Preference
from .serializers import MarkedSerializer, NotificationSerializer, PreferenceListSerializer

TRUE, FALSE = {"1", "true", "yes"}, {"0", "false", "no"}


class InboxPagination(CursorPagination):
    ordering = "-seq"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = inbox.unread_count(self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread_count"] = {"type": "integer"}
        return schema


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My inbox, newest first, with the unread count. `?unread=true` for
    the unread ones, `?kind=` for one kind."""

    serializer_class = NotificationSerializer
    pagination_class = InboxPagination
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()

    def get_queryset(self):
        mine = Notification.objects.filter(recipient=self.request.user)
        params = self.request.query_params
        errors = {}
        unread = params.get("unread", "").lower()
        if unread in TRUE:
            mine = mine.filter(read_at__isnull=True)
        elif unread in FALSE:
            mine = mine.filter(read_at__isnull=False)
        elif unread:
            errors["unread"] = ["true or false"]
        kind = params.get("kind")
        if kind:
            if kind not in Kind.values:
                errors["kind"] = [f"unknown kind: {kind[:40]}"]
            mine = mine.filter(kind=kind)
        if errors:
            raise ValidationError(errors)
        return mine

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of my notifications read (another user's is a 404)."""
        notification = get_object_or_404(Notification, pk=pk if str(pk).isdigit() else 0, recipient=request.user)
        changed = inbox.mark_read(request.user, [notification.pk])
        return Response({"changed": changed, "unread": inbox.unread_count(request.user)})

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        changed = inbox.mark_read(request.user)
        return Response({"changed": changed, "unread": 0})


class PreferencesView(APIView):
    """Which kinds I hear of, and whether only what concerns me or all of
    that kind in my agencies. PUT the kinds to change; others stay."""

    permission_classes = [IsAuthenticated]

    def _current(self, user):
        stored = {p.kind: p for p in Preference.objects.filter(user=user)}
        return {"preferences": [
            {"kind": kind.value, "label": str(kind.label),
             "enabled": stored[kind].enabled if kind in stored else True,
             "scope": stored[kind].scope if kind in stored else Scope.PERSONAL.value}
            for kind in Kind
        ]}

    @extend_schema(responses=PreferenceListSerializer)
    def get(self, request):
        return Response(self._current(request.user))

    @extend_schema(request=PreferenceListSerializer, responses=PreferenceListSerializer)
    def put(self, request):
        serializer = PreferenceListSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            for item in serializer.validated_data["preferences"]:
                Preference.objects.update_or_create(
                    user=request.user, kind=item["kind"],
                    defaults={"enabled": item["enabled"], "scope": item["scope"]},
                )
        return Response(self._current(request.user), status=status.HTTP_200_OK)

    patch = put
