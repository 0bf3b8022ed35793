"""How long a penalty stays public, and when its party may apply for credit
repair (SAMR 《行政处罚信息公示规定》 2021, NDRC Order 58, Hubei's
thresholds; see shared/domain.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

# Not published on their own: a warning alone, and an order to stop (an
# administrative order, not a penalty).
NOT_PUBLISHED_ALONE = frozenset({"warning", "order_to_stop"})
# Hubei: a "lower" fine is under ¥10,000 for an individual, ¥100,000 for an organisation.
LOWER_FINE = {"individual": Decimal("10000"), "enterprise": Decimal("100000")}
# Credit repair may be asked after 6 months of publication; 1 year in food,
# drugs and special equipment (SAMR).
REPAIR_AFTER_MONTHS = 6
REPAIR_AFTER_MONTHS_STRICT = 12
STRICT_FIELDS = frozenset({"food", "drugs", "special_equipment"})
# NDRC Order 58 (2023): shown at least 3 months, at least 1 year in special
# equipment, work safety and fire.
MIN_PUBLICITY_MONTHS = 3
MIN_PUBLICITY_MONTHS_LONGER = 12
LONGER_MINIMUM_FIELDS = frozenset({"special_equipment", "work_safety", "fire"})
PUBLICATION_WORKING_DAYS = 20  # 《企业信息公示暂行条例》 art. 6


def is_published(penalties) -> bool:
    """A decision is published unless it is a warning alone."""
    return bool(set(penalties or ()) - NOT_PUBLISHED_ALONE)


def is_lower(penalties, fine: Decimal | None, party_kind: str) -> bool:
    """Only a lower fine and/or a circular of criticism (beside a warning or
    an order to stop): the short period."""
    weighty = set(penalties or ()) - NOT_PUBLISHED_ALONE - {"circular", "fine"}
    if weighty:
        return False
    if "fine" in set(penalties or ()):
        return fine is not None and fine < LOWER_FINE.get(party_kind, LOWER_FINE["enterprise"])
    return True


def publicity_months(penalties, fine: Decimal | None, party_kind: str, field: str = "") -> int:
    """3 months for the lower penalties (1 year in the fields with a longer
    minimum), 3 years otherwise."""
    if not is_lower(penalties, fine, party_kind):
        return 36
    return MIN_PUBLICITY_MONTHS_LONGER if field in LONGER_MINIMUM_FIELDS else MIN_PUBLICITY_MONTHS


def publicity_ends_on(published_on: date, penalties, fine: Decimal | None, party_kind: str, field: str = "") -> date:
    """The last day the record is public."""
    months = publicity_months(penalties, fine, party_kind, field)
    return published_on + relativedelta(months=months) - relativedelta(days=1)


def repair_possible_from(published_on: date, penalties, fine: Decimal | None, party_kind: str,
                         field: str = "") -> date:
    """The first day a repair may be applied for. A record public for a
    shorter time may be repaired when that time ends at the latest."""
    months = REPAIR_AFTER_MONTHS_STRICT if field in STRICT_FIELDS else REPAIR_AFTER_MONTHS
    months = min(months, publicity_months(penalties, fine, party_kind, field))
    return published_on + relativedelta(months=months)
