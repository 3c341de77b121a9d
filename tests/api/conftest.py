"""API test helpers: a client holding a token of a given user."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tokens

_names = itertools.count(1)


def token_client(user, name: str = "") -> APIClient:
    """An APIClient sending a new token of ``user`` (issued as the server's
    command line does); the token is ``client.token``."""
    token, raw = tokens.issue_token(
        user=user,
        name=name or f"Test token {next(_names)}",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        by=None,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.token = token
    client.raw = raw
    return client


@pytest.fixture
def api_as():
    return token_client


@pytest.fixture
def cache_in_memory(settings):
    """The API's own queries, counted alike on every machine: the rate
    limits' counters kept in this process's memory, not in whichever shared
    cache the machine has (the database table, without REDIS_URL, adds five
    queries a request; Redis none)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
