"""Where an area's designated time sits in the 2018-19 national survey."""

from decimal import Decimal

import pytest

from roles import survey


def test_shares_of_respondents_who_gave_a_band_sum_to_100():
    for role in ("dmo", "dco"):
        total = sum(share for _, share in survey.distribution(role))
        assert abs(total - 100) <= Decimal("0.2"), role


def test_one_day_dmo_is_in_the_most_common_band():
    position = survey.position("dmo", Decimal("1"))
    assert position.band.label == "1 day"
    assert position.band.percent == Decimal("47.4")
    # 10.5 + 31.6 of 94.8 had less; 5.3 of 94.8 had more.
    assert position.less_percent == Decimal("44.4")
    assert position.more_percent == Decimal("5.6")
    assert "DMOs" in position.summary


@pytest.mark.parametrize(
    ("role", "days", "label"),
    [
        ("dmo", "0.25", "Under half a day"),
        ("dmo", "0.5", "Half a day"),
        ("dmo", "0.75", "1 day"),
        ("dmo", "2", "2 days or more"),
        ("dmo", "5", "2 days or more"),
        ("dco", "0.5", "Half a day or less"),
        ("dco", "1", "1 day"),
        ("dco", "2", "2 days"),
        ("dco", "3", "3 days"),
        ("dco", "4", "4 days"),
        ("dco", "5", "5 days or more"),
    ],
)
def test_bands(role, days, label):
    assert survey.position(role, Decimal(days)).band.label == label


def test_full_time_dco_has_nobody_with_more():
    position = survey.position("dco", Decimal("5"))
    assert position.more_percent == 0
    assert position.less_percent + position.same_percent == Decimal("100.0")
