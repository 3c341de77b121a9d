"""The national benchmark's generator (bench/national_casework.py) writes
rows the database will take: a value for every column a model requires, and
rows that keep the check, unique and foreign key rules. Pure Python, on a
few hundred requests; the benchmark itself proves the rest by recreating
every constraint after loading a million."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED

from ehc.identifiers import is_valid_nhs_number

TODAY = datetime.date(2026, 6, 15)
SERVICE_TYPES = [
    "community_paediatrics",
    "speech_and_language",
    "occupational_therapy",
    "physiotherapy",
    "camhs",
    "health_visiting",
    "school_nursing",
]


def _load_generator():
    folder = Path(__file__).resolve().parents[2] / "bench"
    if str(folder) not in sys.path:
        # Last, so that bench/reports.py never hides the reports app.
        sys.path.append(str(folder))
    path = folder / "national_casework.py"
    spec = importlib.util.spec_from_file_location("national_casework", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _model(table: str):
    return next(m for m in apps.get_models() if m._meta.db_table == table)


@pytest.mark.parametrize("table", gen.TABLES)
def test_every_required_column_is_written_and_no_other(table):
    fields = _model(table)._meta.concrete_fields
    required = {
        f.column
        for f in fields
        if not f.null and f.db_default is NOT_PROVIDED and not f.primary_key
    }
    columns = gen.COLUMNS[table]
    written = set(columns)
    assert len(written) == len(columns), "a column is written twice (COPY refuses it)"
    assert required - written == set(), "add these columns to bench/national_casework.py"
    assert written - {f.column for f in fields} == set()


@pytest.fixture(scope="module")
def rows():
    """Two authorities' casework, parsed back into dicts per table."""
    written: dict[str, list[dict]] = {t: [] for t in gen.TABLES}

    def write(table, line):
        values = [None if v == gen.NULL else v for v in line.split("\t")]
        assert len(values) == len(gen.COLUMNS[table])
        written[table].append(dict(zip(gen.COLUMNS[table], values, strict=True)))

    casework = gen.Casework(
        today=TODAY,
        seed=3,
        ids=gen.Ids(dict.fromkeys(gen.TABLES, 1)),
        nhs=range(0, 5000),
        dco_id=7,
        write=write,
    )
    services = [(i + 1, t) for i, t in enumerate(SERVICE_TYPES)]
    for pk, n in ((1, 400), (2, 60)):
        casework.authority(
            gen.Authority(
                id=pk,
                gss_code=f"E0690000{pk}",
                body_id=1,
                requests=n,
                services=services,
                providers=[1, 2],
                officers=[7],
            )
        )
    return written


def _day(value):
    return None if value is None else datetime.date.fromisoformat(value)


def test_proportions(rows):
    requests = len(rows["ehc_healthadvicerequest"])
    assert requests == 460
    assert 3.6 < len(rows["ehc_contribution"]) / requests < 4.4
    assert 0.5 < len(rows["ehc_child"]) / requests < 0.7
    statuses = Counter(r["status"] for r in rows["ehc_healthadvicerequest"])
    assert set(statuses) == {"awaiting", "returned", "closed", "withdrawn"}


def test_requests_keep_the_date_rules(rows):
    reviews = {r["id"] for r in rows["ehc_reviewinput"]}
    children = {r["id"] for r in rows["ehc_child"]}
    for r in rows["ehc_healthadvicerequest"]:
        sent, received, closed = _day(r["sent_on"]), _day(r["received_on"]), _day(r["closed_on"])
        assert sent <= received <= TODAY
        assert closed is None or received <= closed <= TODAY
        assert (closed is None) == (r["status"] in ("awaiting", "returned"))
        assert r["child_id"] in children
        assert r["review_id"] is None or r["review_id"] in reviews
    for review in rows["ehc_reviewinput"]:
        assert _day(review["invited_on"]) <= _day(review["meeting_on"])


def test_contributions_keep_the_check_rules(rows):
    requests = {r["id"]: r for r in rows["ehc_healthadvicerequest"]}
    pairs = [(c["request_id"], c["service_id"]) for c in rows["ehc_contribution"]]
    assert len(pairs) == len(set(pairs))
    for c in rows["ehc_contribution"]:
        returned, asked = _day(c["returned_on"]), _day(c["asked_on"])
        assert c["request_id"] in requests
        assert (returned is None) == (c["outcome"] == "")
        assert returned is None or asked <= returned <= TODAY
        assert c["return_by"] is None or c["return_by"] <= c["due_on"]
        assert c["outcome"] != "declined" or c["declined_reason"]
        assert c["exception"] == "" or c["exception_evidence"]
        assert c["left_outstanding"] == "" or returned is None
        if c["left_outstanding"]:
            assert requests[c["request_id"]]["status"] == c["left_outstanding"]


def test_advice_provision_and_reviews_point_at_rows_that_exist(rows):
    given = {c["id"] for c in rows["ehc_contribution"] if c["outcome"] == "advice_given"}
    advice = {a["id"] for a in rows["ehc_advice"]}
    assert {a["contribution_id"] for a in rows["ehc_advice"]} == given
    assert {p["advice_id"] for p in rows["ehc_provisionitem"]} <= advice
    reviewed = [q["advice_id"] for q in rows["ehc_qualityreview"]]
    assert len(reviewed) == len(set(reviewed)) and set(reviewed) <= advice


def test_children_have_valid_unique_nhs_numbers_and_references(rows):
    numbers = [c["nhs_number"] for c in rows["ehc_child"]]
    assert all(is_valid_nhs_number(n) for n in numbers)
    assert len(numbers) == len(set(numbers))
    references = [(c["local_authority_id"], c["la_reference"]) for c in rows["ehc_child"]]
    assert len(references) == len(set(references))
