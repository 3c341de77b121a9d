"""Demo enquiries: a few months of questions to each demo area's designated
officers (docs/enquiries.md), some about demo children, most answered and
closed, a few open with follow-ups overdue, due today and ahead, so the
worklist and the digest have something to show. Deterministic for a seed."""

from __future__ import annotations

import datetime
import random

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from ehc.models import Child
from enquiries.models import Enquiry, EnquirySource, EnquiryStatus, EnquiryTopic
from portal.demo.casework import DEMO_MARKER

PER_AUTHORITY = 14
DAYS_BACK = 180

# (source, organisation, topic, question, advice): synthetic, naming nobody.
SAMPLES = [
    (
        EnquirySource.SCHOOL,
        "Demo Primary School",
        EnquiryTopic.MEDICAL_CONDITIONS,
        "Who trains staff to give an adrenaline auto-injector?",
        "The school nursing team trains staff each term; booked for next month.",
    ),
    (
        EnquirySource.PARENT,
        "",
        EnquiryTopic.EHC_PROCESS,
        "When will health advice be sent for the needs assessment?",
        "Explained the 6-week timescale and checked which services have been asked.",
    ),
    (
        EnquirySource.LOCAL_AUTHORITY,
        "SEND assessment team",
        EnquiryTopic.HEALTH_PROVISION,
        "Is speech and language therapy specified in the right section of the plan?",
        "Advised that therapy educating or training a child belongs in section F.",
    ),
    (
        EnquirySource.GP,
        "Demo Medical Practice",
        EnquiryTopic.SECTION_23,
        "Should a practice tell the LA about a pre-school child with a diagnosis?",
        "Explained Section 23 notification and the parent's right to be told first.",
    ),
    (
        EnquirySource.PRACTITIONER,
        "Community paediatrics",
        EnquiryTopic.TRANSITION,
        "Which adult services take over at 18 for a young person with an EHC plan?",
        "Shared the preparing-for-adulthood pathway and the adult team's contact.",
    ),
    (
        EnquirySource.PARENT,
        "",
        EnquiryTopic.COMPLAINT,
        "The therapy in the plan has not started after three months.",
        "Raised with the provider's service lead; asked for a start date.",
    ),
    (
        EnquirySource.SCHOOL,
        "Demo Academy",
        EnquiryTopic.TRAINING,
        "Can health staff join our INSET day on writing outcomes?",
        "Agreed to send a DCO to the afternoon session.",
    ),
    (
        EnquirySource.OTHER,
        "Parent carer forum",
        EnquiryTopic.OTHER,
        "Can the forum see the area's timeliness figures?",
        "Pointed them to the published annual report.",
    ),
]


def delete_demo_enquiries(local_authorities) -> int:
    """Delete every enquiry in the demo ``local_authorities``; how many."""
    deleted, _ = Enquiry.objects.filter(local_authority__in=local_authorities).delete()
    return deleted


def seed_enquiries(organisations, *, seed: int, today: datetime.date | None = None) -> int:
    """Replace the demo enquiries of ``organisations``' local authorities;
    the number made. Children are demo children of the same authority."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    made = []
    with transaction.atomic(), disable_auditlog():
        delete_demo_enquiries(organisations.local_authorities)
        for la in organisations.local_authorities:
            officers = list(
                User.objects.filter(
                    role=Role.DESIGNATED_OFFICER, is_active=True, local_authorities=la
                ).order_by("email")
            )
            children = list(
                Child.objects.filter(
                    local_authority=la, la_reference__startswith=DEMO_MARKER
                ).order_by("pk")[:50]
            )
            for n in range(PER_AUTHORITY):
                made.append(_enquiry(la, n, rng, today, officers, children))
        Enquiry.objects.bulk_create(made)
    return len(made)


def _enquiry(la, n: int, rng: random.Random, today, officers, children) -> Enquiry:
    source, organisation, topic, question, advice = SAMPLES[n % len(SAMPLES)]
    received = today - datetime.timedelta(days=rng.randint(0, DAYS_BACK))
    # The first three of each area are open: a follow-up overdue, one due today, one ahead.
    if n < 3:
        status = EnquiryStatus.WAITING if n == 0 else EnquiryStatus.OPEN
        received = min(received, today - datetime.timedelta(days=7))
        follow_up = today + datetime.timedelta(days=(-3, 0, 10)[n])
        advice = "" if n == 2 else advice
    else:
        status, follow_up = EnquiryStatus.CLOSED, None
    child = None
    if children and source in (EnquirySource.PARENT, EnquirySource.PRACTITIONER):
        child = rng.choice(children)
    return Enquiry(
        local_authority=la,
        child=child,
        received_on=received,
        source=source,
        organisation=organisation,
        enquirer_name="Demo parent" if source == EnquirySource.PARENT else "",
        topic=topic,
        question=question,
        advice_given=advice,
        minutes_spent=rng.choice((10, 15, 20, 30, 45, 60, 90)),
        follow_up_on=follow_up,
        status=status,
        created_by=rng.choice(officers) if officers else None,
    )
