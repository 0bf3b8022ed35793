"""Ordering by `?ordering=` only where a view declares what may order it.

DRF's OrderingFilter offers every readable serializer field when a view names
no `ordering_fields`; an action with a serializer of another model (a
service account's tokens) then sorts users by a token's field: a 500. Here a
view that declares none keeps its fixed order."""

from rest_framework.filters import OrderingFilter


class DeclaredOrderingFilter(OrderingFilter):
    def get_valid_fields(self, queryset, view, context=None):
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context or {})
