"""The organisations directory: the local areas and bodies in the user's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from commissioning import selectors
from commissioning.filters import LocalAuthorityFilter
from commissioning.models import CommissioningBody, CommissioningLink, LocalAuthority, Service
from core.decorators import permission_required
from core.lists import filter_list
from core.scoping import get_object_for_user

PAGE_SIZE = 50


@permission_required("portal.view_organisations")
def la_list(request):
    today = timezone.localdate()
    queryset = selectors.with_population_and_links(
        LocalAuthority.objects.visible_to(request.user), on=today
    )
    listed = filter_list(LocalAuthorityFilter, request, queryset, user=request.user)
    page = Paginator(listed.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commissioning/la_list.html",
        {"filter": listed.filterset, "page": page, "areas": page.object_list},
        status=listed.status,
    )


@permission_required("portal.view_organisations")
def la_detail(request, gss_code: str):
    la = get_object_for_user(
        LocalAuthority.objects.prefetch_related("populations"),
        request.user,
        gss_code=gss_code,
    )
    links = CommissioningLink.objects.filter(local_authority=la).select_related(
        "commissioning_body"
    )
    services = (
        Service.objects.visible_to(request.user)
        .filter(local_authorities=la)
        .select_related("provider")
        .order_by("provider__name", "name")
    )
    return render(
        request,
        "commissioning/la_detail.html",
        {"la": la, "links": links, "services": services, "today": timezone.localdate()},
    )


@permission_required("portal.view_organisations")
def body_detail(request, ods_code: str):
    body = get_object_for_user(
        CommissioningBody.objects.prefetch_related("predecessors", "successors"),
        request.user,
        ods_code=ods_code,
    )
    today = timezone.localdate()
    areas = list(
        selectors.with_population_and_links(
            LocalAuthority.objects.visible_to(request.user).filter(
                links__in=CommissioningLink.objects.active_on(today).filter(commissioning_body=body)
            ),
            on=today,
        )
    )
    return render(
        request,
        "commissioning/body_detail.html",
        {"body": body, "areas": areas, "totals": selectors.population_totals(areas)},
    )
