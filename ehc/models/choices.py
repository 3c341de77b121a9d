"""The codes EHC records use: SEN2 primary needs, processes, statuses,
outcomes, late reasons, the reg 8(2) exceptions, provision sections,
quality ratings and budget outcomes (docs/domain.md)."""

from __future__ import annotations

from django.db import models

from ehc import clock


class PrimaryNeed(models.TextChoices):
    """SEN2 primary need codes (docs/domain.md, "Codes that match national data")."""

    ASD = "ASD", "Autistic spectrum disorder (ASD)"
    SLCN = "SLCN", "Speech, language and communication needs (SLCN)"
    SEMH = "SEMH", "Social, emotional and mental health (SEMH)"
    MLD = "MLD", "Moderate learning difficulty (MLD)"
    SLD = "SLD", "Severe learning difficulty (SLD)"
    PMLD = "PMLD", "Profound and multiple learning difficulty (PMLD)"
    SPLD = "SPLD", "Specific learning difficulty (SPLD)"
    PD = "PD", "Physical disability (PD)"
    HI = "HI", "Hearing impairment (HI)"
    VI = "VI", "Vision impairment (VI)"
    MSI = "MSI", "Multi-sensory impairment (MSI)"
    DS = "DS", "Down syndrome (DS)"
    OTH = "OTH", "Other difficulty or disability (OTH)"
    NOT_KNOWN = "NK", "Not known yet"


class Process(models.TextChoices):
    """The part of the SEND process a request for health advice serves."""

    NEEDS_ASSESSMENT = "needs_assessment", "New EHC needs assessment"
    REASSESSMENT = "reassessment", "Reassessment"
    ANNUAL_REVIEW = "annual_review", "Annual review"
    PHASE_TRANSFER = "phase_transfer", "Phase transfer review"
    MEDIATION = "mediation", "Mediation"
    TRIBUNAL = "tribunal", "Tribunal"


class RequestStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting advice"
    RETURNED = "returned", "All returned"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (RequestStatus.AWAITING, RequestStatus.RETURNED)


class LeftOutstanding(models.TextChoices):
    """Marks a contribution still unreturned when its request was withdrawn
    or closed (docs/reports.md). Withdrawn: the advice was never owed after
    the LA stopped, so it is neither on time nor late. Closed: the officer
    stopped chasing, but closing never erases lateness, so once past its due
    date it counts as not returned in time. Reopening the request clears the
    mark; so does recording the return."""

    WITHDRAWN = "withdrawn", "Not returned: request withdrawn"
    CLOSED = "closed", "Not returned: request closed"


# The processes whose health advice the 6-week limit governs: advice for an
# EHC needs assessment (SEND Regulations 2014 reg 8) and for a re-assessment,
# which follows the same steps (reg 26). Advice for annual reviews, phase
# transfers, mediation and tribunal has deadlines of its own.
REG8_PROCESSES = frozenset({Process.NEEDS_ASSESSMENT, Process.REASSESSMENT})


class Outcome(models.TextChoices):
    """What a service sent back."""

    ADVICE_GIVEN = "advice_given", "Advice given"
    NOT_KNOWN = "not_known", "Child or young person not known to the service"
    NO_HEALTH_NEEDS = "no_health_needs", "No health needs identified"
    DECLINED = "declined", "Declined"


class LateReason(models.TextChoices):
    """Why a contribution came back after its due date (docs/ehc.md).

    None of these stops the clock: only the three reg 8(2) exceptions do.
    """

    WAITING_LIST = "waiting_list", "Waiting list for assessment"
    STAFFING = "staffing", "Staff shortage or absence"
    REQUEST_INCOMPLETE = "request_incomplete", "LA request incomplete or without consent"
    FORWARDED_LATE = "forwarded_late", "Request reached the service late"
    APPOINTMENT_CAPACITY = "appointment_capacity", "No appointment available in time"
    ADMINISTRATIVE = "administrative", "Administrative delay"
    OTHER = "other", "Other (say why in the note)"


class Reg8Exception(models.TextChoices):
    """The only lawful exceptions to the 6-week limit (reg 8(2))."""

    EXCEPTIONAL_CIRCUMSTANCES = (
        clock.Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES.value,
        "(a) Exceptional circumstances affecting the child, young person or parent",
    )
    ABSENT_FROM_AREA = (
        clock.Reg8Exception.ABSENT_FROM_AREA.value,
        "(b) Child, young person or parent away from the area for 4 weeks or more in a row",
    )
    MISSED_APPOINTMENT = (
        clock.Reg8Exception.MISSED_APPOINTMENT.value,
        "(c) Child or young person missed an appointment for an examination or test",
    )


class ProvisionSection(models.TextChoices):
    F = "F", "Section F (special educational provision)"
    G = "G", "Section G (health provision)"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class BudgetOutcome(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"
    AGREED = "agreed", "Agreed"
    DECLINED_BY_FAMILY = "declined_by_family", "Declined by the family"
    NOT_AGREED = "not_agreed", "Not agreed"


def by_label(field: str, choices) -> models.Case:
    """An expression ordering ``field`` by its choice's label (what a page
    shows), not its stored code: each code's rank among the labels in
    alphabetical order, any other value last."""
    ordered = sorted(choices, key=lambda choice: str(choice[1]).lower())
    return models.Case(
        *[
            models.When(**{field: value}, then=models.Value(i))
            for i, (value, _) in enumerate(ordered)
        ],
        default=models.Value(len(ordered)),
        output_field=models.IntegerField(),
    )


# The worklist's Process column sorts by this, and an index holds it
# (HealthAdviceRequest.Meta.indexes): the two must be the same expression.
PROCESS_BY_LABEL = by_label("process", Process.choices)
