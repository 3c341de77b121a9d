"""Run now or queue, after commit (core/dispatch.py)."""

from __future__ import annotations

import pytest

from core import dispatch as dispatch_module
from core.dispatch import dispatch, has_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """What would have gone to the broker: (name, args, kwargs)."""
    out = []
    monkeypatch.setattr(
        dispatch_module, "send_task", lambda name, args, kwargs: out.append((name, args, kwargs))
    )
    return out


def test_the_broker_is_there_exactly_when_tasks_are_not_eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert has_broker() is False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert has_broker() is True


def test_without_a_broker_the_work_runs_in_process_after_commit(
    settings, sent, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ran = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch("app.task", 1, run=lambda *a, **kw: ran.append((a, kw)), x="y")
        assert ran == []  # nothing before the commit
    assert len(callbacks) == 1
    assert ran == [((1,), {"x": "y"})]
    assert sent == []


def test_with_a_broker_the_task_is_queued_by_name_after_commit(
    settings, sent, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        dispatch("app.task", 7, run=lambda *a, **kw: ran.append(a), file_id=3)
        assert sent == []
    assert sent == [("app.task", (7,), {"file_id": 3})]
    assert ran == []


def test_nothing_starts_when_the_transaction_rolls_back(
    settings, sent, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ran = []
    with django_capture_on_commit_callbacks(execute=False):
        dispatch("app.task", run=lambda: ran.append(1))
    assert ran == [] and sent == []


def test_a_broker_that_is_down_goes_to_the_callers_handler(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(name, args, kwargs):
        raise ConnectionRefusedError("no Redis")

    monkeypatch.setattr(dispatch_module, "send_task", down)
    errors = []
    with django_capture_on_commit_callbacks(execute=True):
        dispatch("app.task", run=lambda: None, on_queue_error=errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ConnectionRefusedError)


def test_a_broker_that_is_down_raises_without_a_handler(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(name, args, kwargs):
        raise ConnectionRefusedError("no Redis")

    monkeypatch.setattr(dispatch_module, "send_task", down)
    with pytest.raises(ConnectionRefusedError):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch("app.task", run=lambda: None)


def test_send_task_publishes_through_the_current_celery_app(monkeypatch):
    from celery import current_app

    calls = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: calls.append((name, kw)))
    dispatch_module.send_task("app.task", (1,), {"a": 2})
    assert calls == [("app.task", {"args": (1,), "kwargs": {"a": 2}})]
