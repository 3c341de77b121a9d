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
from django.db.models import F, Q, UniqueConstraint

from core.audit import service_write
from core.constraints import SKIPPED, UNSUPPORTED, truth_in_python

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


def validate(instance, errors: dict | None = None, *, unique: bool = True) -> None:
    """Run ``instance.clean()`` and check the table's constraints (those on
    fields without an error already), adding to ``errors`` (field name ->
    list of messages). Raises one ValidationError with all of them.
    ``unique=False`` leaves the unique constraints to the caller, which
    checks many new records at once with :func:`unique_problems`."""
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
        exclude = {name for name in errors if name != NON_FIELD_ERRORS}
        # Django's signature unless asked (Tracked's takes ``unique``).
        instance.validate_constraints(exclude, **({} if unique else {"unique": False}))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def unique_problems(instances: list) -> dict[int, dict]:
    """The new (unsaved) ``instances`` of one model that its unique
    constraints refuse, each as ``index -> {field: [ValidationError]}``
    keyed as :meth:`ehc.models.base.Tracked.validate_constraints` keys them:
    one that repeats a row already held, or an earlier instance of the list.
    A constraint's condition is judged in Python
    (:func:`core.constraints.truth_in_python`: only a row for which it is
    true counts); NULL never clashes, as in SQL. One query per constraint
    per :data:`CHUNK` instances; a constraint this cannot judge
    (expressions, a condition only the database can judge) is checked one
    instance at a time by Django."""
    if not instances:
        return {}
    model = type(instances[0])
    problems: dict[int, dict] = {}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        if constraint.expressions or constraint.nulls_distinct is False:
            _one_by_one(constraint, model, instances, problems)
            continue
        names = [model._meta.get_field(name).attname for name in constraint.fields]
        keys: dict[int, tuple] = {}
        for index, instance in enumerate(instances):
            key = tuple(getattr(instance, name) for name in names)
            if None in key:
                continue
            if constraint.condition is not None:
                # Only a row whose condition is true is held to the constraint.
                verdict = truth_in_python(constraint.condition, instance)
                if verdict is UNSUPPORTED or verdict is SKIPPED:
                    _one_by_one(constraint, model, [instance], problems, start=index)
                    continue
                if verdict is not True:
                    continue
            keys[index] = key
        held = _held_keys(model, constraint, names, list(keys.values()))
        seen: set[tuple] = set()
        for index, key in keys.items():
            if key in held or key in seen:
                error = _unique_error(constraint, model, instances[index])
                problems[index] = model.add_constraint_error(
                    problems.get(index, {}), constraint, error
                )
            seen.add(key)
    return problems


CHUNK = 500  # values in one IN (...) list: well under SQLite's 999 parameters


def _held_keys(model, constraint, names: list[str], keys: list[tuple]) -> set[tuple]:
    """Which of ``keys`` (values of ``names``) rows already held have."""
    held: set[tuple] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        lookups = {
            f"{name}__in": {key[position] for key in chunk} for position, name in enumerate(names)
        }
        rows = model._default_manager.filter(constraint.condition or Q(), **lookups)
        held.update(rows.values_list(*names))
    return {key for key in keys if key in held}


def _unique_error(constraint, model, instance) -> ValidationError:
    """The error Django's own check (``UniqueConstraint.validate``) raises
    for ``constraint``: the model's "... already exists" for a constraint
    on fields with neither a condition nor its own message, else the
    constraint's message."""
    default = constraint.violation_error_message == constraint.default_violation_error_message
    if constraint.condition is None and default:
        return instance.unique_error_message(model, constraint.fields)
    return ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    )


def _one_by_one(constraint, model, instances, problems: dict, *, start: int = 0) -> None:
    for index, instance in enumerate(instances, start=start):
        try:
            constraint.validate(model, instance)
        except ValidationError as error:
            problems[index] = model.add_constraint_error(problems.get(index, {}), constraint, error)


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
