"""A template's sections, each with its duties: reached from their
template's page, not the admin index."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from roles.admin.mixins import (
    FrozenTemplateInlineMixin,
    FrozenTemplateMixin,
    small_textarea,
)
from roles.models import (
    Duty,
    TemplateSection,
)


class DutyInline(FrozenTemplateInlineMixin, admin.TabularInline):
    model = Duty
    fields = ["text", "applies_to", "order"]
    ordering = ["order", "pk"]
    extra = 0
    formfield_overrides = {
        models.TextField: {"widget": small_textarea(cols=80)},
    }


@admin.register(TemplateSection)
class TemplateSectionAdmin(FrozenTemplateMixin, admin.ModelAdmin):
    fields = ["template_link", "area", "heading", "introduction", "order"]
    readonly_fields = ["template_link"]
    inlines = [DutyInline]

    def has_module_permission(self, request):
        return False  # not on the admin index: sections are opened from their template

    def has_add_permission(self, request):
        return False  # sections are added on their template's page

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("template")

    @admin.display(description="Template")
    def template_link(self, section):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:roles_jobtemplate_change", args=[section.template_id]),
            section.template,
        )

    def changelist_view(self, request, extra_context=None):
        # A list of every section of every template helps nobody.
        return redirect("admin:roles_jobtemplate_changelist")

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if isinstance(response, HttpResponseRedirect) and "_continue" not in request.POST:
            return redirect("admin:roles_jobtemplate_change", obj.template_id)
        return response

    def delete_model(self, request, obj):
        request._roles_deleted_from_template = obj.template_id
        super().delete_model(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        response = super().response_delete(request, obj_display, obj_id)
        template_id = getattr(request, "_roles_deleted_from_template", None)
        if template_id and isinstance(response, HttpResponseRedirect):
            return redirect("admin:roles_jobtemplate_change", template_id)
        return response
