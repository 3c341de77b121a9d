"""Which databases the national benchmark rebuilds (bench/national_data.py):
its own, including one whose build stopped half-way, but never another's.
No database: the catalogue lookup and the build are replaced."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[2] / "bench"
if str(FOLDER) not in sys.path:
    sys.path.append(str(FOLDER))  # last, so bench/reports.py never hides the reports app

import national_data  # noqa: E402


@pytest.fixture
def built(monkeypatch):
    """The databases build() was asked for, with the comment each had."""
    calls = []
    monkeypatch.setattr(national_data, "use_database", lambda name: None)
    monkeypatch.setattr(national_data, "build", lambda name, **kw: calls.append(name))
    return calls


def _with_comment(monkeypatch, comment):
    monkeypatch.setattr(national_data, "_comment", lambda name: comment)


def test_a_build_that_stopped_half_way_is_rebuilt(monkeypatch, built):
    _with_comment(monkeypatch, national_data.UNFINISHED)

    national_data.build_or_reuse("bench_db", requests=100, seed=1, jobs=1)

    assert built == ["bench_db"]


def test_a_missing_database_is_built(monkeypatch, built):
    _with_comment(monkeypatch, None)

    national_data.build_or_reuse("bench_db", requests=100, seed=1, jobs=1)

    assert built == ["bench_db"]


@pytest.mark.parametrize("comment", ["", "the team's copy of production"])
def test_a_database_the_benchmark_did_not_build_is_left_alone(monkeypatch, built, comment):
    _with_comment(monkeypatch, comment)

    with pytest.raises(SystemExit, match="was not built by this benchmark"):
        national_data.build_or_reuse("bench_db", requests=100, seed=1, jobs=1)
    assert built == []
