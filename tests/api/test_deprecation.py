"""api.deprecation: v1's end announced in headers, once it is set."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings

from api.deprecation import headers
from tests.api.conftest import token_client


def test_nothing_is_announced_by_default():
    assert headers(None, None) == {}


def test_the_headers_follow_the_rfcs():
    announced = headers(datetime.date(2027, 4, 1), datetime.date(2028, 4, 1))
    assert announced == {
        "Deprecation": "@1806537600",
        "Sunset": "Sat, 01 Apr 2028 00:00:00 GMT",
        "Link": '</api/v1/docs/>; rel="deprecation"; type="text/html"',
    }


@pytest.mark.django_db
def test_every_v1_answer_carries_them_once_set(area):
    with override_settings(
        API_V1_DEPRECATED_ON=datetime.date(2027, 4, 1), API_V1_SUNSET_ON=datetime.date(2028, 4, 1)
    ):
        answer = token_client(area.la_officer).get("/api/v1/requests/")
        refused = Client().get("/api/v1/requests/")
        page = Client().get("/accounts/login/")
    assert answer["Sunset"] == refused["Sunset"] == "Sat, 01 Apr 2028 00:00:00 GMT"
    assert "Deprecation" not in page
    assert "Deprecation" not in token_client(area.la_officer).get("/api/v1/requests/")
