"""What every report view shares: the selection form and the drill-down
links into the worklist for those who may open the requests."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, role_of
from reports.filters import ReportFilter


def worklist_link(selection):
    """Drill-down to the worklist, for those who may see the requests."""

    def link(params: dict) -> str:
        query = {
            key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in params.items()
        }
        if selection.local_authority is not None:
            query.setdefault("local_authority", selection.local_authority.pk)
        if selection.provider is not None:
            query.setdefault("provider", selection.provider.pk)
        return f"{reverse('ehc:request_list')}?{urlencode(query)}"

    return link


def may_drill(user) -> bool:
    return role_of(user) in (Role.DESIGNATED_OFFICER, Role.ADMINISTRATOR) and user.has_perm(
        "portal.view_ehc"
    )


def selection_form(request, *, periods_only=None):
    today = timezone.localdate()
    filterset = ReportFilter(
        request.GET or None, user=request.user, today=today, periods_only=periods_only
    )
    valid = not filterset.is_bound or filterset.is_valid()
    return filterset, valid, today
