"""Job templates and their versions in the admin.

Templates follow the versioning rules in ``roles/models/``: only a draft can
be changed here. A published or retired version opens read-only, with
buttons to start a new version, copy it for local adaptation, retire it,
preview it or compare it with another version. Those buttons post to the
views in :meth:`JobTemplateAdmin.get_urls`, which call ``roles.services``
with the signed-in user as ``by``.
"""

from __future__ import annotations

from dataclasses import asdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.forms import add_errors
from roles import selectors, services
from roles.admin.mixins import (
    FrozenTemplateInlineMixin,
    FrozenTemplateMixin,
    post_only,
    small_textarea,
)
from roles.models import (
    Criterion,
    JobTemplate,
    TemplateSection,
    TemplateStatus,
)


class TemplateSectionInline(FrozenTemplateInlineMixin, admin.TabularInline):
    model = TemplateSection
    fields = ["area", "heading", "order", "duties_link"]
    readonly_fields = ["duties_link"]
    ordering = ["order", "pk"]
    extra = 0
    show_change_link = False  # the "Edit duties" column is the link

    def get_queryset(self, request):
        # duties_link reads each row's template and duty count.
        return (
            super()
            .get_queryset(request)
            .select_related("template")
            .annotate(duty_count=Count("duties"))
        )

    @admin.display(description="Duties")
    def duties_link(self, section):
        if not section.pk:
            return "Save the template first, then add duties."
        verb = "Edit duties" if section.template.is_editable else "View duties"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:roles_templatesection_change", args=[section.pk]),
            verb,
            section.duty_count,
        )


class CriterionInline(FrozenTemplateInlineMixin, admin.TabularInline):
    model = Criterion
    fields = ["category", "text", "applies_to", "requirement", "order"]
    ordering = ["order", "pk"]
    extra = 0
    formfield_overrides = {
        # A person specification line is a sentence, not an essay.
        models.TextField: {"widget": small_textarea()},
    }


class JobTemplateAddForm(forms.ModelForm):
    """The add form starts a new family at a version given (1 by default),
    always as a draft. A new version of an existing family is started from
    that family's latest version instead, so its contents are copied."""

    class Meta:
        model = JobTemplate
        fields = ["family", "version", "kind", "name", "source", "summary", "change_note"]

    def clean_family(self):
        family = self.cleaned_data["family"]
        if JobTemplate.objects.filter(family=family).exists():
            raise ValidationError(
                "A template family with this name already exists. To change it, open "
                "its latest version and start a new version; to adapt it, copy it for "
                "local adaptation."
            )
        return family


class CopyForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a name for the local template."},
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="For example, the local area's name and the role.",
    )
    source = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="Where the template comes from. Leave blank for "
        "“Adapted from <this template>, version <n>”.",
    )


