"""Children and young people, the health advice asked about them, and what
health owes the rest of the SEND process (docs/domain.md, "The EHC process
and health's clocks").

The unit of work is a :class:`HealthAdviceRequest`: the local authority asks
health for advice about one child for one process. Each service asked is a
:class:`Contribution` with its own return; each returned contribution may
carry :class:`Advice` (with structured :class:`ProvisionItem` rows) and a
:class:`QualityReview`. The 6-week clock runs from the day the health body
received the request (``received_on``); its last day is stored as
``due_on`` on the request and on each contribution, so that worklists and
reminders select by an indexed date.

Records people edit carry a ``version``: a save based on an older version
is refused (see :func:`ehc.saving.save_versioned`).

The models live by concern: :mod:`ehc.models.choices` (codes),
:mod:`ehc.models.casework` (child, request, contribution),
:mod:`ehc.models.advice` (advice, provision, quality review),
:mod:`ehc.models.records` (Section 23, review input,
mediation, tribunal, budgets), :mod:`ehc.models.plans` (EHC plans as
issued, their audits and section G provision), :mod:`ehc.models.waits`
(services' quarterly waiting times) and :mod:`ehc.models.reminders`. Every
public name is re-exported here, so ``from ehc.models import X`` works for all.
"""

from __future__ import annotations

from ehc.models.access import AccessEvent
from ehc.models.advice import (
    ADVICE_DOCUMENT_TYPES,
    Advice,
    AdviceQuerySet,
    ProvisionItem,
    QualityReview,
    QualityReviewQuerySet,
    advice_document_path,
)
from ehc.models.base import (
    Tracked,
    areas_of,
)
from ehc.models.casework import (
    YEAR_GROUPS,
    Child,
    ChildQuerySet,
    Contribution,
    ContributionQuerySet,
    HealthAdviceRequest,
    HealthAdviceRequestQuerySet,
)
from ehc.models.choices import (
    OPEN_STATUSES,
    REG8_PROCESSES,
    BudgetOutcome,
    LateReason,
    LeftOutstanding,
    Outcome,
    PrimaryNeed,
    Process,
    ProvisionSection,
    Rating,
    Reg8Exception,
    RequestStatus,
)
from ehc.models.imports import BUSY as IMPORT_BUSY
from ehc.models.imports import ImportJob, ImportStatus
from ehc.models.plans import (
    EHCPlan,
    PlanAnswer,
    PlanAudit,
    PlanKind,
    PlanProvision,
    PlanRecordQuerySet,
    ProvisionStatus,
)
from ehc.models.records import (
    CHILD_RECORDS,
    TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM,
    ChildRecord,
    ChildRecordQuerySet,
    MediationCase,
    PersonalHealthBudget,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from ehc.models.reminders import (
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderRun,
    ReminderState,
)
from ehc.models.summary import (
    ENGLAND_MODELS,
    MONTH_MODELS,
    SUMMARY_MODELS,
    ContributionAskedEngland,
    ContributionAskedMonth,
    ContributionCount,
    ContributionDueEngland,
    ContributionDueMonth,
    EnglandRow,
    LateCount,
    OverdueEngland,
    OverdueEnglandFilled,
    ProviderAskCount,
    ProviderAskEngland,
    ProviderAskMonth,
    ProvisionGapCount,
    ProvisionGapEngland,
    ProvisionGapMonth,
    QualityReviewCount,
    QualityReviewEngland,
    QualityReviewMonth,
    RequestCount,
    RequestEngland,
    RequestMonth,
    ReturnCount,
    ReturnEngland,
    ReturnMonth,
    Verdict,
)
from ehc.models.waits import ServiceWait, ServiceWaitQuerySet, services_covering

__all__ = [
    "ENGLAND_MODELS",
    "MONTH_MODELS",
    "SUMMARY_MODELS",
    "ContributionAskedMonth",
    "ContributionCount",
    "ContributionAskedEngland",
    "ContributionDueEngland",
    "ContributionDueMonth",
    "EnglandRow",
    "LateCount",
    "ProviderAskCount",
    "ProviderAskMonth",
    "ProvisionGapCount",
    "OverdueEngland",
    "OverdueEnglandFilled",
    "ProviderAskEngland",
    "ProvisionGapEngland",
    "ProvisionGapMonth",
    "QualityReviewCount",
    "QualityReviewEngland",
    "QualityReviewMonth",
    "RequestCount",
    "RequestEngland",
    "RequestMonth",
    "ReturnCount",
    "ReturnEngland",
    "ReturnMonth",
    "Verdict",
    "AccessEvent",
    "ADVICE_DOCUMENT_TYPES",
    "Advice",
    "AdviceQuerySet",
    "BudgetOutcome",
    "Child",
    "ChildQuerySet",
    "CHILD_RECORDS",
    "ChildRecord",
    "ChildRecordQuerySet",
    "Contribution",
    "EHCPlan",
    "ContributionQuerySet",
    "HealthAdviceRequest",
    "HealthAdviceRequestQuerySet",
    "IMPORT_BUSY",
    "ImportJob",
    "ImportStatus",
    "LateReason",
    "LeftOutstanding",
    "MediationCase",
    "OPEN_STATUSES",
    "REG8_PROCESSES",
    "Outcome",
    "PersonalHealthBudget",
    "PlanAnswer",
    "PlanAudit",
    "PlanKind",
    "PlanProvision",
    "PlanRecordQuerySet",
    "ProvisionStatus",
    "PrimaryNeed",
    "Process",
    "ProvisionItem",
    "ProvisionSection",
    "QualityReview",
    "QualityReviewQuerySet",
    "Rating",
    "Reg8Exception",
    "Reminder",
    "ReminderKind",
    "ReminderState",
    "ReminderPolicy",
    "ReminderRun",
    "RequestStatus",
    "ReviewInput",
    "Section23Notice",
    "ServiceWait",
    "ServiceWaitQuerySet",
    "TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM",
    "Tracked",
    "TribunalCase",
    "YEAR_GROUPS",
    "advice_document_path",
    "areas_of",
    "services_covering",
]
