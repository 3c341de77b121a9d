"""One access event per response that shows children (ehc/access_log.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from ehc.access_log import access_history, record_access
from ehc.models import AccessEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(user, path="/ehc/children/?q=sam"):
    request = RequestFactory().get(path, REMOTE_ADDR="192.0.2.7")
    request.user = user
    return request


def test_one_event_names_every_child_shown_once(area, django_assert_num_queries):
    children = [f.ChildFactory(local_authority=area.local_authority) for _ in range(3)]
    with django_assert_num_queries(2):
        event = record_access(
            _request(area.officer), [*children, children[0], children[1].pk], "Children"
        )
    assert AccessEvent.objects.count() == 1
    assert sorted(event.children.values_list("pk", flat=True)) == sorted(c.pk for c in children)
    assert (event.user, event.page, event.path, event.method, event.remote_addr) == (
        area.officer,
        "Children",
        "/ehc/children/",  # never the search's words: they may name a child
        "GET",
        "192.0.2.7",
    )


def test_nothing_shown_nothing_written(area):
    from django.contrib.auth.models import AnonymousUser

    child = f.ChildFactory(local_authority=area.local_authority)
    assert record_access(_request(area.officer), [], "Children") is None
    assert record_access(_request(AnonymousUser()), [child], "Children") is None
    assert not AccessEvent.objects.exists()


def test_a_childs_history_is_newest_first_and_only_theirs(area):
    child, other = (f.ChildFactory(local_authority=area.local_authority) for _ in range(2))
    first = record_access(_request(area.officer), [child], "Child's page")
    record_access(_request(area.la_officer), [other], "Child's page")
    second = record_access(_request(area.la_officer), [child, other], "Worklist")
    assert list(access_history(child)) == [second, first]


def test_access_events_are_part_of_the_childs_history(area):
    from ehc import registry

    child = f.ChildFactory(local_authority=area.local_authority)
    record_access(_request(area.officer, "/ehc/children/1/"), [child], "Child's page")
    viewed = [e for e in registry.history_for(child) if e.action == "viewed"]
    assert [(e.record, e.detail) for e in viewed] == [("Child's page", "/ehc/children/1/")]
    assert area.officer.full_name in viewed[0].who


@pytest.mark.django_db(transaction=True)
def test_the_event_and_its_children_are_written_together(area):
    """One commit: an event whose children cannot be written is not kept
    (and the page waits for one commit, not two)."""
    from django.db import IntegrityError

    child = f.ChildFactory(local_authority=area.local_authority)
    with pytest.raises(IntegrityError):
        record_access(_request(area.officer), [child.pk, child.pk + 1000], "Children")
    assert not AccessEvent.objects.exists()
    record_access(_request(area.officer), [child], "Children")
    assert list(AccessEvent.objects.get().children.all()) == [child]
