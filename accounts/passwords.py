"""Password rules beyond Django's own validators (config/settings.py,
AUTH_PASSWORD_VALIDATORS; docs/information-governance.md, "Passwords and
sessions").

Django's validators already refuse passwords under 12 characters, common
ones, all-digit ones and ones like the user's email address or full name.
These two add what they miss: a password of twelve of the same few
characters, one word said twice or one run along the keyboard, and the
password the user has now.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

# Rows a person slides along: the alphabet, the digits, the keyboard.
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "1234567890", "qwertyuiopasdfghjklzxcvbnm")


def _follows_a_run(password: str) -> bool:
    """Whether the password, ignoring case, is a stretch of one run read
    forwards or backwards, wrapping round ("abcdefghijkl", "890123456789",
    "lkjhgfdsapoi")."""
    text = password.lower()
    for run in _RUNS:
        wrapped = run * (len(text) // len(run) + 2)
        if text in wrapped or text in wrapped[::-1]:
            return True
    return False


def _repeats_a_block(password: str) -> bool:
    """Whether the password is one shorter block said twice or more
    ("passwordpassword", "Summer24Summer24")."""
    size = len(password)
    return any(
        size % block == 0 and password == password[:block] * (size // block)
        for block in range(1, size // 2 + 1)
    )


class VarietyValidator:
    """Refuses a password with fewer than ``min_distinct`` different
    characters ("aaaaaaaaaaaa", "abababababab", "121212343434"), one that
    repeats a block ("passwordpassword") or one that follows a run of the
    alphabet, digits or keyboard ("abcdefghijkl")."""

    def __init__(self, min_distinct: int = 5):
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        if len(set(password)) < self.min_distinct or _repeats_a_block(password):
            raise ValidationError(
                "This password repeats itself. Use at least %(min_distinct)d different "
                "characters, and do not say the same thing twice.",
                code="password_too_repetitive",
                params={"min_distinct": self.min_distinct},
            )
        if _follows_a_run(password):
            raise ValidationError(
                "This password follows a row of the alphabet or keyboard. Choose one "
                "that is harder to guess.",
                code="password_sequence",
            )

    def get_help_text(self) -> str:
        return (
            f"Your password must use at least {self.min_distinct} different characters, "
            "not repeat itself and not follow a row of the alphabet or keyboard."
        )


class NotCurrentPasswordValidator:
    """Refuses the password the user already has, when they change it or set
    a new one from a reset link."""

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or not user.password:
            return
        # Compared with the stored hash directly: user.check_password() may
        # re-save the hash, which a validator must never do.
        if check_password(password, user.password):
            raise ValidationError(
                "Choose a password different from your current one.",
                code="password_unchanged",
            )

    def get_help_text(self) -> str:
        return "Your password must be different from your current one."
