"""Template context shared by every page: the role-aware navigation."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts.permissions import ROLE_HOME
from accounts.roles import Role, role_of


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    role = role_of(user)
    items: list[dict] = []
    # No menu while the second factor is awaited: none of it could be reached.
    if role is not None and not getattr(request, "two_factor_step", None):
        items.append({"label": "Home", "url": reverse(ROLE_HOME[role])})
        if user.has_perm("portal.view_ehc"):
            items.append({"label": "Requests", "url": reverse("ehc:request_list")})
            items.append({"label": "Children", "url": reverse("ehc:child_list")})
        # The quality audit is the designated officers' own work; administrators
        # reach it from the worklist, which keeps their longer menu on one line.
        if user.has_perm("portal.manage_caseload") and role != Role.ADMINISTRATOR:
            items.append({"label": "Quality audit", "url": reverse("ehc:audit_sample")})
        # The enquiries log is the designated officers' own work; administrators
        # reach it from their home page, which keeps their menu on one line.
        if user.has_perm("portal.log_enquiries") and role != Role.ADMINISTRATOR:
            items.append({"label": "Enquiries", "url": reverse("enquiries:enquiry_list")})
        if user.has_perm("portal.view_posts"):
            items.append({"label": "Posts", "url": reverse("roles:post_list")})
            items.append({"label": "Resourcing", "url": reverse("roles:resourcing")})
        if user.has_perm("portal.view_aggregate_reports"):
            items.append({"label": "Reports", "url": reverse("reports:dashboard")})
        if user.has_perm("portal.view_organisations"):
            items.append({"label": "Organisations", "url": reverse("commissioning:la_list")})
        if role == Role.ADMINISTRATOR and user.is_staff:
            items.append({"label": "Django admin", "url": reverse("admin:index")})
        # The user's own pages go beside "Signed in as", not in the menu, so
        # the menu stays on one line at 1280 px (base.html).
        items.append(
            {"label": "Your settings", "url": reverse("accounts:preferences"), "account": True}
        )
        items.append(
            {
                "label": "Change password",
                "url": reverse("accounts:password_change"),
                "account": True,
            }
        )
    path = request.path if request is not None else ""
    for item in items:
        item["active"] = path.startswith(item["url"])
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": items,
        "body_label": settings.COMMISSIONING_BODY_LABEL,
    }
