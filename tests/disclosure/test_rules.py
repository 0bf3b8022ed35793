from datetime import date
from decimal import Decimal

import pytest

from disclosure.rules import grading, publicity
from disclosure.rules.redaction import public_party


@pytest.mark.parametrize("penalties,fine,kind,months", [
    (["fine"], Decimal("9999.99"), "individual", 3),  # lower fine, individual (< ¥10,000)
    (["fine"], Decimal("10000"), "individual", 36),
    (["fine"], Decimal("99999"), "enterprise", 3),  # lower fine, organisation (< ¥100,000)
    (["fine"], Decimal("100000"), "enterprise", 36),
    (["circular"], None, "enterprise", 3),
    (["warning", "fine"], Decimal("5000"), "individual", 3),
    (["fine", "confiscate_goods"], Decimal("5000"), "enterprise", 36),  # more than a fine
    (["confiscate_gains"], None, "individual", 36),
])
def test_the_publicity_period_follows_the_penalty(penalties, fine, kind, months):
    assert publicity.publicity_months(penalties, fine, kind) == months


def test_ends_and_repair_dates():
    published = date(2026, 1, 31)
    assert publicity.publicity_ends_on(published, ["circular"], None, "enterprise") == date(2026, 4, 29)
    assert publicity.publicity_ends_on(published, ["confiscate_goods"], None, "enterprise") == date(2029, 1, 30)
    assert publicity.repair_possible_from(published, ["confiscate_goods"], None, "enterprise") == date(2026, 7, 31)
    assert publicity.repair_possible_from(published, ["confiscate_goods"], None, "enterprise", "food") == date(2027, 1, 31)
    # Public for 3 months only: repairable at the latest when it ends.
    assert publicity.repair_possible_from(published, ["circular"], None, "enterprise") == date(2026, 4, 30)


@pytest.mark.parametrize("penalties,published", [
    (["warning"], False), (["warning", "order_to_stop"], False), ([], False), (["warning", "fine"], True),
    (["circular"], True),
])
def test_a_warning_alone_is_not_published(penalties, published):
    assert publicity.is_published(penalties) is published


def test_individuals_are_masked_and_never_carry_a_code():
    assert public_party("individual", "张三丰", "") == {"party_kind": "individual", "party_name": "张**",
                                                        "credit_code": ""}
    assert public_party("individual", "李", "")["party_name"] == "*"
    assert public_party("enterprise", "宜昌某某商贸有限公司", "91350100M000100Y43")["credit_code"] == "91350100M000100Y43"


@pytest.mark.parametrize("count,total,expected", [
    (0, Decimal(0), "A"), (1, Decimal(5000), "B"), (2, Decimal(0), "C"), (1, Decimal(100000), "C"),
    (3, Decimal(0), "D"), (1, Decimal(1_000_000), "D"),
])
def test_grades(count, total, expected):
    assert grading.grade(count, total) == expected
    assert grading.is_seriously_dishonest(count, total) is (expected == "D")


def test_the_rule_is_configurable():
    rule = {**grading.DEFAULT_RULE, "grades": [("C", {"penalties": 1})], "dishonest": {"penalties": 1}}
    assert grading.grade(1, Decimal(0), rule) == "C" and grading.is_seriously_dishonest(1, Decimal(0), rule)


def test_fields_with_longer_periods():
    published = date(2026, 1, 31)
    # NDRC Order 58: at least a year in special equipment, work safety and fire.
    assert publicity.publicity_months(["circular"], None, "enterprise", "special_equipment") == 12
    assert publicity.publicity_months(["fine"], Decimal("5000"), "individual", "fire") == 12
    assert publicity.publicity_months(["circular"], None, "enterprise", "food") == 3
    assert publicity.publicity_ends_on(published, ["circular"], None, "enterprise", "work_safety") == date(2027, 1, 30)
    # Repair after a year in food, drugs and special equipment, or when a shorter publicity ends.
    assert publicity.repair_possible_from(published, ["fine"], Decimal("500000"), "enterprise", "drugs") == \
        date(2027, 1, 31)
    assert publicity.repair_possible_from(published, ["circular"], None, "enterprise", "food") == date(2026, 4, 30)
    assert publicity.repair_possible_from(published, ["circular"], None, "enterprise", "special_equipment") == \
        date(2027, 1, 31)
