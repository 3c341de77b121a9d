"""A bounded Hypothesis fuzz of every API route (tests/test_fuzz.py does
the pages): every route in the API's access matrix is called by an allowed
role's token with generated query strings and, where it takes a POST,
generated JSON bodies built from the case's own (each field kept, dropped
or replaced, at any depth, with hostile values: tests/test_fuzz.py's list,
JSON of every type, huge numbers, deep nesting). It must never be a server
error nor show the other area's child. Derandomised; ``FUZZ_EXAMPLES``
sets the examples per route."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import token_client
from tests.api.matrix import API_REGISTRY, ApiCase
from tests.test_fuzz import (  # noqa: F401  (fixtures)
    EXAMPLES,
    OTHER_FAMILY_NAME,
    OTHER_GIVEN_NAME,
    fuzz_data,
    known_ids,
    media,
    rolled_back,
    values,
)

pytestmark = pytest.mark.fuzz

PARAMETERS = [
    "q",
    "status",
    "process",
    "local_authority",
    "service",
    "provider",
    "owner",
    "overdue",
    "lawful_exception",
    "due_within",
    "primary_need",
    "age_group",
    "received_from",
    "received_to",
    "since",
    "cursor",
    "page_size",
    "period",
    "date_from",
    "date_to",
    "commissioning_body",
    "format",
    "unknown",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _cases() -> list[ApiCase]:
    from tests.api import test_access  # noqa: F401  (registers the cases)

    return [case for cases in API_REGISTRY.values() for case in cases]


def mutated(value, known: list[str]):
    """A strategy: ``value`` (a JSON body) with each field kept, dropped or
    replaced, nested objects mutated in turn, and perhaps an unknown key."""
    if isinstance(value, dict):
        fields = {
            name: st.one_of(
                st.just(("keep", inner)),
                st.just(("drop", None)),
                mutated(inner, known).map(lambda v: ("keep", v)),
                st.one_of(values(known), JSON).map(lambda v: ("keep", v)),
            )
            for name, inner in value.items()
        }
        extra = {k: JSON for k in ("unknown", "child", "child_id", "version") if k not in value}
        return st.fixed_dictionaries(fields, optional=extra).map(
            lambda d: {
                k: (v[1] if isinstance(v, tuple) else v)
                for k, v in d.items()
                if not (isinstance(v, tuple) and v[0] == "drop")
            }
        )
    return st.one_of(st.just(value), values(known), JSON)


def _who(case: ApiCase) -> str:
    with_area = sorted(case.allowed - {"administrator"})
    return with_area[0] if with_area else "administrator"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.url_name}-{c.methods[0]}") for c in _cases()]
)
def test_api_fuzz(case, fuzz_data, media):  # noqa: F811
    data = fuzz_data
    client = token_client(data.area.user(_who(case)))
    known = known_ids(data)
    url = case.url(data).split("?")[0]

    def check(response):
        assert response.status_code < 500
        text = response.content.decode(errors="replace") if not response.streaming else ""
        assert OTHER_GIVEN_NAME not in text and OTHER_FAMILY_NAME not in text

    if case.methods[0] == "get":
        query = st.lists(st.tuples(st.sampled_from(PARAMETERS), values(known)), max_size=5).map(
            urlencode
        )

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(query=query)
        def run(query):
            with rolled_back():
                check(client.get(f"{url}?{query}"))

    else:
        body = mutated(case.body(data), known)

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(body=body, raw=st.booleans())
        def run(body, raw):
            with rolled_back():
                send = getattr(client, case.methods[0])
                if raw:  # not even JSON's shapes: a list, a number, invalid text
                    response = send(
                        url, json.dumps(body)[:-1] or "{", content_type="application/json"
                    )
                else:
                    response = send(url, body, format="json")
                check(response)

    run()


def test_every_api_route_is_fuzzed():
    from tests.test_access_coverage import url_patterns

    names = {name for _r, name, _v in url_patterns() if name and name.startswith("api:")}
    assert names - {"api:schema", "api:docs"} <= {case.url_name for case in _cases()}
