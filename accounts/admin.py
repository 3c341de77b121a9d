from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied

from accounts import tokens
from accounts.models import ApiToken, User
from accounts.roles import AREA_SCOPED_ROLES, AccountKind, Role
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
        if cleaned.get("kind") == AccountKind.SYSTEM:
            if role != Role.LA_OFFICER:
                self.add_error("role", "A service account acts as an LA SEND officer.")
            areas = cleaned.get("local_authorities")
            if areas is not None and len(areas) != 1:
                self.add_error(
                    "local_authorities", "A service account covers exactly one local authority."
                )
        return cleaned


class UserCreationAdminForm(ScopeValidationMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "kind")


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
    list_filter = ["role", "kind", "officer_kind", "is_active", "commissioning_body"]
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
        ("Service account", {"fields": ("kind", "allowed_addresses")}),
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
                    "kind",
                    "officer_kind",
                    "commissioning_body",
                    "provider",
                    "services",
                    "local_authorities",
                    "usable_password",
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


class ServiceAccountTokenForm(forms.ModelForm):
    """An administrator issues a token for a service account (docs/api.md)."""

    expires_on = forms.DateField(
        label="Expires on",
        help_text="The token works until the end of this day (at most a year ahead), "
        "as YYYY-MM-DD.",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(kind=AccountKind.SYSTEM, is_active=True)
        self.fields["user"].label = "Service account"

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        if user is not None:
            try:
                tokens.may_issue(user=user, by=None, second_factor_verified=False)
            except PermissionDenied as error:
                self.add_error("user", str(error))
            problems = tokens.token_problems(
                user=user, name=cleaned.get("name") or "", expires_on=cleaned.get("expires_on")
            )
            for field, message in problems.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; an administrator issues a
    service account's tokens here, each shown once. People issue their own
    on their settings page."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["user__kind"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__email", "user__full_name"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ServiceAccountTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_on"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit log names them

    def save_model(self, request, obj, form, change):
        if change:
            return
        # The form checked the rules (clean); the service checks them again.
        token, raw = tokens.issue_token(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
            by=request.user,
        )
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        messages.warning(
            request,
            f"The token for {token.user.full_name} is {raw} . Copy it now into the other "
            "system: it will not be shown again.",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.revoke_token(token=token, by=request.user)
        messages.success(request, f"{queryset.count()} token(s) revoked.")


# django-auditlog's admin searches the actor's first and last names, which
# this user model does not have (it keeps one full name): searching the log
# raised a FieldError. Search what the model holds instead.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    search_fields = ["object_repr", "changes", "actor__full_name", "actor__email"]
