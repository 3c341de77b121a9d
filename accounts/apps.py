from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts import permissions  # noqa: F401  (registers the rules)
        from accounts.models import ApiToken, User
        from accounts.scoping import scope_of_user
        from core.scoping import register_scope_resolver

        # Lower floors ask core for a user's scope; accounts answers.
        register_scope_resolver(scope_of_user)

        # Account changes are audited; password hashes never reach the log.
        auditlog.register(
            User,
            exclude_fields=["password", "last_login"],
            m2m_fields={"local_authorities", "services"},
        )
        # Issuing and revoking API tokens; the digest never reaches the log.
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
        # Two-factor sign-in: its checks, the audit of devices, the note taken at sign-in.
        from accounts.two_factor import setup

        setup.connect()

        # Runs after every app's migrations (not only ours), so that the
        # permissions of apps listed after accounts exist by the last call.
        post_migrate.connect(create_administrators_group, dispatch_uid="administrators_group")


# Apps whose models administrators manage in Django admin.
ADMIN_APPS = ("accounts", "commissioning", "roles", "ehc", "reports")


def create_administrators_group(**kwargs) -> None:
    """Keep the Administrators group holding every permission on our apps,
    plus read-only access to the audit log, lockouts and two-factor devices."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from accounts.models import ADMINISTRATORS_GROUP

    using = kwargs.get("using", "default")
    group, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATORS_GROUP)
    permissions = Permission.objects.using(using).filter(
        Q(content_type__app_label__in=ADMIN_APPS)
        | Q(content_type__app_label="auditlog", codename__startswith="view_")
        | Q(content_type__app_label="axes")
        | Q(content_type__app_label__in=("otp_totp", "otp_static"), codename__startswith="view_")
    )
    group.permissions.set(permissions)
