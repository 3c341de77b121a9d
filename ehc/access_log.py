"""Recording who looked at children's records (docs/information-governance.md,
"Access history").

Every response that shows a child's identifiable data calls
:func:`record_access` once, naming every child it showed: a child's page,
its edit form, a request, advice, a record page, a search or list result,
a download. Two queries per response (the event, then its children in one
insert), whatever the number of children.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    event = AccessEvent.objects.create(
        user=user,
        page=page[:100],
        path=request.get_full_path()[:500],
        method=request.method[:10],
        remote_addr=client_address(request),  # the lockout's and the audit log's
    )
    link = AccessEvent.children.through
    links = [link(accessevent_id=event.pk, child_id=pk) for pk in ids]
    if len(links) == 1:
        # One row (a child's or a request's page): a plain INSERT, without
        # the transaction bulk_create opens around its batches.
        links[0].save(force_insert=True)
    else:
        link.objects.bulk_create(links)
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
