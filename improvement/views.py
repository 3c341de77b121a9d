"""The improvement plan's pages: the plans, a plan with its actions, an
action with its progress notes and evidence, and the forms that start a
plan, add an action, change either and add a note or a link. Thin views:
load through the user's scope, parse with a form, save through
:mod:`improvement.services`. Commissioners read; designated officers and
administrators also edit (docs/improvement.md, "Who uses it")."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.decorators import permission_required
from core.forms import model_values
from core.lists import download, filter_list
from core.scoping import get_object_for_user
from ehc.view_support import form_page, save_form
from improvement import rag, selectors, services
from improvement.filters import ActionFilter
from improvement.forms import (
    ActionForm,
    AddActionForm,
    CreatePlanForm,
    EvidenceForm,
    NoteForm,
    PlanForm,
)
from improvement.models import ImprovementAction, ImprovementPlan, PlanArea, ProgressNote

READ = "portal.view_improvement_plans"
EDIT = "portal.edit_improvement_plans"


def _plan(request, pk: int, *, write: bool = False) -> ImprovementPlan:
    return get_object_for_user(
        ImprovementPlan.objects.select_related("local_authority", "commissioning_body"),
        request.user,
        write_permission="improvement.edit_plan" if write else None,
        pk=pk,
    )


def _action(request, pk: int, *, write: bool = False) -> ImprovementAction:
    return get_object_for_user(
        ImprovementAction.objects.select_related("plan", "plan__local_authority", "owner_user"),
        request.user,
        write_permission="improvement.edit_action" if write else None,
        pk=pk,
    )


@permission_required(READ)
def plan_list(request):
    """The plans in scope, newest first, each with its progress; then the
    overdue actions of them all."""
    today = timezone.localdate()
    plans = list(
        ImprovementPlan.objects.visible_to(request.user).select_related(
            "local_authority", "commissioning_body"
        )
    )
    progress = selectors.progress_by_plan(
        ImprovementPlan.objects.visible_to(request.user), today=today
    )
    return render(
        request,
        "improvement/plan_list.html",
        {
            "rows": [(plan, progress.get(plan.pk, selectors.Progress())) for plan in plans],
            "overdue": selectors.overdue_actions(
                ImprovementPlan.objects.visible_to(request.user), today=today
            ),
            "may_edit": request.user.has_perm(EDIT),
            "today": today,
        },
    )


@permission_required(EDIT)
def plan_create(request):
    """Start a plan for one of the user's local authorities."""
    form = CreatePlanForm(request.POST or None, user=request.user)
    saved = save_form(
        request,
        form,
        services.create_plan,
        lambda data: {
            "local_authority": data["local_authority"],
            **model_values(form, leave_out=("local_authority",)),
        },
    )
    if saved:
        messages.success(request, f"Plan “{saved.title}” saved.")
        return redirect(saved)
    return form_page(
        request,
        form,
        heading="Start an improvement plan",
        caption="Improvement plans",
        back_url=reverse("improvement:plan_list"),
    )


RAG_ORDER = Case(
    *(When(rag=value, then=Value(i)) for i, value in enumerate(rag.ORDER)),
    output_field=IntegerField(),
)


AREA_ORDER = Case(
    *(When(plan_area=value, then=Value(i)) for i, value in enumerate(PlanArea.values)),
    output_field=IntegerField(),
)


def _actions(request, plan: ImprovementPlan, today):
    """The plan's actions through the page's filters, in the plan's order:
    by area of the plan (the framework's order), worst rating first, then
    by due date."""
    listed = filter_list(ActionFilter, request, plan.actions.with_rag(today), today=today)
    ordered = listed.queryset.select_related("owner_user").order_by(
        AREA_ORDER, RAG_ORDER, "due_on", "pk"
    )
    return listed, ordered


@permission_required(READ)
def plan_detail(request, pk: int):
    """A plan, its progress and its actions (filtered), grouped by area of
    the plan in the framework's order, worst rating first within each."""
    plan = _plan(request, pk)
    today = timezone.localdate()
    listed, ordered = _actions(request, plan, today)
    rows = list(ordered)
    groups: dict[str, list] = {}
    for action in rows:
        groups.setdefault(action.get_plan_area_display(), []).append(action)
    return render(
        request,
        "improvement/plan_detail.html",
        {
            "plan": plan,
            "progress": selectors.progress(plan.actions.all(), today=today),
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "groups": groups,
            "shown": len(rows),
            "rag_labels": rag.LABELS,
            "rag_order": rag.ORDER,
            "may_edit": request.user.has_perm("improvement.edit_plan", plan),
            "today": today,
            "download_query": request.GET.urlencode(),
        },
        status=listed.status,
    )


