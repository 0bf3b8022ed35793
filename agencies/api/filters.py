import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Agency, AgencyKind, Region, RegionLevel


@extend_schema_field(OpenApiTypes.STR)
class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """A region code that matches the region and every region below it; an
    unknown code is a 400 with a field error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value: Region | None):
        return qs if value is None else qs.filter(region_id__in=value.descendant_codes())


class RegionFilter(django_filters.FilterSet):
    level = django_filters.MultipleChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id")

    class Meta:
        model = Region
        fields = ["level", "parent"]


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=AgencyKind.choices)
    # Unknown codes are a 400 with a field error, not an empty list.
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), help_text=_("Agencies in exactly this region (GB/T 2260 or internal code).")
    )
    within = RegionSubtreeFilter(help_text=_("Agencies in this region or any region below it."))
    parent = django_filters.NumberFilter(field_name="parent_id")
    active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text=_("Part of the name, short name or code."))

    class Meta:
        model = Agency
        fields = ["kind", "region", "within", "parent", "active", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value))
