"""How every EHC service saves (docs/architecture.md, "Services and forms").

:func:`core.audit.service_write` runs a service in one transaction with its
``by`` named as the audit log's actor; :func:`validate` runs a record's ``clean()`` and
its table's constraints together, so every problem is reported at once,
keyed by field; :func:`save_checked` turns a duplicate the database
refuses (two saves racing) into the same keyed ValidationError; and
:func:`save_versioned` refuses an edit based on an out-of-date copy with
:class:`StaleEdit`. The services themselves are :mod:`ehc.services`.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from core.audit import service_write

SAVED_MEANWHILE = (
    "Someone else saved a record that conflicts with this one at the same moment. "
    "Nothing has been saved: check the record and try again."
)


class StaleEdit(Exception):
    """The record changed since the form was opened."""

    message = (
        "Someone else saved changes to this record after you opened it. Your changes "
        "have not been saved. Open the record again to see the latest version, then "
        "make your changes again."
    )


def claim_version(instance, expected_version: int | None) -> None:
    """Move the stored version on by one if it still is ``expected_version``;
    raise :class:`StaleEdit` otherwise."""
    if expected_version is None:
        raise StaleEdit
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleEdit
    instance.version = expected_version + 1


def assign(instance, values: dict, *, allowed: frozenset[str] | None = None) -> None:
    """Set ``values`` (field name -> value) on ``instance``.

    ``allowed`` names the fields the caller may set; any other name raises
    TypeError, as an unexpected keyword argument would, so that a caller
    (an importer, the API) cannot move a record to another child or area, or
    set its status or author, by adding a key.
    """
    if allowed is not None and (unknown := sorted(set(values) - allowed)):
        raise TypeError(f"{type(instance).__name__} cannot be given {', '.join(unknown)} here")
    for name, value in values.items():
        setattr(instance, name, value)


def validate(instance, errors: dict | None = None) -> None:
    """Run ``instance.clean()`` and check the table's constraints (those on
    fields without an error already), adding to ``errors`` (field name ->
    list of messages). Raises one ValidationError with all of them."""
    errors = dict(errors or {})
    # Each field's own rules first (required, choices, length), as a form
    # would check them, so a caller without a form gets the same messages.
    # Relations are left out: the services receive model instances, and
    # checking each would cost a query.
    relations = {field.name for field in instance._meta.fields if field.is_relation}
    try:
        instance.clean_fields(exclude=relations | set(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude={name for name in errors if name != NON_FIELD_ERRORS})
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save_checked(instance, **kwargs) -> None:
    """Save ``instance`` in a savepoint. When the database refuses it (a
    duplicate saved by someone else since the checks ran), raise the
    constraint's ValidationError keyed by field, or :data:`SAVED_MEANWHILE`
    when the conflict cannot be named: never an IntegrityError."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as error:
        instance.validate_constraints()
        raise ValidationError(SAVED_MEANWHILE) from error


@service_write
def save_versioned(
    *,
    instance,
    values: dict,
    by,
    expected_version: int | None = None,
    allowed: frozenset[str] | None = None,
):
    """Set ``values`` (field name -> value; only the ``allowed`` names when
    given, else TypeError) on ``instance``, check its fields, ``clean()``
    and the table's constraints, and save it.

    A new record is marked as made by ``by``; an edit of an existing one
    raises :class:`StaleEdit` unless ``expected_version`` is the stored
    version. Raises ValidationError keyed by field (a duplicate included).
    """
    assign(instance, values, allowed=allowed)
    validate(instance)
    if instance.pk is not None:
        claim_version(instance, expected_version)
    elif instance.created_by_id is None:
        instance.created_by = by
    save_checked(instance)
    return instance
