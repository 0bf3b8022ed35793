from django.utils.translation import get_language
from rest_framework import serializers

from ..inbox import serialize
from ..kinds import Kind, Scope
from ..models import Notification


class NotificationSerializer(serializers.Serializer):
    """The same shape as the socket's notification frames, with the text in
    the caller's language."""

    id = serializers.IntegerField(read_only=True)
    seq = serializers.IntegerField(read_only=True, help_text="Your own running number: replay after it.")
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    case = serializers.IntegerField(read_only=True, allow_null=True)
    agency = serializers.IntegerField(read_only=True, allow_null=True)
    actor = serializers.IntegerField(read_only=True, allow_null=True)
    link = serializers.DictField(read_only=True, help_text="What to open: case_id, transfer_id, assistance_id…")
    created_at = serializers.DateTimeField(read_only=True)
    read = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: Notification):
        return serialize(instance, get_language())


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField(read_only=True)
    enabled = serializers.BooleanField(default=True)
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.PERSONAL)


class PreferenceListSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)

    def validate_preferences(self, value):
        kinds = [item["kind"] for item in value]
        if len(kinds) != len(set(kinds)):
            raise serializers.ValidationError("each kind at most once")
        return value


class MarkedSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    unread = serializers.IntegerField()
