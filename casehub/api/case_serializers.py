from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency, Region, User

from .. import access
from ..models import Case, Note, Party, TimelineEvent
from ..rules.case_record import party_as_shown
from ..rules.workflow import ACTIONS, Outcome, PenaltyType, Status, available
from ..services import deadlines
from ..services.cases import case_facts


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]


class UserRefSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]


class DeadlineSerializer(serializers.Serializer):
    name = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    paused = serializers.BooleanField()
    working_days_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    warning = serializers.CharField(allow_null=True)


class CaseListSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    owning_agency = AgencyRefSerializer(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "title", "status", "status_display", "ip_type", "kind", "source", "campaign",
            "owning_agency", "region", "amount_involved", "lead_received_on", "filed_on", "decision_date",
            "next_deadline", "version", "updated_at",
        ]

    def get_next_deadline(self, case) -> DeadlineSerializer(allow_null=True):
        return deadlines.describe(case, self.context.get("calendar"))


class PartySerializer(serializers.ModelSerializer):
    """A party's shape; its identifiers' check characters and the kind they
    go with are the case record's rules (rules/case_record.py)."""

    class Meta:
        model = Party
        fields = ["id", "role", "kind", "name", "credit_code", "id_number", "address", "legal_representative", "contact"]

    def to_representation(self, party):
        case = self.context["case"] if "case" in self.context else party.case
        user = self.context["request"].user
        return party_as_shown(party, full_ids=access.can_see_full_id_numbers(user, case),
                              informants=access.can_see_informants(user, case))


class CaseWriteSerializer(serializers.ModelSerializer):
    """A new case's or an edit's fields, by type. Who may open a case for
    which agency, that the lead officer and handlers belong to it, and the
    order of its dates are the case service's rules."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False,
                                                help_text=_("Owning agency; defaults to your only agency."))
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    lead_officer = serializers.CharField(required=False, max_length=150, help_text=_("Username; defaults to you."))
    handlers = serializers.ListField(child=serializers.CharField(max_length=150), required=False,
                                     help_text=_("Usernames of members of the owning agency."))
    parties = PartySerializer(many=True, required=False, write_only=True)
    version = serializers.IntegerField(required=False, write_only=True,
                                       help_text=_("The version you read; required for updates (or If-Match)."))

    class Meta:
        model = Case
        fields = [
            "agency", "title", "ip_type", "kind", "source", "region", "facts", "amount_involved", "seized_goods",
            "campaign", "lead_officer", "handlers", "lead_received_on", "parties", "version",
        ]
        extra_kwargs = {"amount_involved": {"min_value": 0}}


class ActionSerializer(serializers.Serializer):
    """Typed fields of every workflow action; which of them an action needs
    is the state machine's business (rules/workflow.py)."""

    action = serializers.ChoiceField(choices=sorted(ACTIONS))
    version = serializers.IntegerField(required=False)
    filed_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, max_length=2000)
    report = serializers.CharField(required=False, max_length=20000)
    comment = serializers.CharField(required=False, max_length=2000)
    summary = serializers.CharField(required=False, max_length=2000)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    decision_date = serializers.DateField(required=False)
    decision_number = serializers.CharField(required=False, max_length=64)
    penalties = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyType.choices), required=False,
                                      allow_empty=True)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    confiscated_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    legal_basis = serializers.CharField(required=False, max_length=2000)
    deadline = serializers.ChoiceField(choices=["filing", "decision"], required=False)
    due_on = serializers.DateField(required=False)
    meeting_date = serializers.DateField(required=False)

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            declared = set(self.fields)
            unknown = sorted(set(data.keys()) - declared)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class CaseDetailSerializer(CaseListSerializer):
    lead_officer = UserRefSerializer(read_only=True)
    handlers = UserRefSerializer(many=True, read_only=True)
    parties = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "facts", "seized_goods", "lead_officer", "handlers", "parties", "decision", "closed_on",
            "not_filed_reason", "available_actions", "created_at",
        ]

    def get_parties(self, case) -> PartySerializer(many=True):
        return PartySerializer(case.parties.all(), many=True, context={**self.context, "case": case}).data

    def get_available_actions(self, case) -> list[str]:
        user = self.context["request"].user
        return available(case_facts(case), access.case_roles(user, case))

    def get_decision(self, case) -> dict | None:
        if case.status not in (Status.DECIDED, Status.EXECUTING, Status.CLOSED) or not case.outcome:
            return None
        return {
            "outcome": case.outcome, "decision_number": case.decision_number, "decision_date": case.decision_date,
            "penalties": case.penalties, "fine_amount": case.fine_amount,
            "confiscated_amount": case.confiscated_amount, "legal_basis": case.legal_basis,
            "reason": case.decision_reason,
        }


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "at", "kind", "summary", "data", "actor", "agency"]


class NoteSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "agency", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"text": {"max_length": 20000}}
