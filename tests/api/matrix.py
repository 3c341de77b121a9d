"""The API's access matrix: every route, every role, in and out of area
(tests/access.py does the same for the pages, with sessions).

An :class:`ApiCase` names a route of ``api`` and the roles allowed to use
it. :func:`check_api_access` then asks it with no token (401), with a token
of every other role of the area (403), with a token of each allowed role
of the *other* area (404 for a record, or a list without the area's
record, or the status ``other_area`` names) and of each allowed role of
the area (200, or for a POST anything but a refusal). Nothing but the last
may change a row (a token's time of last use aside). ``API_REGISTRY`` is
read by tests/test_access_coverage.py, which fails for an API route with no
case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import reverse

from tests.access import ROLES, Dataset, database_state

API_REGISTRY: dict[str, list[ApiCase]] = {}
# A token's time of last use is written on use, whoever uses it.
IGNORED_TABLES = {"accounts_apitoken"}


def _none(data: Dataset) -> dict:
    return {}


def _no_query(data: Dataset) -> str:
    return ""


@dataclass(frozen=True)
class ApiCase:
    url_name: str
    allowed: frozenset
    kwargs: object = _none
    query: object = _no_query
    other_area: int | None = None  # the status another area's allowed users get
    hidden: object = None  # text in the area's answer another area's must not see
    not_scoped: str = ""  # why the other area gets what the area gets
    post: object = None  # JSON body (or a callable of the Dataset): the case POSTs
    writes: bool = False
    method: str = ""  # "patch": the body is sent by PATCH instead

    def __post_init__(self):
        assert set(self.allowed) <= set(ROLES), self.url_name
        ways = [self.other_area is not None, self.hidden is not None, bool(self.not_scoped)]
        assert sum(ways) == 1, f"{self.url_name}: one of other_area, hidden, not_scoped"

    @property
    def methods(self) -> tuple[str, ...]:
        if self.method:
            return (self.method,)
        return ("post",) if self.post is not None else ("get",)

    def url(self, data: Dataset) -> str:
        return reverse(self.url_name, kwargs=self.kwargs(data)) + self.query(data)

    def body(self, data: Dataset):
        return self.post(data) if callable(self.post) else self.post


def _state() -> dict:
    return {k: v for k, v in database_state().items() if k not in IGNORED_TABLES}


def check_api_access(case: ApiCase, data: Dataset) -> None:
    from rest_framework.test import APIClient

    from tests.api.conftest import token_client

    method = case.methods[0]
    url = case.url(data)
    where = f"{method.upper()} {url}"
    body = case.body(data) if method != "get" else None
    clients = {
        (area_name, role): token_client(getattr(data, area_name).user(role))
        for area_name in ("area", "other_area")
        for role in ROLES
    }

    def ask(client, unchanged: bool):
        before = _state() if unchanged else None
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(url, body, format="json")
        if unchanged:
            assert _state() == before, f"{where} wrote to the database"
        return response

    response = ask(APIClient(), True)
    assert response.status_code == 401, f"no token {where}: {response.status_code}"
    assert response.json()["code"] == "not_authenticated"

    for role in ROLES:
        if role in case.allowed:
            continue
        response = ask(clients["area", role], True)
        assert response.status_code == 403, f"wrong role {role} {where}: {response.status_code}"

    marker = case.hidden(data) if case.hidden is not None else None
    for role in sorted(case.allowed - {"administrator"}):
        response = ask(clients["other_area", role], not case.not_scoped)
        status = response.status_code
        if case.other_area is not None:
            assert status == case.other_area, f"other-area {role} {where}: {status}"
        else:
            assert status == 200, f"other-area {role} {where}: {status}"
            if marker is not None:
                assert marker not in _text(response), f"other-area {role} {where} sees {marker!r}"

    wrote = False
    for role in sorted(case.allowed):
        before = _state() if case.writes else None
        response = ask(clients["area", role], False)
        status = response.status_code
        if method == "get":
            assert status == 200, f"{role} {where}: {status} {_text(response)[:300]}"
            if marker is not None and role != "administrator":
                assert marker in _text(response), f"{role} {where} does not see {marker!r}"
        else:
            assert status not in (401, 403, 404, 405), f"{role} {where}: {status}"
            assert status < 500
            wrote = wrote or (case.writes and _state() != before)
    if method != "get" and case.writes:
        assert wrote, f"no allowed user's {where} wrote anything"


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    content = response.content.decode(errors="replace")
    try:
        return json.dumps(json.loads(content))
    except ValueError:
        return content


def api_access_tests(cases: list[ApiCase]):
    """A test running :func:`check_api_access` for each case; assign it to a
    ``test_`` name. Registers the cases for tests/test_access_coverage.py."""
    import pytest

    for case in cases:
        API_REGISTRY.setdefault(case.url_name, []).append(case)

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", [pytest.param(c, id=c.url_name) for c in cases])
    def test_api_access(case, access_data):
        check_api_access(case, access_data)

    test_api_access.access_cases = cases
    return test_api_access
