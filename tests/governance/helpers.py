"""Hand-built records for the governance tests: a child with a row of every
record type the registry knows, a document on disk and audit entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.signals import accessed
from django.core.files.base import ContentFile
from django.utils import timezone

from core.audit import acting_as
from ehc import registry
from ehc.models import (
    Advice,
    Child,
    EHCPlan,
    MediationCase,
    Outcome,
    PersonalHealthBudget,
    PlanAudit,
    PlanProvision,
    Reminder,
    RequestStatus,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from tests import factories as f
from tests.ehc.helpers import pdf_bytes

D = datetime.date

# Words that identify the hand-built child; none may survive an erasure
# anywhere in the audit log.
NAME = ("Erin", "Oldrecord")
BORN = D(1995, 3, 1)
LAST = D(2012, 6, 1)  # 17 that day: due on the 26th birthday, 1 March 2021
NHS_NUMBER = "9434765919"
SECRETS = (
    "Oldrecord",
    NHS_NUMBER,
    "LA-OLD-1",
    "Erin loves trains",
    "Swimming with Erin",
    "Erin Oldrecord report.pdf",
)


@dataclass
class Case:
    child: Child
    request: object
    advice: Advice


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def set_last_edit(child: Child, day: datetime.date) -> None:
    """Move every ``updated_at`` of the child's records back to ``day``
    (``auto_now`` would otherwise say they were all changed today)."""
    for record in registry.records():
        if "updated_at" in record.activity:
            record.rows_for([child.pk]).update(updated_at=_aware(day))


def old_case(
    area,
    *,
    born: datetime.date = BORN,
    last: datetime.date = LAST,
    names: tuple[str, str] = NAME,
    by=None,
) -> Case:
    """A child born ``born`` whose last activity was on ``last``, with one
    row of every ehc record type, all closed, an advice document on disk
    (MEDIA_ROOT), a provision row since deleted, and audit entries for all
    of it (acted by ``by``, default the area's officer)."""
    by = by or area.officer
    with acting_as(by):
        child = f.ChildFactory(
            local_authority=area.local_authority,
            given_name=names[0],
            family_name=names[1],
            nhs_number=NHS_NUMBER if names == NAME else "",
            la_reference="LA-OLD-1" if names == NAME else "",
            date_of_birth=born,
        )
        request = f.HealthAdviceRequestFactory(
            child=child,
            sent_on=last - datetime.timedelta(days=40),
            received_on=last - datetime.timedelta(days=39),
            status=RequestStatus.CLOSED,
            closed_on=last,
        )
        contribution = f.ContributionFactory(
            request=request,
            service=area.service,
            asked_on=request.received_on,
            returned_on=last - datetime.timedelta(days=5),
            outcome=Outcome.ADVICE_GIVEN,
        )
        advice = f.AdviceFactory(
            contribution=contribution,
            written_on=last - datetime.timedelta(days=6),
            child_views="Erin loves trains",
            document_name="Erin Oldrecord report.pdf",
        )
        advice.document.save("report.pdf", ContentFile(pdf_bytes("old advice")))
        f.ProvisionItemFactory(advice=advice)
        f.ProvisionItemFactory(advice=advice, description="Swimming with Erin").delete()
        f.QualityReviewFactory(
            advice=advice, reviewer=area.officer, reviewed_on=last, notes="Clear"
        )
        Section23Notice.objects.create(
            child=child,
            commissioning_body=area.body,
            professional_name="Health visitor",
            parent_told_on=born + datetime.timedelta(days=400),
        )
        ReviewInput.objects.create(
            child=child, meeting_on=last - datetime.timedelta(days=300), decision_on=last
        )
        MediationCase.objects.create(
            child=child, requested_on=last, health_issues="Therapy hours", outcome="Agreed"
        )
        TribunalCase.objects.create(
            child=child, registered_on=last, decision_on=last, health_issues="Therapy hours"
        )
        PersonalHealthBudget.objects.create(child=child, considered_on=last, outcome="agreed")
        plan = EHCPlan.objects.create(
            child=child, issued_on=request.received_on + datetime.timedelta(days=120)
        )
        plan.informed_by.add(request)
        PlanAudit.objects.create(
            plan=plan, auditor=area.officer, audited_on=plan.issued_on, needs_in_c="yes"
        )
        PlanProvision.objects.create(
            plan=plan,
            description="Physiotherapy programme",
            delivered_by="Community physiotherapy",
            checked_on=plan.issued_on,
        )
        f.EnquiryFactory(
            local_authority=area.local_authority,
            child=child,
            received_on=last,
            source="parent",
            enquirer_name="A parent",
            status="closed",
            advice_given="Explained the timescale",
        )
        Reminder.objects.create(
            recipient="service@example.org",
            kind="service",
            request=request,
            target=f"r{request.pk}",
            stage="overdue",
            due_on=last,
        )
        accessed.send(sender=Child, instance=child)
    set_last_edit(child, last)
    return Case(child=child, request=request, advice=advice)


def rows_of(child_pk: int) -> dict[str, int]:
    """Record type -> how many rows the child has of it."""
    return {record.label: record.rows_for([child_pk]).count() for record in registry.records()}


def prepare_export(child, by, capture):
    """Ask for ``child``'s subject access ZIP as ``by`` and build it in this
    process once the request commits (no broker in tests): ``capture`` is
    pytest-django's ``django_capture_on_commit_callbacks``. Returns the
    export, reloaded."""
    from governance import services

    with capture(execute=True):
        export = services.request_subject_access(child=child, by=by)
    export.refresh_from_db()
    return export
