"""Posts in the admin, with their local changes to duties and the
post-holder's record (committees, training and CPD are edited only as inlines
here, so the admin index shows just templates, posts and the PA policy)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q

from roles.admin.mixins import (
    small_textarea,
)
from roles.models import (
    CPDEntry,
    Duty,
    JobTemplate,
    Membership,
    Post,
    PostDutyChange,
    TemplateStatus,
    TrainingSession,
)


class PostDutyChangeInline(admin.TabularInline):
    model = PostDutyChange
    verbose_name_plural = "local changes to duties"
    fields = ["kind", "duty", "section_area", "text", "order"]
    ordering = ["order", "pk"]
    extra = 0
    formfield_overrides = {
        models.TextField: {"widget": small_textarea()},
    }

    def get_queryset(self, request):
        # A row's title names its duty (PostDutyChange.__str__).
        return super().get_queryset(request).select_related("duty")

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_post = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "duty":
            # Only the duties of the post's template version: a select of a
            # few dozen, labelled with their section, rather than a search
            # over every version of every template.
            post = getattr(self, "parent_post", None)
            kwargs["queryset"] = (
                Duty.objects.filter(section__template_id=post.template_id)
                .select_related("section")
                .order_by("section__order", "section__pk", "order", "pk")
                if post is not None and post.template_id
                else Duty.objects.none()
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = _duty_label
            # Every row offers the same duties: read them once, not once per row.
            # (Validation still looks the chosen duty up in the queryset.)
            field.choices = list(field.choices)
            field.help_text = (
                "For a removed or reworded duty: one of the post's template duties "
                "(save a new post first to choose from them)."
            )
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _duty_label(duty: Duty) -> str:
    text = duty.text if len(duty.text) <= 90 else duty.text[:89] + "…"
    return f"{duty.section.title}: {text} ({duty.get_applies_to_display()})"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


class CPDEntryInline(admin.TabularInline):
    model = CPDEntry
    extra = 0


class PostAdminForm(forms.ModelForm):
    """The admin builds the form's Meta (model and fields) from PostAdmin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("template")
        if field is not None:
            # Published versions, plus the version the post already uses even
            # if it has since been retired, so the post can still be saved.
            field.queryset = JobTemplate.objects.filter(
                Q(status=TemplateStatus.PUBLISHED) | Q(pk=self.instance.template_id)
            )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = [
        "title",
        "role",
        "holder",
        "pas_per_week",
        "commissioning_model",
        "template",
    ]
    list_filter = ["role", "commissioning_model", "local_authorities"]
    list_select_related = ["holder", "template"]
    search_fields = ["title", "holder__full_name"]
    autocomplete_fields = ["local_authorities", "commissioning_bodies", "holder"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "role", "template", "holder"]}),
        (
            "Coverage and commissioning",
            {
                "fields": [
                    "local_authorities",
                    "commissioning_bodies",
                    "commissioning_model",
                    "employer",
                    "accountable_to",
                ]
            },
        ),
        (
            "Time and dates",
            {"fields": ["pas_per_week", "start_date", "end_date", "last_appraisal_on"]},
        ),
        (
            "Local agreement on time",
            {
                "description": "A post covering more than one local authority or "
                "commissioning body, or more than 70,000 children, needs additional time "
                "agreed between the commissioners and the provider, not necessarily pro "
                "rata. Give all three answers, or clear all three to remove the agreement.",
                "fields": [
                    "local_agreement_on",
                    "local_agreement_parties",
                    "local_agreement_pas",
                ],
            },
        ),
        (
            "Support",
            {
                "fields": [
                    "clinical_supervision",
                    "managerial_supervision",
                    "administrative_support",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [PostDutyChangeInline, MembershipInline, TrainingSessionInline, CPDEntryInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else [f for f in fieldsets if f[0] != "Record"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "template" and field is not None:
            # A template added here would be a draft, which a post cannot use:
            # templates are made and published on their own pages.
            for flag in ("can_add_related", "can_change_related", "can_delete_related"):
                setattr(field.widget, flag, False)
        return field
