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
