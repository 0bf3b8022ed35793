"""The filters every table is read with: year and region. Bad values are
refused at their field (a 400 with field errors; a message on the page)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region

from ..rules.refusal import Refused
from .base import Filters

FIRST_YEAR = 2000


def parse(params) -> Filters:
    """Filters from a query's parameters (a QueryDict or a dict of strings):
    the current year when none is given, every region when none is."""
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    raw_year = (params.get("year") or "").strip()
    year = this_year
    if raw_year:
        if not raw_year.isascii() or not raw_year.isdigit() or not FIRST_YEAR <= int(raw_year) <= this_year + 1:
            errors["year"] = [_("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR,
                                                                             "last": this_year + 1}]
        else:
            year = int(raw_year)
    region = (params.get("region") or "").strip() or None
    codes = None
    if region is not None:
        codes = Region.subtree_codes(region) if len(region) <= 12 else None
        if codes is None:
            errors["region"] = [_("Choose a region from the list.")]
    if errors:
        raise Refused(errors)
    return Filters(year=year, region=region, region_codes=tuple(codes) if codes else None)
