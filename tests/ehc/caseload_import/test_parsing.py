"""Cell values: dates (two-digit years, Excel cells), NHS numbers, codes, names."""

from __future__ import annotations

import datetime

import pytest

from ehc.caseload_import import parsing
from ehc.caseload_import.parsing import CellError

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/2026", D(2026, 3, 5)),
        ("5/3/2026", D(2026, 3, 5)),
        ("5-3-2026", D(2026, 3, 5)),
        ("5.3.2026", D(2026, 3, 5)),
        ("2026-03-05", D(2026, 3, 5)),
        ("2026-03-05 00:00:00", D(2026, 3, 5)),
        ("2026-03-05T00:00:00", D(2026, 3, 5)),
        ("5 March 2026", D(2026, 3, 5)),
        ("5 Mar 2026", D(2026, 3, 5)),
        (datetime.datetime(2026, 3, 5, 0, 0), D(2026, 3, 5)),
        (D(2026, 3, 5), D(2026, 3, 5)),
        (46086, D(2026, 3, 5)),  # an Excel serial day number
        (46086.0, D(2026, 3, 5)),
        (" 05/03/2026 ", D(2026, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_the_forms_trackers_use(value, expected):
    assert parsing.date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5/3/26", D(2026, 3, 5)),  # 20yy: not in the future
        ("15/6/26", D(2026, 6, 15)),  # today itself is not the future
        ("16/6/26", D(1926, 6, 16)),  # 20yy would be tomorrow: 19yy
        ("1/1/99", D(1999, 1, 1)),
        ("1/1/00", D(2000, 1, 1)),
        ("5 Mar 19", D(2019, 3, 5)),
        ("29/2/24", D(2024, 2, 29)),
    ],
)
def test_a_two_digit_year_is_20yy_unless_that_is_in_the_future(value, expected):
    assert parsing.date(value, today=TODAY) == expected


def test_a_date_that_may_be_ahead_keeps_20yy():
    assert parsing.date("16/6/26", today=TODAY, ahead=True) == D(2026, 6, 16)
    assert parsing.date("1/9/27", today=TODAY, ahead=True) == D(2027, 9, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "is not a real date"),
        ("2026-13-01", "is not a real date"),
        ("next Tuesday", "is not a date: write it as 27/03/2026"),
        ("03/2026", "is not a date"),
        (-5, "is not a date"),
        (9999999, "is not a date"),
    ],
)
def test_a_cell_that_is_not_a_date_says_how_to_write_one(value, message):
    with pytest.raises(CellError, match=message):
        parsing.date(value, today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 9434765919 ", "9434765919"),
        (9434765919, "9434765919"),
        (9434765919.0, "9434765919"),
        (None, ""),
    ],
)
def test_nhs_numbers_lose_their_spaces_and_number_cells_their_decimals(value, expected):
    assert parsing.nhs_number(value) == expected


CHOICES = [("ASD", "Autistic spectrum disorder (ASD)"), ("SLCN", "Speech (SLCN)")]


@pytest.mark.parametrize(
    "value", ["ASD", "asd", "Autistic spectrum disorder", "autistic spectrum disorder (asd)"]
)
def test_a_code_is_found_by_its_code_or_name(value):
    assert parsing.choice(value, CHOICES, what="primary need") == "ASD"


def test_an_unknown_code_names_what_was_wanted():
    with pytest.raises(CellError, match="“Dyslexia” is not a primary need the portal knows"):
        parsing.choice("Dyslexia", CHOICES, what="primary need")
    assert parsing.choice("", CHOICES, what="primary need") == ""
    assert parsing.choice("ND", CHOICES, what="x", extra={"N.D.": "ASD"}) == "ASD"


@pytest.mark.parametrize(
    ("value", "letter"),
    [("b", "b"), ("(c)", "c"), ("8(2)(a)", "a"), ("Reg 8(2)(b) away", "b"), ("d", ""), ("", "")],
)
def test_an_exception_is_read_by_its_letter(value, letter):
    assert parsing.exception_letter(value) == letter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sam Smith", ("Sam", "Smith")),
        ("Mary Jane  Smith", ("Mary Jane", "Smith")),
        ("Smith, Sam", ("Sam", "Smith")),
    ],
)
def test_one_name_cell_gives_first_and_last_names(value, expected):
    assert parsing.person_name(value) == expected


def test_one_word_is_not_a_name():
    with pytest.raises(CellError, match="first and last name"):
        parsing.person_name("Sam")


def test_text_cells_keep_whole_numbers_whole():
    assert parsing.text(12345.0) == "12345"
    assert parsing.text("  LA-1 ") == "LA-1"
    assert parsing.text(None) == ""


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes", True),
        (" y ", True),
        ("TRUE", True),
        (1, True),
        (True, True),
        ("No", False),
        ("n", False),
        ("Not eligible", False),
        (0, False),
        (False, False),
        ("", None),
        (None, None),
    ],
)
def test_yes_or_no(cell, expected):
    assert parsing.yes_no(cell) is expected


def test_anything_else_is_not_yes_or_no():
    with pytest.raises(parsing.CellError, match="is not Yes or No"):
        parsing.yes_no("maybe")