DOWNLOAD_HEADERS = [
    "Number",
    "Area of the plan",
    "Action",
    "What success looks like",
    "Owner",
    "Due date",
    "Status",
    "Date completed",
    "RAG rating",
    "Reason for the override",
    "Overdue",
    "Latest progress note",
    "Date of the note",
]


@permission_required(READ)
def plan_download(request, pk: int, file_format: str):
    """The plan's actions, with the page's filters and order, as CSV or
    .xlsx (for board papers). A filter that is not valid is left out, as
    on the page."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    plan = _plan(request, pk)
    today = timezone.localdate()
    _, ordered = _actions(request, plan, today)
    latest = Prefetch("notes", queryset=ProgressNote.objects.order_by("-written_on", "-pk"))

    def note(action, attribute):
        notes = action.notes.all()  # prefetched, newest first
        return getattr(notes[0], attribute) if notes else ""

    rows = (
        [
            a.number,
            a.get_plan_area_display(),
            a.title,
            a.success_measure,
            a.owner,
            a.due_on,
            a.get_status_display(),
            a.completed_on,
            rag.LABELS[a.rag],
            a.rag_reason if a.rag_override and a.rag == a.rag_override else "",
            "Yes" if a.is_overdue(today) else "No",
            note(a, "text"),
            note(a, "written_on") or None,
        ]
        for a in ordered.prefetch_related(latest)
    )
    return download(
        file_format,
        name=f"improvement-plan-{plan.pk}-{today:%Y-%m-%d}",
        headers=DOWNLOAD_HEADERS,
        rows=rows,
    )


@permission_required(EDIT)
def plan_edit(request, pk: int):
    plan = _plan(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    saved = save_form(
        request,
        form,
        services.update_plan,
        lambda data: {"plan": plan, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Plan saved.")
        return redirect(plan)
    return form_page(
        request,
        form,
        heading="Change the plan",
        caption=plan.title,
        back_url=plan.get_absolute_url(),
    )


@permission_required(EDIT)
def action_create(request, pk: int):
    """Add an action to a plan."""
    plan = _plan(request, pk, write=True)
    form = AddActionForm(request.POST or None, plan=plan)
    saved = save_form(
        request,
        form,
        services.add_action,
        lambda data: {"plan": plan, **model_values(form)},
    )
    if saved:
        messages.success(request, "Action saved.")
        return redirect(saved)
    return form_page(
        request, form, heading="Add an action", caption=plan.title, back_url=plan.get_absolute_url()
    )


@permission_required(READ)
def action_detail(request, pk: int):
    """An action: its rating, owner, dates, progress notes (newest first)
    and evidence links."""
    action = _action(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "plan": action.plan,
            "rating": action.rating(today),
            "derived": rag.derived(action.status, action.due_on, today),
            "overridden": bool(action.rag_override)
            and rag.may_override(action.status, action.due_on, today),
            "overdue": action.is_overdue(today),
            "rag_labels": rag.LABELS,
            "notes": list(action.notes.select_related("created_by")),
            "evidence": list(action.evidence.all()),
            "history": selectors.action_history(action),
            "may_edit": request.user.has_perm("improvement.edit_action", action),
            "today": today,
        },
    )


@permission_required(EDIT)
def action_edit(request, pk: int):
    action = _action(request, pk, write=True)
    form = ActionForm(request.POST or None, instance=action, plan=action.plan)
    saved = save_form(
        request,
        form,
        services.update_action,
        lambda data: {"action": action, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Action saved.")
        return redirect(action)
    return form_page(
        request,
        form,
        heading=f"Change action {action.number}".strip(),
        caption=action.plan.title,
        back_url=action.get_absolute_url(),
    )


@permission_required(EDIT)
def note_create(request, pk: int):
    """Add a progress note to an action (notes are never changed)."""
    action = _action(request, pk, write=True)
    form = NoteForm(request.POST or None, initial={"written_on": timezone.localdate()})
    saved = save_form(
        request,
        form,
        services.add_note,
        lambda data: {"action": action, "text": data["text"], "written_on": data["written_on"]},
    )
    if saved:
        messages.success(request, "Progress note saved.")
        return redirect(action)
    return form_page(
        request,
        form,
        heading="Add a progress note",
        caption=str(action),
        back_url=action.get_absolute_url(),
    )


@permission_required(EDIT)
def evidence_create(request, pk: int):
    """Link an action to evidence in the portal."""
    action = _action(request, pk, write=True)
    form = EvidenceForm(request.POST or None)
    saved = save_form(
        request,
        form,
        services.add_evidence,
        lambda data: {"action": action, "label": data["label"], "path": data["path"]},
    )
    if saved:
        messages.success(request, "Evidence link saved.")
        return redirect(action)
    return form_page(
        request,
        form,
        heading="Link evidence",
        caption=str(action),
        back_url=action.get_absolute_url(),
    )