class CompareForm(forms.Form):
    """``?with=<pk>``: the other version, grouped as the same family first.
    Its cleaned value is that template, from the list the choices came from."""

    def __init__(self, *args, template: JobTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        others = JobTemplate.objects.exclude(pk=template.pk).order_by("name", "family", "version")
        by_pk = {t.pk: t for t in others}
        same = [(t.pk, str(t)) for t in others if t.family == template.family]
        rest = [(t.pk, str(t)) for t in others if t.family != template.family]
        choices = []
        if same:
            choices.append(("Other versions of this template", same))
        if rest:
            choices.append(("Other templates", rest))
        self.fields["with"] = forms.TypedChoiceField(
            label="Compare with",
            coerce=lambda pk: by_pk[int(pk)],  # only after pk matched a choice
            choices=choices,
            error_messages={"invalid_choice": "Choose a template from the list."},
        )


@admin.register(JobTemplate)
class JobTemplateAdmin(FrozenTemplateMixin, admin.ModelAdmin):
    list_display = ["name", "version", "kind", "status", "published_at", "post_count"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "family", "source"]
    ordering = ["name", "family", "-version"]
    inlines = [TemplateSectionInline, CriterionInline]
    actions = None  # no bulk delete: only a draft may be deleted, one at a time

    content_fields = ["name", "kind", "source", "summary", "change_note"]
    version_fields = [
        "family",
        "version",
        "status",
        "based_on",
        "created_at",
        "published_at",
        "published_by",
    ]

    # --- The list and the form ------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts", distinct=True))

    @admin.display(description="Posts", ordering="post_count")
    def post_count(self, template):
        return template.post_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = JobTemplateAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": JobTemplateAddForm._meta.fields})]
        return [
            (None, {"fields": self.content_fields}),
            ("Version", {"fields": self.version_fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_editable:
            return list(self.version_fields)
        return [*self.content_fields, *self.version_fields]

    def get_prepopulated_fields(self, request, obj=None):
        return {"family": ("name",)} if obj is None else {}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # A draft is its family's only draft: look for one from a frozen version.
            family_draft = None if obj.is_editable else self._family_draft(obj)
            may_write = self._may_write(request)
            context.update(
                {
                    "template_actions": {
                        "preview": self._url("preview", obj),
                        "compare": self._url("compare", obj),
                        "copy": self._url("copy", obj) if may_write else "",
                        "new_version": self._url("new_version", obj)
                        if may_write and not obj.is_editable and family_draft is None
                        else "",
                        "publish": self._url("publish", obj)
                        if may_write and obj.status == TemplateStatus.DRAFT
                        else "",
                        "retire": self._url("retire", obj)
                        if may_write and obj.status == TemplateStatus.PUBLISHED
                        else "",
                    },
                    "family_draft": family_draft,
                    "family_draft_url": self._change_url(family_draft) if family_draft else "",
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Custom views ---------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name

        def route(suffix, view, name):
            return path(
                f"<int:pk>/{suffix}/",
                self.admin_site.admin_view(view),
                name="{}_{}_{}".format(*info, name),
            )

        # Before the default URLs: their "<path:object_id>/" would swallow these.
        return [
            route("new-version", self.new_version_view, "new_version"),
            route("copy", self.copy_view, "copy"),
            route("publish", self.publish_view, "publish"),
            route("retire", self.retire_view, "retire"),
            route("preview", self.preview_view, "preview"),
            route("compare", self.compare_view, "compare"),
            *super().get_urls(),
        ]

    def _url(self, name: str, template: JobTemplate) -> str:
        return reverse(f"admin:roles_jobtemplate_{name}", args=[template.pk])

    def _change_url(self, template: JobTemplate) -> str:
        return reverse("admin:roles_jobtemplate_change", args=[template.pk])

    def _family_draft(self, template: JobTemplate) -> JobTemplate | None:
        return JobTemplate.objects.filter(
            family=template.family, status=TemplateStatus.DRAFT
        ).first()

    def _may_write(self, request) -> bool:
        """Model-level permission to add and change templates (object-level
        change permission is False for a frozen version by design)."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _template_for(self, request, pk: int, *, write: bool) -> JobTemplate:
        """The template a custom view works on. Permission comes first, so a
        user who may not use the view cannot tell which templates exist."""
        allowed = self._may_write(request) if write else self.has_view_permission(request)
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(JobTemplate, pk=pk)

    def _context(self, request, template: JobTemplate, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": template,
            "title": title,
            "subtitle": str(template),
            "change_url": self._change_url(template),
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    @post_only
    def new_version_view(self, request, pk: int):
        template = self._template_for(request, pk, write=True)
        draft = self._family_draft(template)
        if draft is None:
            try:
                draft = services.start_new_version(template=template, by=request.user)
            except IntegrityError:
                # A second click while the first request was opening the draft:
                # the one-draft-per-family constraint stopped a duplicate.
                draft = self._family_draft(template)
                if draft is None:
                    raise
            else:
                self.log_addition(
                    request, draft, f"Started from version {template.version} as a new version."
                )
                self.message_user(
                    request,
                    f"Started version {draft.version} as a draft, copied from version "
                    f"{template.version}. Publish it when it is ready.",
                    messages.SUCCESS,
                )
                return redirect(self._change_url(draft))
        self.message_user(
            request,
            f"Version {draft.version} is already a draft of this template: carry on editing it.",
            messages.INFO,
        )
        return redirect(self._change_url(draft))

    def copy_view(self, request, pk: int):
        template = self._template_for(request, pk, write=True)
        # Bound on any POST: an empty one must show its errors, not a blank form.
        form = CopyForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                copy = services.copy_for_local_adaptation(
                    template=template,
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.log_addition(request, copy, f"Copied from {template} for local adaptation.")
                self.message_user(
                    request,
                    f"Copied {template.name} (version {template.version}) as "
                    f"“{copy.name}”, version 1 draft. Adapt it, then publish it.",
                    messages.SUCCESS,
                )
                return redirect(self._change_url(copy))
        context = self._context(request, template, "Copy for local adaptation", form=form)
        return TemplateResponse(request, "admin/roles/jobtemplate/copy.html", context)

    def _change_status(self, request, pk: int, change, logged: str, done: str):
        """Publish or retire through ``change`` (a roles.services function):
        a refusal becomes an error message; either way back to the template."""
        template = self._template_for(request, pk, write=True)
        try:
            template = change(template=template, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.log_change(request, template, logged)
            self.message_user(request, done.format(version=template.version), messages.SUCCESS)
        return redirect(self._change_url(template))

    def response_change(self, request, obj):
        """ "Save and publish" on a draft's own form: what was typed (the
        change note above all) is saved first, then the version published,
        so nothing typed is lost. A refusal (no section yet) leaves the
        draft saved and says why."""
        if "_publish" in request.POST and self._may_write(request):
            try:
                published = services.publish(template=obj, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, "Saved, not published: " + " ".join(error.messages), messages.ERROR
                )
            else:
                self.log_change(request, published, "Published.")
                self.message_user(
                    request,
                    f"Saved and published version {published.version}. "
                    "Posts can now be based on it.",
                    messages.SUCCESS,
                )
            return redirect(self._change_url(obj))
        return super().response_change(request, obj)

    @post_only
    def publish_view(self, request, pk: int):
        return self._change_status(
            request,
            pk,
            services.publish,
            "Published.",
            "Published version {version}. Posts can now be based on it.",
        )

    @post_only
    def retire_view(self, request, pk: int):
        return self._change_status(
            request,
            pk,
            services.retire,
            "Retired.",
            "Retired version {version}. New posts cannot use it; posts already based on "
            "it keep it.",
        )

    def preview_view(self, request, pk: int):
        template = self._template_for(request, pk, write=False)
        context = self._context(
            request,
            template,
            "Preview job description",
            jd=selectors.template_outline(template),
        )
        return TemplateResponse(request, "admin/roles/jobtemplate/preview.html", context)

    def compare_view(self, request, pk: int):
        template = self._template_for(request, pk, write=False)
        if "with" in request.GET:
            data = {"with": request.GET["with"]}
        else:
            default = selectors.default_comparison_id(template)
            data = {"with": default} if default else None
        form = CompareForm(data, template=template)
        old = new = None
        changes = None
        if form.is_bound and form.is_valid():
            old, new = selectors.old_and_new(template, form.cleaned_data["with"])
            changes = [
                {**asdict(c), "label": c.kind.capitalize()}
                for c in selectors.compare_templates(old, new)
            ]
        context = self._context(
            request,
            template,
            "Compare versions",
            form=form,
            old=old,
            new=new,
            changes=changes,
            old_url=self._change_url(old) if old else "",
            new_url=self._change_url(new) if new else "",
        )
        return TemplateResponse(request, "admin/roles/jobtemplate/compare.html", context)
