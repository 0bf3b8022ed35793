"""The API's adapter to the case list (casehub/listing/): its errors as a
DRF 400, absolute next/previous links, and the filters for the OpenAPI
schema. Parsing, conditions, the page query and the rows live in the
listing module, which the web UI and the export call too."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .. import listing
from ..rules.refusal import Refused
from ..rules.workflow import Status
from ..vocabulary import Campaign, CaseKind, IpType


def parse(query) -> dict:
    """The list's parameters; a bad one is a 400 naming each bad field."""
    try:
        return listing.parse(query)
    except Refused as refused:
        raise ValidationError(refused.errors) from None


def links(request, values: dict, page: listing.Page) -> tuple[str | None, str | None]:
    """(next, previous) page URLs, absolute."""
    url = request.build_absolute_uri()
    next_cursor, previous_cursor, back_to_start = listing.page_cursors(values, page)
    next_url = replace_query_param(url, "cursor", next_cursor) if next_cursor else None
    previous_url = replace_query_param(url, "cursor", previous_cursor) if previous_cursor else None
    if back_to_start:
        previous_url = remove_query_param(url, "cursor")
    return next_url, previous_url


def _parameter(name, type_, description, **kwargs):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, **kwargs)


# The filters and the order, for the OpenAPI schema (cursor and page_size
# come from the pagination class).
PARAMETERS = [
    _parameter("status", str, "Status (repeat for several).", enum=Status.values, many=True),
    _parameter("ip_type", str, "IP right type (repeat for several).", enum=IpType.values, many=True),
    _parameter("kind", str, "Case kind (repeat for several).", enum=CaseKind.values, many=True),
    _parameter("campaign", str, "Special campaign tag.", enum=Campaign.values),
    _parameter("agency", int, "Owning agency id."),
    _parameter("region", str, "Region code; includes the regions below it."),
    _parameter("party", str, "Part of a party's name, or a credit code."),
    _parameter("overdue", bool, "Only cases past (true) or within (false) their next deadline."),
    _parameter("due_before", OpenApiTypes.DATE, "Next deadline on or before this day."),
    _parameter("mine", bool, "Only cases the signed-in user leads or handles (true); false or absent: no filter."),
    *[_parameter(f"{name}_{side}", OpenApiTypes.DATE, f"{name.replace('_', ' ').capitalize()} on or "
                 f"{'after' if side == 'after' else 'before'} this day.")
      for name in listing.RANGES for side in ("after", "before")],
    _parameter("order", str, "Newest first (-id, the default) or by next deadline (deadline: the soonest first, "
               "cases without a running deadline last); a cursor belongs to its order.",
               enum=[value for value, _label in listing.ORDERS]),
]
