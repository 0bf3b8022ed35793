"""No exported cell runs as a formula (rules/spreadsheet.py)."""

import pytest

from casehub.rules.spreadsheet import csv_text, runs_as_formula


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_a_formula_start_is_made_text(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value, shown", [("宜昌某某商贸有限公司", "宜昌某某商贸有限公司"), ("", ""), (None, ""),
                                          (12, "12"), ("a=b", "a=b")])
def test_anything_else_is_itself(value, shown):
    assert csv_text(value) == shown


def test_only_an_equals_sign_makes_openpyxl_write_a_formula():
    assert runs_as_formula("=1+1") and not runs_as_formula("+1") and not runs_as_formula("宜昌")
