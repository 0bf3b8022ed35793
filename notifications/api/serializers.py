from django.utils.translation import get_language
from rest_framework import serializers

from ..inbox import serialize
from ..kinds import Kind, Scope
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """The same shape as the socket's notification frames, with the text in
    the caller's language."""

    class Meta:
        model = Notification
        fields = ["id", "seq", "kind", "text", "case", "agency", "actor", "created_at", "read"]

    def to_representation(self, instance):
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
