from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User
from accounts.roles import AREA_SCOPED_ROLES, Role
from accounts.two_factor.admin import TwoFactorResetMixin


class ScopeValidationMixin:
    """Checks the scope fields that a database constraint cannot (many-to-many)."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in AREA_SCOPED_ROLES and not cleaned.get("local_authorities"):
            self.add_error(
                "local_authorities", "Choose at least one local authority for this role."
            )
        if role == Role.HEALTH_PRACTITIONER and not cleaned.get("services"):
            self.add_error("services", "Choose the services this practitioner works in.")
        return cleaned


class UserCreationAdminForm(ScopeValidationMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserChangeAdminForm(ScopeValidationMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(TwoFactorResetMixin, BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "officer_kind", "organisation_name", "is_active"]
    list_filter = ["role", "officer_kind", "is_active", "commissioning_body"]
    list_select_related = ["commissioning_body", "provider"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["commissioning_body", "provider", "local_authorities", "services"]
    # Staff status follows the role (User.save); ticking it here would be undone.
    readonly_fields = ["last_login", "date_joined", "is_staff"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        (
            "Role and scope",
            {
                "fields": (
                    "role",
                    "officer_kind",
                    "commissioning_body",
                    "provider",
                    "services",
                    "local_authorities",
                )
            },
        ),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "officer_kind",
                    "commissioning_body",
                    "provider",
                    "services",
                    "local_authorities",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ()

    @admin.display(description="Organisation")
    def organisation_name(self, obj):
        return obj.commissioning_body or obj.provider or ""


# django-auditlog's admin searches the actor's first and last names, which
# this user model does not have (it keeps one full name): searching the log
# raised a FieldError. Search what the model holds instead.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    search_fields = ["object_repr", "changes", "actor__full_name", "actor__email"]
