"""A table's check constraints, judged in Python before a save.

Django checks a ``CheckConstraint`` before saving by asking the database
(``Q.check``: a SELECT built with every field of the record as a value),
which costs a query, and far more time compiling it, for every constraint
of every record saved; an import saving thousands of records spends most of
its time there. :func:`check_in_python` judges the simple conditions the
portal's constraints use (``field``, ``field__isnull``, ``__gte``, ``__lte``,
``__gt``, ``__lt``, ``__in``, values or ``F()`` of another field, combined
with ``&``, ``|`` and ``~``) in Python, with SQL's three-valued logic, and
says :data:`UNSUPPORTED` for anything else, so the caller asks the database
as before. ``tests/core/test_constraints.py`` compares its answers with the
database's.
"""

from __future__ import annotations

import operator

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q

UNSUPPORTED = object()  # the condition uses something only the database can judge
SKIPPED = object()  # it names a field left out: Django skips such a constraint too

_COMPARE = {
    "exact": operator.eq,
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
}


class _Unsupported(Exception):
    pass


class _Skipped(Exception):
    pass


def check_in_python(condition: Q, instance, exclude=()):
    """Whether ``instance`` satisfies ``condition`` as the database would
    judge the CHECK: True when the condition is true or unknown (NULL),
    False when it is false. Returns :data:`SKIPPED` when the condition
    names a field in ``exclude`` (or not a column of the model), as
    Django's own check skips it, and :data:`UNSUPPORTED` when it cannot be
    judged here."""
    result = truth_in_python(condition, instance, exclude)
    if result is SKIPPED or result is UNSUPPORTED:
        return result
    return result is not False


def truth_in_python(condition: Q, instance, exclude=()):
    """``condition`` judged for ``instance`` with SQL's three values: True,
    False or None (unknown: a NULL compared). What a partial unique index
    needs (only rows where its condition is true are in it), where a CHECK
    passes unknown too (:func:`check_in_python`). Returns :data:`SKIPPED`
    or :data:`UNSUPPORTED` as :func:`check_in_python` does."""
    try:
        return _judge(condition, instance, set(exclude or ()))
    except _Skipped:
        return SKIPPED
    except _Unsupported:
        return UNSUPPORTED


def _value(name: str, instance, exclude: set):
    if name == "pk":
        return instance.pk
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise _Skipped from None
    if field not in instance._meta.local_concrete_fields:
        raise _Skipped
    if field.name in exclude:
        raise _Skipped
    if getattr(field, "generated", False):
        raise _Unsupported
    return getattr(instance, field.attname)


def _operand(value, instance, exclude: set):
    if isinstance(value, F):
        if "__" in value.name:
            raise _Unsupported
        return _value(value.name, instance, exclude)
    if hasattr(value, "resolve_expression"):
        raise _Unsupported
    return value


def _lookup(lookup: str, value, instance, exclude: set):
    """True, False or None (unknown) for one ``field__op=value``."""
    name, _, op = lookup.partition("__")
    op = op or "exact"
    held = _value(name, instance, exclude)
    if op == "isnull":
        if not isinstance(value, bool):
            raise _Unsupported
        return (held is None) == value
    if op == "in":
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            raise _Unsupported
        options = [_operand(option, instance, exclude) for option in value]
        if held is None:
            return None
        if held in [option for option in options if option is not None]:
            return True
        return None if any(option is None for option in options) else False
    if op not in _COMPARE:
        raise _Unsupported
    other = _operand(value, instance, exclude)
    if op == "exact" and other is None:
        return held is None  # Django writes field=None as IS NULL
    if held is None or other is None:
        return None
    try:
        return _COMPARE[op](held, other)
    except TypeError:
        raise _Unsupported from None


def _judge(condition, instance, exclude: set):
    if not isinstance(condition, Q):
        raise _Unsupported
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_judge(child, instance, exclude))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(child[0], child[1], instance, exclude))
        else:
            raise _Unsupported
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise _Unsupported
    if condition.negated:
        return None if result is None else not result
    return result
