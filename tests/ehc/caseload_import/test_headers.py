"""Header matching: case, spaces and punctuation ignored, aliases, any order."""

from __future__ import annotations

import pytest

from ehc.caseload_import.headers import match_headers, normalise_header

FULL = [
    "NHS number",
    "First name",
    "Last name",
    "Date of birth",
    "Local authority",
    "Process",
    "Date LA sent request",
    "Date health received request",
]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("LA reference", "la_reference"),
        ("child LA ref", "la_reference"),
        ("CHILD_LA_REF", "la_reference"),
        ("NHS no.", "nhs_number"),
        ("nhs-number", "nhs_number"),
        ("Surname", "family_name"),
        ("DOB", "date_of_birth"),
        ("D.O.B.", "date_of_birth"),
        ("Date the LA sent the request", "sent_on"),
        ("date_health_received_request", "received_on"),
        ("Date service received request", "service_received_on"),
        ("  Return-by  ", "return_by"),
        ("Reg 8(2) exception", "exception"),
        ("Review meeting date", "meeting_on"),
    ],
)
def test_a_header_is_found_by_its_name_or_alias_whatever_the_case_and_punctuation(header, key):
    match = match_headers(["Key worker", header])
    assert match.columns == {key: 1}


def test_columns_may_come_in_any_order_and_unknown_ones_are_listed():
    headers = ["Favourite colour", *reversed(FULL), "", "Key worker"]
    match = match_headers(headers)
    assert match.problems == []
    assert match.columns["nhs_number"] == len(FULL)
    assert match.unknown == ["Favourite colour", "Key worker"]


def test_normalising_drops_small_words_case_and_punctuation():
    assert normalise_header("Date LA sent the request") == "datelasentrequest"
    assert normalise_header("DATE_LA_SENT_REQUEST") == "datelasentrequest"


def test_a_column_named_twice_is_a_problem():
    match = match_headers([*FULL, "NHS no"])
    assert match.problems == ["“NHS no” and “NHS number” are both the NHS number column: keep one"]


def test_one_name_column_instead_of_first_and_last():
    headers = [h for h in FULL if h not in ("First name", "Last name")] + ["Name"]
    assert match_headers(headers).problems == []
    assert "not both" in match_headers([*headers, "Surname"]).problems[0]


def test_missing_columns_are_named():
    match = match_headers(["First name", "Last name", "Process"])
    assert match.problems == [
        "Add an NHS number column or an LA reference column (or both)",
        "Add the columns Date of birth, Date LA sent request, Date health received request, "
        "Local authority",
    ]


def test_the_local_authority_may_be_left_out_by_an_officer_of_one_area():
    headers = [h for h in FULL if h != "Local authority"]
    assert match_headers(headers, local_authority_needed=False).problems == []
    assert match_headers(headers).problems == ["Add the column Local authority"]
