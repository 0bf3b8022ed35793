from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency, Region, User
from agencies.roles import Role

from .. import access
from ..models import Case, Note, Party, TimelineEvent
from ..rules.identifiers import is_valid_credit_code, is_valid_id_number, mask_id_number
from ..rules.workflow import ACTIONS, Outcome, PenaltyType, Status, available
from ..services import deadlines
from ..services.cases import case_facts
from ..vocabulary import ClockStopReason, PartyKind, PartyRole


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


def _mask_party(party: Party, *, full_ids: bool, informants: bool) -> dict:
    data = {
        "id": party.id, "role": party.role, "kind": party.kind, "name": party.name,
        "credit_code": party.credit_code, "id_number": party.id_number, "address": party.address,
        "legal_representative": party.legal_representative, "contact": party.contact,
    }
    if party.role == PartyRole.INFORMANT and not informants:
        # An informant's identity stays with the owner's reviewers and head.
        return {"id": party.id, "role": party.role, "kind": party.kind, "name": str(_("(confidential)")),
                "credit_code": "", "id_number": "", "address": "", "legal_representative": "", "contact": ""}
    if party.id_number and not full_ids:
        data["id_number"] = mask_id_number(party.id_number)
        data["contact"] = ""
    return data


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "role", "kind", "name", "credit_code", "id_number", "address", "legal_representative", "contact"]

    def validate_credit_code(self, value):
        value = value.strip().upper()
        if value and not is_valid_credit_code(value):
            raise serializers.ValidationError(_("This is not a valid unified social credit code (GB 32100-2015)."))
        return value

    def validate_id_number(self, value):
        value = value.strip().upper()
        if value and not is_valid_id_number(value):
            raise serializers.ValidationError(_("This is not a valid resident ID number (GB 11643-1999)."))
        return value

    def validate(self, attrs):
        errors = {}
        if attrs.get("kind") == PartyKind.ENTERPRISE and attrs.get("id_number"):
            errors["id_number"] = [_("An enterprise has a credit code, not an ID number.")]
        if attrs.get("kind") == PartyKind.INDIVIDUAL and attrs.get("credit_code"):
            errors["credit_code"] = [_("An individual has an ID number, not a credit code.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_representation(self, party):
        case = self.context["case"] if "case" in self.context else party.case
        user = self.context["request"].user
        return _mask_party(party, full_ids=access.can_see_full_id_numbers(user, case),
                           informants=access.can_see_informants(user, case))


def _members_of(agency):
    return User.objects.filter(memberships__agency=agency, memberships__ended_at__isnull=True).distinct()


class CaseWriteSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(active=True), required=False,
                                                help_text=_("Owning agency; defaults to your only agency."))
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    lead_officer = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)
    handlers = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), many=True,
                                            required=False)
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

    def validate_lead_received_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A lead cannot be received in the future."))
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        errors = {}
        if self.instance is None:
            agency = attrs.get("agency")
            mine = access.agency_ids_with_role(user, (Role.OFFICER, Role.REVIEWER, Role.HEAD))
            if agency is None:
                if len(mine) != 1:
                    errors["agency"] = [_("Name the agency that owns the case.")]
                else:
                    attrs["agency"] = Agency.objects.get(pk=next(iter(mine)))
            elif agency.pk not in mine:
                errors["agency"] = [_("You cannot open cases for this agency.")]
            attrs.setdefault("lead_officer", user)
        agency = attrs.get("agency") or getattr(self.instance, "owning_agency", None)
        if agency is not None and not errors:
            members = set(_members_of(agency).values_list("pk", flat=True))
            if "lead_officer" in attrs and attrs["lead_officer"].pk not in members:
                errors["lead_officer"] = [_("The lead officer must belong to the owning agency.")]
            strangers = [h.username for h in attrs.get("handlers", []) if h.pk not in members]
            if strangers:
                errors["handlers"] = [_("Not members of the owning agency: %(names)s") % {"names": ", ".join(strangers)}]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


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

    def validate(self, attrs):
        case, today = self.context["case"], timezone.localdate()
        errors = {}
        for name in ("filed_on", "decision_date", "meeting_date"):
            if attrs.get(name) and attrs[name] > today:
                errors[name] = [_("This date cannot be in the future.")]
        if attrs.get("filed_on") and attrs["filed_on"] < case.lead_received_on:
            errors["filed_on"] = [_("A case cannot be filed before its lead was received.")]
        if attrs.get("decision_date") and case.filed_on and attrs["decision_date"] < case.filed_on:
            errors["decision_date"] = [_("The decision cannot precede the filing.")]
        if attrs.get("action") == "stop_clock" and attrs.get("reason") not in set(ClockStopReason.values) - {"suspension"}:
            errors["reason"] = [_("Choose why the clock stops: %(choices)s") % {
                "choices": ", ".join(sorted(set(ClockStopReason.values) - {"suspension"}))}]
        if attrs.get("due_on") and attrs["due_on"] <= today:
            errors["due_on"] = [_("The new due date must be in the future.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


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
