"""python manage.py apply_retention [--today] [--dry-run]
(governance/management/commands/apply_retention.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from governance import services
from governance.models import ErasureBatch
from tests.access import database_state
from tests.governance.helpers import old_case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_the_children_and_writes_nothing(area):
    due = old_case(area).child
    held = old_case(area, names=("Held", "Child")).child
    services.place_legal_hold(child=held, reason="Claim", by=area.administrator)
    before = database_state()

    output = run("--dry-run", "--today", "2026-06-01")

    assert database_state() == before
    assert f"due   child {due.pk} ({area.local_authority.name}): 26th birthday" in output
    assert f"kept  child {held.pk} ({area.local_authority.name}): Legal hold" in output
    assert "Dry run for 2026-06-01: 1 due, 1 kept; nothing saved." in output
    assert "Oldrecord" not in output and "Held Child" not in output  # ids, not names


def test_without_dry_run_a_list_waits_for_approval(area):
    due = old_case(area).child
    output = run("--today", "2026-06-01")
    batch = ErasureBatch.objects.get()
    assert batch.is_prepared and batch.prepared_by is None
    assert list(batch.candidates.values_list("child", flat=True)) == [due.pk]
    assert f"{batch} prepared with 1 children" in output
    assert "/governance/erasure/" in output
    # Nobody new is due on a second run.
    assert "Nobody's records are due for erasure on 2026-06-01." in run("--today", "2026-06-01")


def test_a_wrong_date_is_refused():
    with pytest.raises(CommandError, match="--today must be a date"):
        run("--today", "1 June")
