"""Every write to EHC records (docs/architecture.md, "Services and forms").

Each function takes keyword-only plain values (ids, dates, strings, model
instances; provision rows as a list of dicts), the acting user as ``by``,
and returns the saved object. Each runs in one transaction, with ``by``
named as the actor of the audit log entries it writes (in a request or
outside one: an importer, a task, the API). The business rules are
checked here or in the model's ``clean()`` (which these functions call)
and the table's constraints, and raise
:class:`django.core.exceptions.ValidationError` keyed by field name, so a
form, an importer or an API shows the same messages; a duplicate is such
an error, never an IntegrityError, even when two saves race.

Edits of existing records take ``expected_version``, the version of the
record the user opened: when two people edit the same record, the second
save fails with :class:`StaleEdit` instead of silently overwriting the
first person's work. How a service saves (the transaction, the actor, the
version, the checks) is :mod:`ehc.saving`.

The functions live by subject (:mod:`.children`, :mod:`.requests`,
:mod:`.contributions`, :mod:`.advice`, :mod:`.records`, :mod:`.plans`; :mod:`.bulk` creates
many new records at once under the same rules; the worklist's stored keys
in :mod:`.urgency`; services' waiting times in :mod:`.waits`); every public one is
importable from here, as ``from ehc import services; services.log_request``.
"""

from __future__ import annotations

from ehc.saving import StaleEdit as StaleEdit  # views catch services.StaleEdit
from ehc.saving import save_versioned as save_versioned
from ehc.services.advice import (
    save_advice,
    save_review,
)
from ehc.services.bulk import (
    Created,
    NewChild,
    NewContribution,
    NewRequest,
    Refused,
    after_create,
    create_many,
)
from ehc.services.children import (
    HELD_IN_AREA,
    HELD_IN_OTHER_AREA,
    Holders,
    create_child,
    nhs_number_holders,
    update_child,
)
from ehc.services.contributions import (
    record_exception,
    record_return,
    update_asking,
)
from ehc.services.plans import (
    record_plan,
    remove_plan_provision,
    save_plan_audit,
    save_plan_provision,
    update_plan,
)
from ehc.services.records import (
    save_child_record,
)
from ehc.services.requests import (
    add_contribution,
    ask_services,
    change_status,
    log_request,
    mark_left_outstanding,
    move_due_dates,
    refresh_status,
    update_request,
)
from ehc.services.urgency import refresh_all, refresh_urgency
from ehc.services.waits import record_waits, update_waits

__all__ = [
    "HELD_IN_AREA",
    "HELD_IN_OTHER_AREA",
    "Created",
    "Holders",
    "NewChild",
    "NewContribution",
    "NewRequest",
    "Refused",
    "StaleEdit",
    "add_contribution",
    "after_create",
    "ask_services",
    "change_status",
    "create_child",
    "create_many",
    "log_request",
    "mark_left_outstanding",
    "nhs_number_holders",
    "move_due_dates",
    "record_exception",
    "record_plan",
    "remove_plan_provision",
    "record_return",
    "record_waits",
    "refresh_all",
    "refresh_status",
    "refresh_urgency",
    "save_advice",
    "save_child_record",
    "save_plan_audit",
    "save_plan_provision",
    "save_review",
    "save_versioned",
    "update_asking",
    "update_child",
    "update_plan",
    "update_request",
    "update_waits",
]
