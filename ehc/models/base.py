"""What every record people edit carries: version, timestamps, author; and
the checks their ``clean()`` methods share."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.utils import timezone

from accounts.scoping import local_authority_ids_for
from core.constraints import SKIPPED, check_in_python

# The words core.forms.DateField uses for a date after today.
FUTURE_DATE = "The date cannot be in the future"


class Tracked(models.Model):
    """Edit version and timestamps for records people change."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Constraint name -> the field its message belongs beside (Django files
    # a conditional unique constraint's message at the top of the form).
    constraint_fields: dict[str, str] = {}

    # Fields (attnames, so ``service_id`` for a foreign key) whose rules run
    # only when they change, so that an old record still saves once the
    # world has moved on (a service that has stopped covering the area).
    CHECKED_WHEN_CHANGED: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._remember_stored()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_stored()
        return instance

    def _remember_stored(self) -> None:
        self._stored = {name: self.__dict__.get(name) for name in self.CHECKED_WHEN_CHANGED}

    def changed(self, *names: str) -> bool:
        """Whether any of ``names`` (from :attr:`CHECKED_WHEN_CHANGED`)
        differs from what was loaded or last saved; always True for a new
        record. Costs no query: the stored values are kept on load."""
        stored = getattr(self, "_stored", None)
        if self._state.adding or stored is None:
            return True
        return any(getattr(self, name) != stored.get(name) for name in names)

    def validate_constraints(self, exclude=None, *, unique: bool = True):
        """Check the table's constraints before saving, as Django does, but
        key each message by the field in :attr:`constraint_fields` (else as
        Django does: the one field of a unique constraint, or the whole
        record). ``unique=False`` leaves out the unique constraints (each a
        query), for a caller that checks many new records against them at
        once (:func:`ehc.saving.unique_problems`). Raises ValidationError."""
        using = router.db_for_write(type(self), instance=self)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if not unique and isinstance(constraint, models.UniqueConstraint):
                    continue
                try:
                    _validate(constraint, model_class, self, exclude, using)
                except ValidationError as error:
                    errors = self.add_constraint_error(errors, constraint, error)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def add_constraint_error(cls, errors: dict, constraint, error: ValidationError) -> dict:
        """``errors`` (field name -> messages) with ``error``, the refusal of
        ``constraint``, added under the field in :attr:`constraint_fields`,
        else the one field of a unique constraint, else the whole record."""
        key = cls.constraint_fields.get(constraint.name)
        if key is None and getattr(error, "code", None) == "unique":
            key = constraint.fields[0] if len(constraint.fields) == 1 else None
        if key is None:
            return error.update_error_dict(errors)
        errors.setdefault(key, []).extend(error.error_list)
        return errors


def _validate(constraint, model_class, instance, exclude, using) -> None:
    """``constraint.validate(...)``, but a check constraint simple enough is
    judged in Python (:func:`core.constraints.check_in_python`), not by a
    query: the same answer, without the cost that dominated every save."""
    if isinstance(constraint, models.CheckConstraint):
        verdict = check_in_python(constraint.condition, instance, exclude)
        if verdict is SKIPPED or verdict is True:
            return
        if verdict is False:
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
    constraint.validate(model_class, instance, exclude=exclude, using=using)


def areas_of(user):
    return local_authority_ids_for(user)


def refuse_future(errors: dict, instance, *names: str) -> None:
    """Add :data:`FUTURE_DATE` to ``errors`` (field name -> message) for each
    of ``names`` whose date on ``instance`` is after today (the portal's
    local date), unless that field already has an error."""
    today = timezone.localdate()
    for name in names:
        value = getattr(instance, name, None)
        if value and name not in errors and value > today:
            errors[name] = FUTURE_DATE
