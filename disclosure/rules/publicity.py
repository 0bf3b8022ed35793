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
# Credit repair may be asked after 6 months of publication; 1 year in fields
# the State Council singles out.
REPAIR_AFTER_MONTHS = 6
REPAIR_AFTER_MONTHS_STRICT = 12
STRICT_FIELDS = frozenset({"food", "drugs", "special_equipment"})
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


def publicity_months(penalties, fine: Decimal | None, party_kind: str) -> int:
    return 3 if is_lower(penalties, fine, party_kind) else 36


def publicity_ends_on(published_on: date, penalties, fine: Decimal | None, party_kind: str) -> date:
    """The last day the record is public."""
    return published_on + relativedelta(months=publicity_months(penalties, fine, party_kind)) - relativedelta(days=1)


def repair_possible_from(published_on: date, penalties, fine: Decimal | None, party_kind: str,
                         field: str = "") -> date:
    """The first day a repair may be applied for. A record public for only 3
    months may be repaired after those 3 months at the latest (its own end)."""
    months = REPAIR_AFTER_MONTHS_STRICT if field in STRICT_FIELDS else REPAIR_AFTER_MONTHS
    months = min(months, publicity_months(penalties, fine, party_kind))
    return published_on + relativedelta(months=months)
