"""Each role's home page, where sign-in lands (``accounts.permissions.ROLE_HOME``).

These pages compose several apps (organisations, casework, posts,
reminders), so they live on the top floor (docs/architecture.md).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role
from commissioning import selectors
from commissioning.models import (
    CommissioningBody,
    LocalAuthority,
    Provider,
    Service,
)
from core.decorators import permission_required
from ehc.models import Contribution, HealthAdviceRequest
from ehc.reminders import last_finished_run, reminders_stale
from ehc.selectors import caseload_summary, part_summary
from roles.models import Post
from roles.selectors import held_posts, posts_with_assessment


def _caseload(request) -> dict[str, int]:

    scoped = HealthAdviceRequest.objects.visible_to(request.user)
    return caseload_summary(scoped, timezone.localdate())


def _areas_for(request):
    today = timezone.localdate()
    areas = list(
        selectors.with_population_and_links(
            LocalAuthority.objects.visible_to(request.user), on=today
        )
    )
    return areas, selectors.population_totals(areas)


@permission_required("portal.view_officer_home")
def officer_home(request):
    areas, totals = _areas_for(request)
    return render(
        request,
        "portal/home_officer.html",
        {
            "areas": areas,
            "totals": totals,
            "caseload": _caseload(request),
            "held_posts": held_posts(request.user, on=timezone.localdate()),
        },
    )


@permission_required("portal.view_practitioner_home")
def practitioner_home(request):
    services = request.user.services.filter(is_active=True).select_related("provider")
    areas, _totals = _areas_for(request)
    # Only their own services' outstanding part: a request waiting on
    # another service alone is not theirs to chase.
    own = Contribution.objects.visible_to(request.user)
    return render(
        request,
        "portal/home_practitioner.html",
        {
            "services": services,
            "areas": areas,
            "provider": request.user.provider,
            "caseload": part_summary(own, timezone.localdate()),
            "own_part": True,
        },
    )


@permission_required("portal.view_commissioner_home")
def commissioner_home(request):
    areas, totals = _areas_for(request)
    posts = posts_with_assessment(
        Post.objects.visible_to(request.user).active_on(timezone.localdate()),
        on=timezone.localdate(),
    )
    return render(
        request,
        "portal/home_commissioner.html",
        {
            "body": request.user.commissioning_body,
            "areas": areas,
            "totals": totals,
            "post_count": len(posts),
            "flagged_count": sum(1 for p in posts if p.assessment.flags),
        },
    )


@permission_required("portal.view_la_home")
def la_home(request):
    areas, _totals = _areas_for(request)
    services = (
        Service.objects.visible_to(request.user)
        .filter(local_authorities__in=[a.pk for a in areas], is_active=True)
        .select_related("provider")
        .distinct()
    )
    return render(
        request,
        "portal/home_la.html",
        {"areas": areas, "services": services, "caseload": _caseload(request)},
    )


@permission_required("portal.view_admin_home")
def admin_home(request):
    User = get_user_model()
    users_by_role = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return render(
        request,
        "portal/home_admin.html",
        {
            "counts": {
                "bodies": CommissioningBody.objects.count(),
                "local_authorities": LocalAuthority.objects.count(),
                "providers": Provider.objects.count(),
                "services": Service.objects.count(),
            },
            "users_by_role": [(role.label, users_by_role.get(role.value, 0)) for role in Role],
            "reminders_stale": reminders_stale(),
            "last_reminder_run": last_finished_run(),
        },
    )
