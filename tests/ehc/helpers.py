"""Helpers for the EHC screen tests: POST data and a ready-made case."""

from __future__ import annotations

import datetime

from tests import factories as f


def date_data(name: str, day: datetime.date | None) -> dict:
    """POST data for a GOV.UK date input."""
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def case_in(area, **request_fields):
    """A child in the area with a request asking the area's service."""
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(child=child, **request_fields)
    contribution = f.ContributionFactory(request=request, service=area.service)
    return child, request, contribution


def login(client, user):
    client.force_login(user)
    return client


def child_post(area, **overrides):
    data = {
        "given_name": "Alex",
        "family_name": "Example",
        "nhs_number": "943 476 5919",
        "la_reference": "LA-1",
        "local_authority": area.local_authority.pk,
        "primary_need": "SLCN",
        **date_data("date_of_birth", datetime.date(2018, 3, 4)),
    }
    data.update(overrides)
    return data


def advice_post(version=None, **overrides):
    data = {
        "version": version or "",
        "author_name": "Dr Jo Bloggs",
        "author_profession": "Speech and language therapist",
        "needs": "Needs help with expressive language.",
        "outcomes": "Will use three-word sentences by July.",
        "child_views": "Likes drawing.",
        **date_data("written_on", datetime.date(2026, 10, 1)),
        "provision-TOTAL_FORMS": "2",
        "provision-INITIAL_FORMS": "0",
        "provision-MIN_NUM_FORMS": "0",
        "provision-MAX_NUM_FORMS": "30",
        "provision-0-description": "Language group",
        "provision-0-delivered_by": "Speech and language therapist",
        "provision-0-frequency": "Weekly",
        "provision-0-duration": "Two terms",
        "provision-0-section": "F",
        "provision-0-available": "on",
    }
    data.update(overrides)
    return data
