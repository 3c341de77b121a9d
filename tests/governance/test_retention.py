"""The retention schedule's dates, worked by hand (governance/retention.py)."""

from __future__ import annotations

import datetime

import pytest

from governance.retention import Policy, Rule, code_rule, erasure_due, ordinal, years_after

D = datetime.date
CODE = Policy()  # 25, 26 if 17 at the end, 8 years after activity, 8 after death


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")]
    + [(21, "21st"), (22, "22nd"), (25, "25th"), (26, "26th"), (31, "31st"), (111, "111th")],
)
def test_ordinal(n, words):
    assert ordinal(n) == words


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2010, 6, 15), 8, D(2018, 6, 15)),
        (D(2012, 2, 29), 8, D(2020, 2, 29)),  # leap year to leap year
        (D(2016, 2, 29), 1, D(2017, 3, 1)),  # no 29 February: 1 March, kept a day longer
        (D(2092, 2, 29), 8, D(2100, 3, 1)),  # 2100 is not a leap year
        (D(2010, 12, 31), 8, D(2018, 12, 31)),
    ],
)
def test_years_after(day, years, expected):
    assert years_after(day, years) == expected


def test_the_25th_birthday_when_the_work_ended_before_17():
    # Born 14 May 2000; the work ended at 15 (10 March 2016).
    due = code_rule(D(2000, 5, 14), D(2016, 3, 10), CODE)
    assert due.on == D(2025, 5, 14)
    assert due.rule == Rule.AGE
    assert due.reason == "25th birthday"


def test_the_26th_birthday_when_17_at_the_end_of_the_work():
    # Born 14 May 2000; 17 from 14 May 2017 to 13 May 2018.
    for ended in (D(2017, 5, 14), D(2017, 12, 1), D(2018, 5, 13)):
        due = code_rule(D(2000, 5, 14), ended, CODE)
        assert (due.on, due.rule) == (D(2026, 5, 14), Rule.AGE_17), ended
        assert due.reason == "26th birthday (17 when the work ended)"


def test_work_ending_on_the_17th_or_18th_birthday():
    # On the 17th birthday the young person is 17; on the 18th they are not.
    assert code_rule(D(2000, 5, 14), D(2017, 5, 14), CODE).rule == Rule.AGE_17
    assert code_rule(D(2000, 5, 14), D(2017, 5, 13), CODE).rule == Rule.AGE  # 16 that day
    assert code_rule(D(2000, 5, 14), D(2018, 5, 14), CODE).rule == Rule.AGE  # 18 that day


def test_work_ending_after_18_is_the_25th_birthday():
    due = code_rule(D(2000, 5, 14), D(2022, 1, 4), CODE)
    assert (due.on, due.rule) == (D(2025, 5, 14), Rule.AGE)


def test_born_on_29_february():
    # 25th birthday in 2029 (common year): 1 March 2029.
    assert code_rule(D(2004, 2, 29), D(2015, 1, 1), CODE).on == D(2029, 3, 1)
    # 26th in 2030, also common: 1 March.
    assert code_rule(D(2004, 2, 29), D(2021, 6, 1), CODE).on == D(2030, 3, 1)
    # Born 29 February 2008: 25th birthday on 29 February 2033? 2033 is common: 1 March.
    assert code_rule(D(2008, 2, 29), D(2010, 1, 1), CODE).on == D(2033, 3, 1)
    # 17 on 28 February 2021 or not? The 17th birthday is 1 March 2021, so not yet.
    assert code_rule(D(2004, 2, 29), D(2021, 2, 28), CODE).rule == Rule.AGE
    assert code_rule(D(2004, 2, 29), D(2021, 3, 1), CODE).rule == Rule.AGE_17


def test_a_recorded_death_is_8_years_after_it():
    due = code_rule(D(2010, 5, 14), D(2015, 1, 1), CODE, date_of_death=D(2016, 2, 29))
    assert (due.on, due.rule, due.reason) == (D(2024, 2, 29), Rule.DEATH, "8 years after death")


def test_the_later_rule_wins():
    # Work ended at 15: the 25th birthday (2025) is after 8 years (2024).
    due = erasure_due(D(2000, 5, 14), D(2016, 3, 10), CODE)
    assert (due.on, due.rule) == (D(2025, 5, 14), Rule.AGE)
    # Work ended at 22: 8 years after (2030) is after the 25th birthday.
    due = erasure_due(D(2000, 5, 14), D(2022, 9, 1), CODE)
    assert (due.on, due.rule, due.reason) == (
        D(2030, 9, 1),
        Rule.ACTIVITY,
        "8 years after the last activity",
    )
    # Work ended at 17 on 1 March 2018: 26th birthday 14 May 2026 is the later.
    due = erasure_due(D(2000, 5, 14), D(2018, 3, 1), CODE)
    assert (due.on, due.rule) == (D(2026, 5, 14), Rule.AGE_17)


def test_on_a_tie_the_code_rule_is_named():
    # With 25 for everyone, work ending on the 17th birthday is due 8 years
    # on, the 25th birthday, by both rules.
    policy = Policy(until_age_if_17_at_end=25)
    tie = erasure_due(D(2000, 5, 14), D(2017, 5, 14), policy)
    assert years_after(D(2017, 5, 14), 8) == tie.on == D(2025, 5, 14)
    assert tie.rule == Rule.AGE_17


def test_a_death_still_waits_for_8_years_after_the_last_activity():
    due = erasure_due(D(2010, 5, 14), D(2019, 6, 1), CODE, date_of_death=D(2018, 1, 1))
    assert (due.on, due.rule) == (D(2027, 6, 1), Rule.ACTIVITY)


def test_a_local_authority_schedule_of_date_of_birth_plus_31_years():
    la = Policy(until_age=31, until_age_if_17_at_end=31, years_after_activity=8)
    due = erasure_due(D(2000, 5, 14), D(2018, 3, 1), la)
    assert (due.on, due.reason) == (D(2031, 5, 14), "31st birthday (17 when the work ended)")
