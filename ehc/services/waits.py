"""Entering a service's quarterly waiting times (docs/waits.md).

One record per service per financial-year quarter: entering a quarter
already entered changes that record (the audit log keeps what it said
before), so two people entering the same quarter, or one person entering
it twice, never make two records or an error.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from core.audit import service_write
from ehc.models import ServiceWait, services_covering
from ehc.saving import assign, claim_version, validate

__all__ = ["WAIT_FIGURES", "record_waits", "update_waits"]

# What a person enters for a quarter, in the order the form asks for it.
WAIT_FIGURES = ("waiting", "median_weeks", "longest_weeks", "notes")
RECORD_PERMISSION = "portal.record_service_waits"


def _check_may_record(by, service) -> None:
    """``by`` enters waits only for a service they cover (a practitioner:
    their own services; a designated officer: the services covering their
    areas; :func:`ehc.models.services_covering`). Raises ValidationError."""
    allowed = by.has_perm(RECORD_PERMISSION)
    if not allowed or not services_covering(by).filter(pk=service.pk).exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: "You can enter waiting times only for the services you cover"}
        )


@service_write
def record_waits(
    *,
    by,
    service,
    financial_year: int,
    quarter: int,
    waiting: int,
    median_weeks: Decimal | None = None,
    longest_weeks: Decimal | None = None,
    notes: str = "",
) -> ServiceWait:
    """Enter ``service``'s waiting list at the end of ``quarter`` (1-4) of
    ``financial_year`` (2026 is 2026/27) and return the record: ``waiting``
    children and young people, the ``median_weeks`` and ``longest_weeks``
    they had waited (weeks, one decimal place; both given when anyone is
    waiting, neither when no one is; the median not longer than the
    longest; at most 520 weeks).

    When the quarter is already entered for the service, its record is
    changed to these figures (a second entry edits, never duplicates); two
    entries racing end as one record with the later figures. The quarter
    must have ended and be from 2014/15. ``by`` must cover the service.
    Raises ValidationError keyed by field (``quarter``, ``waiting``,
    ``median_weeks``, ``longest_weeks``) or, for the service, at the top.
    """
    _check_may_record(by, service)
    figures = {
        "waiting": waiting,
        "median_weeks": median_weeks,
        "longest_weeks": longest_weeks,
        "notes": notes,
    }
    key = {"service": service, "financial_year": financial_year, "quarter": quarter}
    existing = _held(key)
    if existing is None:
        wait = ServiceWait(**key, created_by=by, entered_by=by, **figures)
        # The unique constraint is the database's to judge at the insert:
        # another entry of the same quarter may commit first.
        validate(wait, unique=False)
        try:
            with transaction.atomic():
                wait.save()
            return wait
        except IntegrityError:  # entered by someone else since _held looked
            existing = _held(key)
            if existing is None:
                raise
    return _change(existing, figures, by=by, expected_version=existing.version)


def _held(key: dict) -> ServiceWait | None:
    """The quarter's row, locked until the transaction ends, or None."""
    return ServiceWait.objects.select_for_update().filter(**key).first()


@service_write
def update_waits(*, wait: ServiceWait, values: dict, by, expected_version: int | None):
    """Change a quarter's figures (``values``: names in :data:`WAIT_FIGURES`
    only, else TypeError; the service and quarter stay), refusing an edit
    made on an out-of-date copy (:class:`ehc.saving.StaleEdit` unless
    ``expected_version`` is the stored version). The same rules as
    :func:`record_waits`; raises ValidationError keyed by field."""
    _check_may_record(by, wait.service)
    return _change(wait, values, by=by, expected_version=expected_version)


def _change(wait: ServiceWait, values: dict, *, by, expected_version) -> ServiceWait:
    assign(wait, values, allowed=frozenset(WAIT_FIGURES))
    validate(wait, unique=False)
    claim_version(wait, expected_version)
    wait.entered_by = by
    wait.save()
    return wait
