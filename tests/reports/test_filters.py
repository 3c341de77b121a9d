"""reports.filters: a commissioner's custom range is whole months, at least 3."""

import datetime

import pytest

from reports.filters import _whole_months_problems

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "problems"),
    [
        (D(2026, 4, 1), D(2026, 6, 30), {}),
        (D(2026, 1, 1), D(2026, 3, 31), {}),
        (D(2027, 12, 1), D(2028, 2, 29), {}),  # a leap February ends on the 29th
        (D(2026, 4, 1), D(2026, 5, 31), {"date_to": "Choose at least 3 whole months"}),
        (
            D(2026, 4, 1),
            D(2026, 4, 1),
            {"date_to": "End on the last day of a month, for example 30 June"},
        ),
        (
            D(2026, 4, 2),
            D(2026, 6, 30),
            {"date_from": "Start on the first day of a month, for example 1 April"},
        ),
        (
            D(2028, 2, 1),
            D(2028, 2, 28),
            {"date_to": "End on the last day of a month, for example 30 June"},
        ),
    ],
)
def test_whole_months_problems(start, end, problems):
    assert _whole_months_problems(start, end) == problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,field,message",
    [
        (
            "?date_from=0001-01-01&date_to=0001-03-31",
            "date_from",
            "choose a date from 1 April 2014",
        ),
        ("?date_from=2014-03-01&date_to=2014-05-31", "date_from", "EHC plans began"),
        ("?date_from=2026-04-01&date_to=9999-12-31", "date_to", "Choose a date up to"),
    ],
)
def test_dates_outside_the_figures_are_a_message_not_a_crash(client, area, query, field, message):
    """The dashboard's custom range (the quarterly and annual pages take
    whole periods only, and ignore dates)."""
    from django.urls import reverse

    for user in (area.officer, area.commissioner):
        client.force_login(user)
        response = client.get(reverse("reports:dashboard") + query)
        assert response.status_code == 400, (user.role, response.status_code)
        for name in ("reports:quarterly", "reports:annual"):
            assert client.get(reverse(name) + query).status_code == 200
        assert message in " ".join(response.context["filter"].form.errors[field])
