"""Information governance in Django admin, for administrators only: legal
holds, erasure lists with their rows, and subject access exports, to look
at and search. Nothing here can be added, changed or deleted: these rows
are evidence (who held, erased or exported what, when and why), and they
change only through the portal's own pages and services, which audit each
step (docs/information-governance.md, "In Django admin")."""

from __future__ import annotations

from django.contrib import admin

from accounts.roles import Role, role_of
from governance.models import ErasureBatch, ErasureCandidate, LegalHold, SubjectAccessExport


class ReadOnlyEvidence:
    """Administrators look; nobody adds, changes or deletes (not even a
    superuser: the rows are the record of what was done). Mixed into the
    model admins and the inline alike."""

    def has_view_permission(self, request, obj=None) -> bool:
        return role_of(request.user) == Role.ADMINISTRATOR

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EvidenceAdmin(ReadOnlyEvidence, admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return role_of(request.user) == Role.ADMINISTRATOR


@admin.register(LegalHold)
class LegalHoldAdmin(EvidenceAdmin):
    list_display = ["__str__", "child", "set_by", "set_at", "lifted_by", "lifted_at"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["child", "set_by", "lifted_by"]
    search_fields = ["reason", "child__family_name", "child__la_reference"]
    date_hierarchy = "set_at"


class ErasureCandidateInline(ReadOnlyEvidence, admin.TabularInline):
    model = ErasureCandidate
    fields = ["pseudonym", "child", "local_authority", "rule", "reason", "due_on", "outcome"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(ErasureBatch)
class ErasureBatchAdmin(EvidenceAdmin):
    list_display = ["__str__", "kind", "status", "prepared_at", "prepared_by", "decided_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["prepared_by", "decided_by"]
    search_fields = ["reason", "candidates__pseudonym"]
    date_hierarchy = "prepared_at"
    inlines = [ErasureCandidateInline]


@admin.register(SubjectAccessExport)
class SubjectAccessExportAdmin(EvidenceAdmin):
    list_display = ["__str__", "child", "requested_by", "status", "created", "finished"]
    list_filter = ["status"]
    list_select_related = ["child", "requested_by"]
    search_fields = ["child__family_name", "child__la_reference"]
    date_hierarchy = "created"
    # The file is downloaded through the portal's own scoped, audited page.
    exclude = ["file"]
