"""Recording who looked at children's records (docs/information-governance.md,
"Access history").

Every response that shows a child's identifiable data calls
:func:`record_access` once, naming every child it showed: a child's page,
its edit form, a request, advice, a record page, a search or list result,
a download. Two queries per response (the event, then its children in one
insert), whatever the number of children, committed together.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core.client_address import client_address
from ehc.models import AccessEvent, Child
from ehc.registry import HistoryEvent


def record_access(request, children: Iterable, page: str) -> AccessEvent | None:
    """Write one access event for ``request`` (made by a signed-in user)
    naming ``children`` (Child instances or ids; repeats counted once) and
    describing the ``page`` in words ("Child's page", "Worklist"). Returns
    the event, or None when no child was shown (an empty list) or nobody is
    signed in."""
    ids = sorted({getattr(child, "pk", child) for child in children if child is not None})
    user = getattr(request, "user", None)
    if not ids or user is None or not user.is_authenticated:
        return None
    # One transaction: the event is never without its children, and the
    # page waits for one commit (a WAL flush) rather than two. No savepoint
    # inside a caller's transaction: a failed insert fails the response.
    with transaction.atomic(savepoint=False):
        event = AccessEvent.objects.create(
            user=user,
            page=page[:100],
            # The address without its query string: a search's words may be
            # a child's name or NHS number, which must not outlive an erasure
            # in another child's access history.
            path=request.path[:500],
            method=request.method[:10],
            remote_addr=client_address(request),  # the lockout's and the audit log's
        )
        link = AccessEvent.children.through
        link.objects.bulk_create([link(accessevent_id=event.pk, child_id=pk) for pk in ids])
    return event


def access_history(child: Child):
    """The access events naming ``child``, newest first, with their users
    (a queryset: paginate it)."""
    return child.access_events.select_related("user").order_by("-at", "-pk")


def history_events(child: Child, rows) -> list[HistoryEvent]:
    """The child's access events as history (a source for
    :func:`ehc.registry.history_for`: the subject access export and anything
    else that lists a child's history). ``rows`` is not needed: an event
    names the child itself."""
    return [
        HistoryEvent(
            when=event.at,
            who=f"{event.user.full_name} ({event.user.get_role_display()})",
            action="viewed",
            record=event.page,
            detail=event.path,
        )
        for event in access_history(child)
    ]
