"""CSV cells cannot become formulas; numbers stay numbers (core/spreadsheets.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.spreadsheets import safe_cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+44 20", "'+44 20"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("\x00=cmd|' /C calc'!A0", "'\x00=cmd|' /C calc'!A0"),
        ("  =1+1", "'  =1+1"),
        ("\n@x", "'\n@x"),
        ("Community paediatrics", "Community paediatrics"),
        ("*", "*"),
        ("–", "–"),  # "not available" is an en dash, not a minus
        ("-12", "-12"),
        ("81.8%", "81.8%"),
        ("1,234", "1,234"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_cells(cell, written):
    assert safe_cell(cell) == written


@pytest.mark.parametrize("number", [12, -3, 0, 81.8, Decimal("-2.5")])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) == number
    assert type(safe_cell(number)) is type(number)


def test_booleans_are_text():
    assert safe_cell(True) == "True"


def test_dates_stay_dates():
    import datetime

    day = datetime.date(2026, 4, 1)
    assert safe_cell(day) is day
