from django.apps import AppConfig


class EhcConfig(AppConfig):
    """Health advice for EHC needs assessments and reviews."""

    name = "ehc"
    verbose_name = "EHC health advice"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ehc import models as m
        from ehc.services.urgency import STORED

        # Every change to a child's record is audited; who looked is an
        # access event (``ehc.access_log``). Derived fields (the working
        # date) are left out: their inputs are audited.
        for model in (
            m.Child,
            m.HealthAdviceRequest,
            m.Contribution,
            m.Advice,
            m.ProvisionItem,
            m.QualityReview,
            m.Section23Notice,
            m.ReviewInput,
            m.MediationCase,
            m.TribunalCase,
            m.PersonalHealthBudget,
            m.EHCPlan,
            m.PlanAudit,
            m.PlanProvision,
            m.ServiceWait,  # figures about a service, not a child: audited, not registered
        ):
            # Derived keys (recomputed from other fields) are not changes anyone made.
            derived = {
                m.Contribution: ["working_due_on"],
                m.HealthAdviceRequest: list(STORED),  # the worklist's stored keys
            }.get(model, [])
            # Which advice informed a plan is part of the plan's record.
            m2m = {m.EHCPlan: {"informed_by"}}.get(model, set())
            auditlog.register(
                model,
                exclude_fields=["version", "updated_at", "created_at", *derived],
                m2m_fields=m2m,
            )
        register_child_records(m)
        from ehc import access_log, registry
        from ehc.reminders import casework
        from ehc.reviews import reminders as review_reminders

        # Due items reach the reminder digest through its source registry
        # (ehc/reminders/sources.py); apps above ehc register theirs the same way.
        casework.register()
        review_reminders.register()  # each review's invitation, advice and decision

        registry.register_history_source(access_log.history_events)
        registry.register_child_link(
            "Who has looked at this record",
            "ehc:child_access_history",
            "portal.view_access_history",
        )


def register_child_records(m) -> None:
    """Every ehc table holding data about a child, in the registry retention,
    erasure, subject access and the audit walk (``ehc/registry.py``).
    ``updated_at`` counts as activity: a record someone changed is in use."""
    from django.db.models import Q

    from ehc import registry

    registry.register(
        m.Child,
        child="",
        identifying=(
            "given_name",
            "family_name",
            "nhs_number",
            "la_reference",
            "date_of_birth",
            "date_of_death",
        ),
        activity=("updated_at",),
    )
    registry.register(
        m.HealthAdviceRequest,
        child="child",
        identifying=("la_reference", "notes"),
        open_when=Q(status__in=m.OPEN_STATUSES),
        activity=("received_on", "closed_on", "updated_at"),
    )
    registry.register(
        m.Contribution,
        child="request__child",
        identifying=("declined_reason", "late_note", "exception_evidence"),
        # Still owed: neither returned nor left outstanding when the request closed.
        open_when=Q(returned_on__isnull=True, left_outstanding=""),
        activity=("asked_on", "returned_on", "updated_at"),
    )
    registry.register(
        m.Advice,
        child="contribution__request__child",
        identifying=("needs", "outcomes", "child_views", "document", "document_name"),
        files=("document",),
        activity=("written_on", "updated_at"),
    )
    registry.register(
        m.ProvisionItem,
        child="advice__contribution__request__child",
        identifying=("description",),
    )
    registry.register(
        m.QualityReview,
        child="advice__contribution__request__child",
        identifying=("notes",),
        activity=("reviewed_on", "updated_at"),
    )
    registry.register(
        m.Section23Notice,
        child="child",
        activity=("parent_told_on", "la_notified_on", "updated_at"),
    )
    registry.register(
        m.ReviewInput,
        child="child",
        # A review is under way until the LA's decision after it is recorded.
        open_when=Q(decision_on__isnull=True),
        activity=("meeting_on", "advice_sent_on", "decision_on", "updated_at"),
    )
    registry.register(
        m.MediationCase,
        child="child",
        identifying=("health_issues", "outcome"),
        open_when=Q(outcome=""),
        activity=("requested_on", "body_notified_on", "arranged_on", "updated_at"),
    )
    registry.register(
        m.TribunalCase,
        child="child",
        identifying=("health_issues", "recommendations"),
        # Undecided, or health recommendations still waiting for the response.
        open_when=Q(decision_on__isnull=True)
        | Q(recommendations_received_on__isnull=False, response_sent_on__isnull=True),
        activity=("registered_on", "decision_on", "response_sent_on", "updated_at"),
    )
    registry.register(
        m.PersonalHealthBudget,
        child="child",
        identifying=("notes",),
        open_when=Q(outcome=m.BudgetOutcome.UNDER_CONSIDERATION),
        activity=("considered_on", "updated_at"),
    )
    registry.register(
        m.EHCPlan,
        child="child",
        identifying=("la_reference",),
        activity=("issued_on", "updated_at"),
    )
    registry.register(
        m.PlanAudit,
        child="plan__child",
        identifying=("notes",),
        activity=("audited_on", "updated_at"),
    )
    registry.register(
        m.PlanProvision,
        child="plan__child",
        identifying=("description", "delivered_by"),
        # Provision waited for keeps the child's record open, as a wait is live work.
        open_when=Q(status=m.ProvisionStatus.WAITING),
        activity=("checked_on", "updated_at"),
    )
    # Reminders sent about a request: the portal's own messages, not work
    # with the child, so they do not extend the retention clock.
    registry.register(m.Reminder, child="request__child")
