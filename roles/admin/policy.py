"""The PA policy's one row of settings in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect

from roles.models import (
    PAPolicySettings,
)


@admin.register(PAPolicySettings)
class PAPolicySettingsAdmin(admin.ModelAdmin):
    """One row of settings: it can be added while there is none, then only changed."""

    list_display = [
        "__str__",
        "dmo_minimum_pas",
        "dco_minimum_pas",
        "baseline_children",
        "cpd_points_target",
        "appraisal_interval_months",
    ]
    fieldsets = [
        ("Minimum time", {"fields": ["dmo_minimum_pas", "dco_minimum_pas"]}),
        (
            "What the minimum covers",
            {
                "fields": [
                    "baseline_children",
                    "baseline_bodies",
                    "baseline_local_authorities",
                    "population_includes_young_people",
                ]
            },
        ),
        (
            "The post-holder's record",
            {"fields": ["cpd_points_target", "appraisal_interval_months"]},
        ),
    ]
    actions = None

    def changelist_view(self, request, extra_context=None):
        """There is one row, so the list opens it (or the form adding it
        while there is none) instead of showing a list of one or none."""
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # refuses
        settings = PAPolicySettings.objects.order_by("pk").first()
        if settings is not None:
            return redirect("admin:roles_papolicysettings_change", settings.pk)
        if self.has_add_permission(request):
            return redirect("admin:roles_papolicysettings_add")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PAPolicySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
