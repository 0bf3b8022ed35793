import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from agencies.api.filters import RegionSubtreeFilter

from ..models import Case, Party
from ..rules.workflow import Status
from ..vocabulary import Campaign, CaseKind, IpType


class CaseFilter(django_filters.FilterSet):
    # distinct=False: these filter columns of the case itself, nothing joined
    # can duplicate a row, and DISTINCT would cost the list its index order.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    ip_type = django_filters.MultipleChoiceFilter(choices=IpType.choices, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=CaseKind.choices, distinct=False)
    campaign = django_filters.ChoiceFilter(choices=Campaign.choices)
    agency = django_filters.NumberFilter(field_name="owning_agency_id", help_text=_("Owning agency id."))
    region = RegionSubtreeFilter(help_text=_("Region code; includes the regions below it."))
    # Date ranges as `<name>_after` / `<name>_before` pairs (inclusive).
    lead_received_after = django_filters.DateFilter(field_name="lead_received_on", lookup_expr="gte")
    lead_received_before = django_filters.DateFilter(field_name="lead_received_on", lookup_expr="lte")
    filed_after = django_filters.DateFilter(field_name="filed_on", lookup_expr="gte")
    filed_before = django_filters.DateFilter(field_name="filed_on", lookup_expr="lte")
    decided_after = django_filters.DateFilter(field_name="decision_date", lookup_expr="gte")
    decided_before = django_filters.DateFilter(field_name="decision_date", lookup_expr="lte")
    created_after = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte")
    created_before = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    due_before = django_filters.DateFilter(field_name="next_deadline_on", lookup_expr="lte")
    party = django_filters.CharFilter(method="filter_party", help_text=_("Part of a party's name, or a credit code."))

    class Meta:
        model = Case
        fields = ["status", "ip_type", "kind", "campaign", "agency", "region"]

    def filter_overdue(self, queryset, name, value: bool):
        today = timezone.localdate()
        if value:
            return queryset.filter(next_deadline_on__lt=today)
        return queryset.filter(Q(next_deadline_on__gte=today) | Q(next_deadline_on__isnull=True))

    def filter_party(self, queryset, name, value: str):
        value = value.strip()
        parties = Party.objects.filter(case=OuterRef("pk"))
        if len(value) == 18 and value.isalnum():
            parties = parties.filter(credit_code=value.upper())
        else:
            # Informants are not searchable by name: that would reveal them.
            parties = parties.filter(name__icontains=value).exclude(role="informant")
        return queryset.filter(Exists(parties))

    RANGES = ("lead_received", "filed", "decided", "created")

    def get_form_class(self):
        # The form's fields never change between requests: build the class once.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_queryset(self, queryset):
        # A range whose end precedes its start is a client error.
        data = self.form.cleaned_data
        for name in self.RANGES:
            start, stop = data.get(f"{name}_after"), data.get(f"{name}_before")
            if start and stop and start > stop:
                raise ValidationError({name: [_("The start of the range is after its end.")]})
        return super().filter_queryset(queryset)
