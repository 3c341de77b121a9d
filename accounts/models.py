"""The portal's user: signs in with an email address, holds one access role.

A user belongs to an organisation and is scoped to local areas or to a
commissioning body (docs/architecture.md, "Access"):

- designated officers, health practitioners and LA SEND officers are scoped
  to the local authorities listed on their account;
- a health practitioner also names their provider and the services they
  work in (they see requests addressed to those services);
- a commissioner belongs to one commissioning body and sees its areas;
- administrators see everything, through Django admin.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.addresses import validate_allowed_addresses
from accounts.roles import AccountKind, OfficerKind, Role

ADMINISTRATORS_GROUP = "Administrators"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra["is_superuser"] = True
        extra["is_staff"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Email addresses are matched without regard to case.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    kind = models.CharField(
        "account kind",
        max_length=10,
        choices=AccountKind.choices,
        default=AccountKind.PERSON,
        help_text="A service account is another system (an LA's case management system) "
        "using the API as an LA SEND officer of one local authority: it never signs in, and "
        "only an administrator issues its API tokens (docs/api.md).",
    )
    allowed_addresses = models.TextField(
        "allowed client addresses",
        blank=True,
        validators=[validate_allowed_addresses],
        help_text="For service accounts: the addresses or networks its API calls may come "
        "from, one a line (for example 192.0.2.10 or 192.0.2.0/24). Empty: any address.",
    )
    officer_kind = models.CharField(
        "designated officer role",
        max_length=3,
        choices=OfficerKind.choices,
        blank=True,
        help_text="For designated officers only: DCO or DMO.",
    )
    commissioning_body = models.ForeignKey(
        "commissioning.CommissioningBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="For commissioners: the body whose figures they see. For others, "
        "the commissioning body they work for, if any.",
    )
    provider = models.ForeignKey(
        "commissioning.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="For health practitioners: the provider they work for.",
    )
    local_authorities = models.ManyToManyField(
        "commissioning.LocalAuthority",
        blank=True,
        related_name="users",
        help_text="The local areas whose records this user sees (designated officers, "
        "health practitioners and LA SEND officers).",
    )
    services = models.ManyToManyField(
        "commissioning.Service",
        blank=True,
        related_name="practitioners",
        help_text="For health practitioners: the services whose requests they handle.",
    )
    receive_digests = models.BooleanField(
        "email me deadline reminders",
        default=True,
        help_text="A daily digest of your requests that are due soon or overdue. Overdue "
        "escalations for your areas are always sent.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick instead of deleting an account that leaves."
    )
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can sign in to Django admin. Set automatically for administrators.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.DESIGNATED_OFFICER) & ~Q(officer_kind=""))
                | (~Q(role=Role.DESIGNATED_OFFICER) & Q(officer_kind="")),
                name="user_officer_kind_only_for_designated_officers",
                violation_error_message="Choose DCO or DMO for a designated officer, "
                "and leave it blank for every other role.",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COMMISSIONER) | Q(commissioning_body__isnull=False),
                name="user_commissioner_has_body",
                violation_error_message="A commissioner must belong to a commissioning body.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.SYSTEM) | Q(role=Role.LA_OFFICER),
                name="user_service_account_is_la_officer",
                violation_error_message="A service account acts as an LA SEND officer.",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.HEALTH_PRACTITIONER) | Q(provider__isnull=False),
                name="user_practitioner_has_provider",
                violation_error_message="A health practitioner must belong to a provider.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        # Django admin (staff) and superuser status follow the role, so that
        # changing an administrator's role takes both away
        # (docs/information-governance.md, "Passwords and sessions").
        self.is_staff = self.role == Role.ADMINISTRATOR
        if not self.is_staff:
            self.is_superuser = False
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)
        if update_fields is None or "role" in update_fields:
            # Not on partial saves such as the last_login update at sign-in.
            self._sync_groups()

    def _sync_groups(self) -> None:
        """Administrators get Django admin permissions through one group."""
        from django.contrib.auth.models import Group

        group = Group.objects.filter(name=ADMINISTRATORS_GROUP).first()
        if group is None:
            return
        if self.role == Role.ADMINISTRATOR:
            self.groups.add(group)
        else:
            self.groups.remove(group)

    @property
    def is_service_account(self) -> bool:
        return self.kind == AccountKind.SYSTEM

    @property
    def organisation(self):
        """The organisation the user belongs to, for display."""
        if self.role == Role.HEALTH_PRACTITIONER and self.provider_id:
            return self.provider
        if self.commissioning_body_id:
            return self.commissioning_body
        if self.provider_id:
            return self.provider
        return self.local_authorities.first()

    @property
    def role_label(self) -> str:
        if self.role == Role.DESIGNATED_OFFICER and self.officer_kind:
            return OfficerKind(self.officer_kind).label
        return Role(self.role).label if self.role else ""

    def get_home_url(self) -> str:
        from accounts.permissions import home_url_name

        return reverse(home_url_name(self))


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        """Tokens neither revoked nor expired at ``now`` (default: now)."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A personal API token (docs/api.md, "Tokens").

    The token itself is shown once, when it is made; only its SHA-256
    digest is kept (a random 256-bit secret needs no slow hash: nothing can
    be guessed from the digest), with its first characters to tell tokens
    apart in a list. A token acts as its user, with the user's role and
    scope, until it expires or is revoked.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text="What the token is for, for example 'EHC Hub link'."
    )
    prefix = models.CharField(max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    expires_at = models.DateTimeField(help_text="The token stops working at this moment.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
