"""Django admin for the reminder policy and the record of reminder runs.

Children's records are deliberately not in Django admin: they are changed
through the portal's screens, which scope, version and audit every edit."""

from __future__ import annotations

from django.contrib import admin

from ehc.models import ReminderPolicy, ReminderRun


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "offsets", "overdue_repeat_days"]
    fieldsets = [
        ("When", {"fields": ["offsets", "overdue_repeat_days"]}),
        ("Who is told", {"fields": ["remind_services", "remind_owners", "area_overdue_digest"]}),
        ("Uncertain deliveries", {"fields": ["uncertain_resends", "uncertain_resend_after"]}),
    ]
    actions = None

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderRun)
class ReminderRunAdmin(admin.ModelAdmin):
    list_display = [
        "run_for",
        "started_at",
        "finished_at",
        "dry_run",
        "claimed",
        "recipients",
        "sent",
        "failed",
        "uncertain",
        "taken_over",
    ]
    list_filter = ["dry_run", "recovery"]
    date_hierarchy = "started_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
