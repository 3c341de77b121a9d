"""A child's pages: their details, their page (requests and other records),
who has looked at it, and the records beyond requests (Section 23 notices,
annual review health inputs, mediation, tribunal, personal health budgets).
Thin like :mod:`ehc.views`: load through the user's scope, parse with a form,
save through :mod:`ehc.services`.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.decorators import permission_required
from core.forms import VersionedForm, model_values
from core.scoping import get_object_for_user
from ehc import clock, forms, selectors, services
from ehc.access_log import access_history
from ehc.models import (
    Child,
    EHCPlan,
    HealthAdviceRequest,
    MediationCase,
    PersonalHealthBudget,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from ehc.reviews.selectors import child_review
from ehc.view_support import PAGE_SIZE, form_page, save_form, shown


@permission_required("portal.log_requests")
def child_edit(request, pk: int):
    child = get_object_for_user(
        Child.objects, request.user, write_permission="ehc.edit_child", pk=pk
    )
    form = forms.ChildForm(request.POST or None, instance=child, user=request.user)
    saved = save_form(
        request,
        form,
        services.update_child,
        lambda data: {"child": child, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Details saved.")
        return redirect(child)
    shown(request, [child], "Change a child's details")
    return form_page(
        request,
        form,
        heading=f"Change details for {child.full_name}",
        back_url=child.get_absolute_url(),
    )


@permission_required("portal.view_ehc")
def child_detail(request, pk: int):
    """A child's page: their details, review clock, requests and, for those
    who manage the caseload, their plans and other records. Which of those
    tables hold any rows is read with the child (one ``EXISTS`` each), so
    an empty table costs no query of its own (docs/performance.md, "The
    page beyond its SQL")."""
    user = request.user
    can_manage = user.has_perm("portal.manage_caseload")
    children = Child.objects.select_related("local_authority")
    if can_manage:
        children = children.annotate(**_recorded())
    child = get_object_for_user(children, user, pk=pk)
    shown(request, [child], "Child's page")
    today = timezone.localdate()
    requests = selectors.with_clock(
        HealthAdviceRequest.objects.visible_to(user).filter(child=child), user=user
    ).order_by("-received_on", "-pk")
    plans = EHCPlan.objects.none()
    record_tables = []
    if can_manage:
        if child.has_plans:
            plans = EHCPlan.objects.visible_to(user).filter(child=child).select_related("audit")
        record_tables = [
            (
                kind,
                record.table,
                record.model.objects.visible_to(user)
                .filter(child=child)
                .select_related(*record.related)
                if getattr(child, _recorded_flag(kind))
                else record.model.objects.none(),
            )
            for kind, record in RECORD_KINDS.items()
        ]
    return render(
        request,
        "ehc/child_detail.html",
        {
            "child": child,
            "requests": requests,
            "today": today,
            "year_group": child.year_group_on(today),
            # Section 23 notices are for a day before this (what the form checks).
            "school_age_from": clock.compulsory_school_age_start(child.date_of_birth),
            "preparing_for_adulthood": child.preparing_for_adulthood(today),
            "review": child_review(
                child,
                user=user,
                today=today,
                recorded=(child.has_plans or child.has_reviews) if can_manage else None,
            ),
            "can_manage": can_manage,
            "can_log": user.has_perm("portal.log_requests"),
            "can_see_access": user.has_perm("portal.view_access_history"),
            # Plans and their audits are health's quality assurance (docs/plans.md).
            "plans": plans,
            "record_tables": record_tables,
        },
    )


def _recorded_flag(kind: str) -> str:
    """The annotation saying whether a child has records of ``kind``."""
    return f"has_{kind.replace('-', '_')}"


def _recorded() -> dict:
    """Annotations for a child queryset: ``has_plans`` and one flag per
    record kind (:func:`_recorded_flag`), each True when the child has at
    least one such record. Not scoped: a flag only spares the query of a
    table known to be empty; the rows shown are still read through the
    user's scope."""
    flags = {"has_plans": Exists(EHCPlan.objects.filter(child=OuterRef("pk")))}
    for kind, record in RECORD_KINDS.items():
        flags[_recorded_flag(kind)] = Exists(record.model.objects.filter(child=OuterRef("pk")))
    return flags


@permission_required("portal.view_access_history")
def child_access_history(request, pk: int):
    """Who has looked at this child's record: every access event naming the
    child, newest first (designated officers for their areas, and
    administrators). Read only: nobody can change or delete an entry."""
    child = get_object_for_user(Child.objects, request.user, pk=pk)
    page = Paginator(access_history(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ehc/child_access_history.html", {"child": child, "page": page})


class RecordKind(NamedTuple):
    """A kind of record about a child beyond the requests."""

    model: type[models.Model]
    form: type[VersionedForm]
    label: str  # "Section 23 notice", in the form's heading and the saved message
    table: str  # its table on the child's page, extending ehc/_records.html
    related: tuple[str, ...] = ()  # what that table shows from other rows
    # "a" or "an", said as the label is spoken ("an annual review ...", "a
    # Section 23 notice"): written down, not guessed from the first letter.
    article: str = "a"

    @property
    def one(self) -> str:
        """The label with its indefinite article: "an annual review health input"."""
        return f"{self.article} {self.label}"


# URL kind -> the record, in the order the child's page shows them.
RECORD_KINDS = {
    "section-23": RecordKind(
        Section23Notice,
        forms.Section23Form,
        "Section 23 notice",
        "ehc/_records_section23.html",
        ("provider", "commissioning_body"),
    ),
    "reviews": RecordKind(
        ReviewInput,
        forms.ReviewInputForm,
        "annual review health input",
        "ehc/_records_reviews.html",
        ("service",),
        article="an",
    ),
    "mediation": RecordKind(
        MediationCase, forms.MediationForm, "mediation case", "ehc/_records_mediation.html"
    ),
    "tribunal": RecordKind(
        TribunalCase, forms.TribunalForm, "tribunal case", "ehc/_records_tribunal.html"
    ),
    "health-budgets": RecordKind(
        PersonalHealthBudget,
        forms.BudgetForm,
        "personal health budget",
        "ehc/_records_budgets.html",
    ),
}


@permission_required("portal.manage_caseload")
def child_record_edit(request, child_pk: int, kind: str, record_pk: int | None = None):
    if kind not in RECORD_KINDS:
        raise Http404
    record_kind = RECORD_KINDS[kind]
    model, label = record_kind.model, record_kind.label
    child = get_object_for_user(
        Child.objects, request.user, write_permission="ehc.edit_child", pk=child_pk
    )
    if record_pk is None:
        record = model(child=child)
    else:
        record = get_object_for_user(
            model.objects.filter(child=child),
            request.user,
            write_permission="ehc.edit_childrecord",
            pk=record_pk,
        )
    form = record_kind.form(request.POST or None, instance=record, child=child)
    saved = save_form(
        request,
        form,
        services.save_child_record,
        lambda data: {"record": record, "child": child, "values": model_values(form)},
    )
    if saved:
        messages.success(request, f"{label[:1].upper()}{label[1:]} saved.")
        return redirect(child)
    heading = f"Record {record_kind.one}" if record_pk is None else f"Change the {label}"
    shown(request, [child], heading)
    return form_page(
        request,
        form,
        heading=heading,
        caption=child.full_name,
        back_url=child.get_absolute_url(),
    )
