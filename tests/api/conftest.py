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
