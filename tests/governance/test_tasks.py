"""The monthly task that prepares the erasure list (governance/tasks.py), run
in-process with apply() whether or not a broker is configured."""

from __future__ import annotations

import pytest

from governance.models import ErasureBatch
from governance.tasks import prepare_retention_list
from tests.governance.helpers import old_case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_task_prepares_a_list_and_erases_nothing(area):
    child = old_case(area).child
    batch_id = prepare_retention_list.apply().get()
    batch = ErasureBatch.objects.get(pk=batch_id)
    assert batch.is_prepared
    assert list(batch.candidates.values_list("child", flat=True)) == [child.pk]
    child.refresh_from_db()  # still there


def test_nobody_due_gives_no_list(area):
    assert prepare_retention_list.apply().get() is None
    assert not ErasureBatch.objects.exists()
