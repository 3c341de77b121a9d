"""Fixtures for the EHC tests: a case (child, request, contribution) in an area."""

from __future__ import annotations

import pytest

from tests.ehc.helpers import case_in


@pytest.fixture
def case(area):
    return case_in(area)


@pytest.fixture
def other_case(other_area):
    return case_in(other_area)


@pytest.fixture
def today_is(monkeypatch):
    """Call with a date to make it "today" for the portal
    (``timezone.localdate()``); a date or time passed in is still converted."""
    from django.utils import timezone

    real = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return set_today
