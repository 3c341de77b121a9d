"""``python manage.py create_api_token EMAIL``: issue an API token for a
scripted set-up (docs/api.md, "Tokens"). The token is printed on the last
line, alone, so a script can take it with ``tail -n 1``; it is never shown
again."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import tokens
from accounts.models import User


class Command(BaseCommand):
    help = "Issue an API token for the user (or service account) with this email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help=f"Days until it expires (1 to {tokens.LONGEST_LIFE_DAYS}; default 90).",
        )

    def handle(self, *args, email: str, name: str, days: int, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email!r}.")
        expires_on = timezone.localdate() + datetime.timedelta(days=days)
        try:
            token, raw = tokens.issue_token(user=user, name=name, expires_on=expires_on, by=None)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Token '{token.name}' for {user.full_name} ({user.get_role_display()}), "
            f"working until {token.expires_at:%Y-%m-%d %H:%M %Z}. It is not shown again:"
        )
        self.stdout.write(raw)
