"""An enterprise's credit grade from its penalties over the last N years,
by a rule the platform administrator sets (settings.CREDIT_GRADING): the
first grade whose thresholds the enterprise reaches, else the best. The
same rule names the seriously dishonest, for joint punishment."""

from __future__ import annotations

from decimal import Decimal

DEFAULT_RULE = {
    "years": 3,
    # (grade, thresholds): reached when any threshold is met.
    "grades": [
        ("D", {"penalties": 3, "total_fine": 1_000_000}),
        ("C", {"penalties": 2, "total_fine": 100_000}),
        ("B", {"penalties": 1}),
    ],
    "otherwise": "A",
    # Seriously dishonest (失信联合惩戒): repeat infringement on this scale.
    "dishonest": {"penalties": 3, "total_fine": 1_000_000},
}


def _reaches(penalties: int, total_fine: Decimal, thresholds: dict) -> bool:
    return (penalties >= thresholds.get("penalties", float("inf"))
            or total_fine >= Decimal(str(thresholds.get("total_fine", "Infinity"))))


def grade(penalties: int, total_fine: Decimal, rule: dict = DEFAULT_RULE) -> str:
    for name, thresholds in rule["grades"]:
        if _reaches(penalties, total_fine, thresholds):
            return name
    return rule["otherwise"]


def is_seriously_dishonest(penalties: int, total_fine: Decimal, rule: dict = DEFAULT_RULE) -> bool:
    return _reaches(penalties, total_fine, rule["dishonest"])
