"""Designated officer posts, their job descriptions, the post-holder's
record and area resourcing. Thin views: load through the user's scope,
validate with a form, call :mod:`roles.services`, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.roles import Role, role_of
from commissioning.models import CommissioningBody, LocalAuthority
from core.decorators import permission_required
from core.forms import add_errors
from core.lists import filter_list
from core.pdf import pdf_response, render_pdf
from core.scoping import get_object_for_user
from core.views import render_form_page
from roles import forms, selectors, services, survey
from roles.filters import PostFilter
from roles.models import JobTemplate, PAPolicySettings, Post


def _post_for(request, pk, *, keep: bool = False) -> Post:
    return get_object_for_user(
        Post.objects.select_related("holder", "template"),
        request.user,
        write_permission="roles.keep_post_record" if keep else None,
        pk=pk,
    )


# --- Posts ----------------------------------------------------------------------------


@permission_required("portal.view_posts")
def post_list(request):
    today = timezone.localdate()
    scoped = Post.objects.visible_to(request.user)
    listed = filter_list(PostFilter, request, scoped, user=request.user)
    # Current posts by default; "planned" lists those that start after today.
    planned = listed.cleaned.get("period") == "planned"
    posts = (
        listed.queryset.filter(start_date__gt=today)
        if planned
        else listed.queryset.active_on(today)
    )
    summaries = selectors.posts_with_assessment(posts, on=today)
    if listed.cleaned.get("flagged"):
        summaries = [s for s in summaries if s.assessment.flags]
    return render(
        request,
        "roles/post_list.html",
        {
            "filter": listed.filterset,
            "summaries": summaries,
            "planned": planned,
            "page_title": "Designated officer posts",
        },
        status=listed.status,
    )


@permission_required("portal.view_posts")
def post_detail(request, pk: int):
    today = timezone.localdate()
    post = _post_for(request, pk)
    settings = PAPolicySettings.current()
    summary = selectors.posts_with_assessment([post], on=today, settings=settings)[0]
    context = {
        "post": post,
        "summary": summary,
        "record": selectors.holder_record(post, on=today, settings=settings),
        "memberships": post.memberships.all(),
        "training": post.training_sessions.all()[:20],
        "cpd": post.cpd_entries.all()[:20],
        "changes": post.duty_changes.select_related("duty"),
        "can_keep": request.user.has_perm("roles.keep_post_record", post),
        "survey_position": survey.position(post.role, post.days_per_week),
        "page_title": post.title,
    }
    return render(request, "roles/post_detail.html", context)


def _job_description_context(post: Post) -> dict:
    description = selectors.post_job_description(post)
    summary = selectors.posts_with_assessment([post], on=timezone.localdate())[0]
    return {"post": post, "jd": description, "summary": summary}


@permission_required("portal.view_posts")
def job_description(request, pk: int):
    post = _post_for(request, pk)
    context = _job_description_context(post)
    context["page_title"] = f"Job description: {post.title}"
    return render(request, "roles/job_description.html", context)


@permission_required("portal.view_posts")
def job_description_pdf(request, pk: int):
    post = _post_for(request, pk)
    context = _job_description_context(post)
    context["generated_on"] = timezone.localdate()
    pdf = render_pdf("pdf/job_description.html", context, request=request)
    return pdf_response(pdf, filename=f"job-description-{post.title}")


# --- The post-holder's record ---------------------------------------------------------


def _record_view(form_class, heading: str, save, *, template: str = "includes/form_page.html"):
    """A page adding to the post-holder's record: ``save`` is the service,
    called with the post, the acting user as ``by`` and the form's cleaned
    data. A rule the service refuses shows on the form, like the form's own.
    ``template`` (``includes/form_page.html`` or one extending it) is given
    the post as ``post``."""

    @permission_required("portal.keep_post_record")
    def view(request, pk: int):
        post = _post_for(request, pk, keep=True)
        instance = post if form_class._meta.model is Post else None
        form = form_class(request.POST if request.method == "POST" else None, instance=instance)
        if form.is_bound and form.is_valid():
            try:
                save(post=post, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"{heading}: saved.")
                return redirect(post)
        return render_form_page(
            request,
            form,
            heading=heading,
            caption=post.title,
            back_url=post.get_absolute_url(),
            template=template,
            extra={"back_label": "Back to the post", "post": post},
        )

    return view


add_membership = _record_view(
    forms.MembershipForm, "Add a committee or board", services.add_membership
)
add_training = _record_view(
    forms.TrainingForm, "Record training you delivered", services.add_training
)
add_cpd = _record_view(forms.CPDForm, "Record CPD", services.add_cpd)
record_appraisal = _record_view(
    forms.AppraisalForm, "Record your appraisal", services.record_appraisal
)
record_local_agreement = _record_view(
    forms.LocalAgreementForm,
    "Record the local agreement on the post's time",
    services.record_local_agreement,
    template="roles/local_agreement_form.html",
)


# --- Area resourcing ------------------------------------------------------------------


@permission_required("portal.view_posts")
def resourcing(request):
    today = timezone.localdate()
    las = LocalAuthority.objects.visible_to(request.user).order_by("name")
    rows = selectors.resourcing_table(las, on=today)
    bodies = []
    if role_of(request.user) in (Role.COMMISSIONER, Role.ADMINISTRATOR):
        bodies = list(CommissioningBody.objects.visible_to(request.user).active_on(today))
    return render(
        request,
        "roles/resourcing.html",
        {
            "rows": rows,
            "bodies": bodies,
            "page_title": "Designated officer resourcing",
            "dmo_distribution": survey.distribution("dmo"),
            "dco_distribution": survey.distribution("dco"),
            "survey_name": survey.SURVEY_NAME,
        },
    )


@permission_required("portal.view_posts")
def resourcing_la(request, gss_code: str):
    today = timezone.localdate()
    la = get_object_for_user(LocalAuthority.objects.all(), request.user, gss_code=gss_code)
    area = selectors.la_resourcing(la, on=today)
    return render(
        request,
        "roles/resourcing_area.html",
        {
            "area": area,
            "kind": "local authority",
            "organisation": la,
            "page_title": f"Resourcing: {la.name}",
            "survey_name": survey.SURVEY_NAME,
        },
    )


@permission_required("portal.view_posts")
def resourcing_body(request, ods_code: str):
    today = timezone.localdate()
    body = get_object_for_user(CommissioningBody.objects.all(), request.user, ods_code=ods_code)
    area, rows = selectors.body_resourcing(body, on=today)
    return render(
        request,
        "roles/resourcing_area.html",
        {
            "area": area,
            "kind": "commissioning body",
            "organisation": body,
            "local_authorities": rows,
            "page_title": f"Resourcing: {body.name}",
            "survey_name": survey.SURVEY_NAME,
        },
    )


# --- Templates ------------------------------------------------------------------------


@permission_required("portal.view_posts")
def template_preview(request, pk: int):
    template = get_object_for_user(JobTemplate.objects.all(), request.user, pk=pk)
    return render(
        request,
        "roles/template_preview.html",
        {
            "jd": selectors.template_outline(template),
            "template": template,
            "page_title": f"Template: {template.name}",
        },
    )
