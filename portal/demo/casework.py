"""Synthetic EHC casework for demonstrations and benchmarks.

Everything here is invented: names come from short lists of common first and
last names, NHS numbers are drawn only from the 999 range kept for test data
(each passes the modulus-11 check), and no record describes a real person.

Deterministic for a seed and a day: ``random.Random(seed)`` drives every
choice, and dates are laid out relative to ``today`` (by default
:func:`django.utils.timezone.localdate`) over the last 15 months, so the
worklist always looks current: some requests received in the last six weeks
and still awaiting advice, some overdue, most returned (about 70% of
contributions on time, some late with a reason, a few late under a lawful
reg 8(2) exception), some closed or withdrawn.

Rerunning (idempotency)
    Every demo child carries an LA reference starting ``DEMO-``. Each run
    first deletes every demo child and everything recorded about them (the
    requests, contributions, advice, reviews and other records), then
    creates the casework afresh. So a rerun never duplicates, the same seed
    and day give the same data, and a rerun on a later day moves the dates
    on. Children without the marker (entered by people) are never touched;
    anything people recorded *about a demo child* during a demonstration is
    deleted with it.

Rows are written with ``bulk_create`` (so ``save()`` does not run: the due
dates, statuses and quality scores that ``save()`` and the services would set
are set here, and the worklist's stored keys refreshed at the end), and
with audit logging disabled so that seeding does not write a log row per
record. A request for an annual or phase transfer review
is linked to a review record of the same child (written before the
requests), and its advice is due 2 weeks before that meeting.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import OfficerKind, Role
from commissioning.models import ChildPopulation, Service
from ehc import clock, quality
from ehc.identifiers import is_valid_nhs_number
from ehc.models import (
    Advice,
    BudgetOutcome,
    Child,
    Contribution,
    HealthAdviceRequest,
    LateReason,
    LeftOutstanding,
    MediationCase,
    Outcome,
    PersonalHealthBudget,
    Process,
    ProvisionItem,
    ProvisionSection,
    QualityReview,
    Reg8Exception,
    RequestStatus,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from ehc.services.urgency import refresh_all
from ehc.summary import rebuild_summary
from portal.demo import casework_content as content

DEMO_MARKER = "DEMO-"
HISTORY_DAYS = 456  # about 15 months
BATCH = 2000


@dataclass(frozen=True)
class CaseworkSize:
    requests_home: int  # per local authority of the first commissioning body
    requests_elsewhere: int  # per other local authority
    records_home: int  # of each other kind (s23, review, mediation...) per home LA


CASEWORK_SIZES = {
    "small": CaseworkSize(requests_home=30, requests_elsewhere=10, records_home=3),
    "medium": CaseworkSize(requests_home=60, requests_elsewhere=20, records_home=5),
    "large": CaseworkSize(requests_home=120, requests_elsewhere=40, records_home=8),
    "national": CaseworkSize(requests_home=240, requests_elsewhere=60, records_home=12),
}


def _name(rng: random.Random) -> str:
    return f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.LAST_NAMES)}"


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A random day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else start


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def nhs_number(rng: random.Random) -> str:
    """A random valid NHS number in the 999 range kept for test data."""
    while True:
        body = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        # At most one check digit is valid; none when the check would be 10.
        for check in "0123456789":
            if is_valid_nhs_number(body + check):
                return body + check


# --- Seeding ---------------------------------------------------------------------------


def delete_demo_casework() -> int:
    """Delete every demo child and everything recorded about them; the number of children."""
    children = Child.objects.filter(la_reference__startswith=DEMO_MARKER)
    requests = HealthAdviceRequest.objects.filter(child__in=children)
    ProvisionItem.objects.filter(advice__contribution__request__in=requests).delete()
    QualityReview.objects.filter(advice__contribution__request__in=requests).delete()
    Advice.objects.filter(contribution__request__in=requests).delete()
    Contribution.objects.filter(request__in=requests).delete()
    requests.delete()
    for model in (Section23Notice, ReviewInput, MediationCase, TribunalCase, PersonalHealthBudget):
        model.objects.filter(child__in=children).delete()
    deleted, _ = children.delete()
    return deleted


def seed_casework(
    organisations, *, seed: int, size: str, today: datetime.date | None = None
) -> dict:
    """Replace the demo casework for ``organisations``; counts of rows made by model name."""
    today = today or timezone.localdate()
    spec = CASEWORK_SIZES[size]
    with transaction.atomic(), disable_auditlog():
        delete_demo_casework()
        return _Seeder(organisations, spec, random.Random(seed), today).run()


class _Seeder:
    def __init__(self, organisations, spec: CaseworkSize, rng: random.Random, today):
        self.orgs = organisations
        self.spec = spec
        self.rng = rng
        self.today = today
        self.home_body = organisations.bodies[0]
        # Services covering each authority, in a stable order.
        self.services_by_la: dict[int, list[Service]] = {}
        by_pk = {s.pk: s for s in organisations.services}
        through = Service.local_authorities.through.objects.filter(service_id__in=by_pk).order_by(
            "localauthority_id", "service_id"
        )
        for row in through:
            self.services_by_la.setdefault(row.localauthority_id, []).append(by_pk[row.service_id])
        officers = list(
            User.objects.filter(role=Role.DESIGNATED_OFFICER, is_active=True)
            .order_by("email")
            .prefetch_related("local_authorities")
        )
        self.dco = next((u for u in officers if u.email == "dco@example.org"), None)
        self.officers_by_la: dict[int, list[User]] = {}
        for user in officers:
            for la in user.local_authorities.all():
                self.officers_by_la.setdefault(la.pk, []).append(user)
        # Numbers people already recorded are never reused.
        self.used_nhs = set(Child.objects.values_list("nhs_number", flat=True))
        self.children: list[Child] = []
        self.requests: list[HealthAdviceRequest] = []
        self.contributions: list[Contribution] = []
        self.advice: list[Advice] = []
        self.provision: list[ProvisionItem] = []
        self.reviews: list[QualityReview] = []
        self.records: dict[type, list] = {}
        latest = {}
        for la_id, year, children in ChildPopulation.objects.filter(
            local_authority__in=organisations.local_authorities
        ).values_list("local_authority_id", "year", "aged_0_17"):
            if year >= latest.get(la_id, (0, 0))[0]:
                latest[la_id] = (year, children)
        self.population = {la_id: children for la_id, (_, children) in latest.items()}
        self.mean_population = (
            sum(self.population.values()) / len(self.population) if self.population else 1
        )

    def run(self) -> dict:
        for la in self.orgs.local_authorities:
            home = getattr(la, "demo_body", None) == self.home_body
            self._authority(la, home)
        Child.objects.bulk_create(self.children, batch_size=BATCH)
        # Review records before the requests that link to them.
        reviews = self.records.pop(ReviewInput, [])
        ReviewInput.objects.bulk_create(reviews, batch_size=BATCH)
        HealthAdviceRequest.objects.bulk_create(self.requests, batch_size=BATCH)
        Contribution.objects.bulk_create(self.contributions, batch_size=BATCH)
        Advice.objects.bulk_create(self.advice, batch_size=BATCH)
        ProvisionItem.objects.bulk_create(self.provision, batch_size=BATCH)
        QualityReview.objects.bulk_create(self.reviews, batch_size=BATCH)
        # bulk_create skips the services: the worklist's stored keys are
        # computed here for every request whose keys are not yet right.
        refresh_all()
        rebuild_summary()  # the reports' summary store, likewise
        counts = {
            "children": len(self.children),
            "requests": len(self.requests),
            "contributions": len(self.contributions),
            "advice": len(self.advice),
            "provision": len(self.provision),
            "quality_reviews": len(self.reviews),
            "reviewinput": len(reviews),
        }
        for model, rows in self.records.items():
            model.objects.bulk_create(rows, batch_size=BATCH)
            counts[model._meta.model_name] = len(rows)
        counts["by_status"] = dict(Counter(str(r.status) for r in self.requests))
        return counts

    # --- One authority -----------------------------------------------------------

    def _authority(self, la, home: bool) -> None:
        rng = self.rng
        services = self.services_by_la.get(la.pk, [])
        base = self.spec.requests_home if home else self.spec.requests_elsewhere
        # Requests follow child population: an authority twice the average size
        # gets twice the requests.
        n_requests = max(5, round(base * self.population.get(la.pk, 1) / self.mean_population))
        officers = self.officers_by_la.get(la.pk, [])
        owner_pool = [u for u in officers if u.officer_kind == OfficerKind.DCO] or officers
        la_children: list[Child] = []
        first_request, first_contribution = len(self.requests), len(self.contributions)
        for i in range(n_requests):
            # About one child in six has a second request (say, a review after assessment).
            if la_children and rng.random() < 0.15:
                child = rng.choice(la_children)
            else:
                child = self._child(la, len(la_children) + 1)
                la_children.append(child)
            owner = rng.choice(owner_pool) if owner_pool and rng.random() < 0.9 else None
            self._request(la, child, services, owner, i + 1)
        if home:
            self._show_every_case(
                self.requests[first_request:], self.contributions[first_contribution:]
            )
            self._child_records(la_children, services)

    def _show_every_case(self, requests, contributions) -> None:
        """Make sure a home authority's worklist shows a withdrawn request and a
        reg 8(2) exception, whatever the seed."""
        if not any(r.status == RequestStatus.WITHDRAWN for r in requests):
            awaiting = [r for r in requests if r.status == RequestStatus.AWAITING]
            if awaiting:
                request = awaiting[-1]
                request.status = RequestStatus.WITHDRAWN
                request.closed_on = self.today
                request.notes = "Withdrawn: the LA decided not to assess."
                for c in contributions:
                    if c.request is request and c.returned_on is None:
                        c.left_outstanding = LeftOutstanding.WITHDRAWN
        if not any(c.exception for c in contributions):
            late = [c for c in contributions if c.late_reason]
            if late:
                c = late[0]
                c.late_reason = c.late_note = ""
                c.exception = Reg8Exception.MISSED_APPOINTMENT
                c.exception_evidence = content.EXCEPTION_EVIDENCE[c.exception]
                c.exception_on = c.request.received_on + _days(14)  # within the 6 weeks
                c.exception_recorded_by = self.dco
                c.exception_recorded_at = _noon(c.returned_on)

    def _child(self, la, number: int) -> Child:
        rng = self.rng
        age = _weighted(rng, content.AGE_WEIGHTS)
        # At least 3 months old, so a request can follow the birth.
        days_old = max(90, int(age * 365.25) + rng.randint(1, 364))
        date_of_birth = self.today - _days(days_old)
        if clock.over_age_limit(date_of_birth, self.today):
            date_of_birth += _days(2)
        while True:
            number_ = nhs_number(rng)
            if number_ not in self.used_nhs:
                self.used_nhs.add(number_)
                break
        child = Child(
            local_authority=la,
            nhs_number=number_,
            la_reference=f"{DEMO_MARKER}{la.gss_code}-{number:05d}",
            given_name=rng.choice(content.FIRST_NAMES),
            family_name=rng.choice(content.LAST_NAMES),
            date_of_birth=date_of_birth,
            primary_need=_weighted(rng, content.NEED_WEIGHTS),
            looked_after=rng.random() < 0.08,
            electively_home_educated=age >= 5 and rng.random() < 0.04,
            known_to_youth_justice=age >= 10 and rng.random() < 0.03,
        )
        self.children.append(child)
        return child

    def _request(self, la, child: Child, services: list[Service], owner, number: int) -> None:
        rng, today = self.rng, self.today
        # One request in five is inside its six weeks, so the worklist has work in it.
        recent = rng.random() < 0.2
        window = clock.HEALTH_ADVICE_WEEKS * 7 if recent else HISTORY_DAYS
        earliest = max(today - _days(window), child.date_of_birth + _days(60))
        received_on = _between(rng, min(earliest, today), today)
        process = _weighted(rng, content.PROCESS_WEIGHTS)
        # Review advice is due 2 weeks before the meeting (reg 20(4)): the
        # request is linked to the child's review record holding its date.
        review = self._review_for(child, process, received_on)
        due_on = clock.advice_due(process, received_on, review.meeting_on if review else None)
        request = HealthAdviceRequest(
            child=child,
            local_authority=la,
            la_reference=f"{DEMO_MARKER}R{la.gss_code[-4:]}-{number:05d}",
            process=process,
            sent_on=received_on - _days(rng.choice((0, 0, 1, 1, 2, 3, 5))),
            received_on=received_on,
            due_on=due_on,
            working_due_on=due_on,  # the stored worklist keys are refreshed after writing
            review=review,
            owner=owner,
            status=RequestStatus.AWAITING,
        )
        self.requests.append(request)
        withdrawn = rng.random() < 0.04
        contributions = [
            self._contribution(request, service)
            for service in self._pick_services(services, rng.choice((1, 1, 2, 2, 2, 3)))
        ]
        returned = [c.returned_on for c in contributions if c.returned_on]
        outstanding = len(returned) < len(contributions)
        if review is not None and contributions:
            review.service = contributions[0].service
            if not outstanding and not withdrawn:
                review.advice_sent_on = max(returned)
        if withdrawn:
            # Withdrawn part way: what was still outstanding stays unreturned.
            closed_on = _between(
                rng, min(received_on + _days(3), today), min(due_on + _days(30), today)
            )
            for c in contributions:
                if c.returned_on and c.returned_on > closed_on:
                    self._unreturn(c)
                if c.returned_on is None:
                    c.left_outstanding = LeftOutstanding.WITHDRAWN
            request.status = RequestStatus.WITHDRAWN
            request.closed_on = closed_on
            request.notes = "Withdrawn: the family moved out of the area."
        elif outstanding or not contributions:
            request.status = RequestStatus.AWAITING
        elif received_on < today - _days(140) and rng.random() < 0.45:
            # The plan was finalised (or a decision made): the request is closed.
            request.status = RequestStatus.CLOSED
            request.closed_on = _between(rng, max(returned) + _days(14), today)
        else:
            request.status = RequestStatus.RETURNED
        for c in contributions:
            self._advice(c)

    def _review_for(
        self, child: Child, process: str, received_on: datetime.date
    ) -> ReviewInput | None:
        """For an annual or phase transfer review request, the review record
        (meeting 4 to 10 weeks after health received the request, so the
        advice is due 2 to 8 weeks after it); None for other processes.
        Created before the requests that link to it (``run``)."""
        if process not in clock.REVIEW_PROCESSES:
            return None
        rng, today = self.rng, self.today
        meeting_on = received_on + _days(rng.randint(28, 70))
        invited_on = max(received_on, meeting_on - _days(rng.randint(14, 28)))
        review = ReviewInput(
            child=child,
            phase_transfer=process == Process.PHASE_TRANSFER,
            meeting_on=meeting_on,
            professional_name=_name(rng),
            invited_on=min(invited_on, today),
            attended=(rng.random() < 0.7) if meeting_on <= today else None,
        )
        self.records.setdefault(ReviewInput, []).append(review)
        return review

    def _pick_services(self, services: list[Service], n: int) -> list[Service]:
        pool = list(services)
        picked = []
        while pool and len(picked) < n:
            weights = [content.SERVICE_WEIGHTS.get(s.service_type, 1) for s in pool]
            choice = self.rng.choices(pool, weights=weights)[0]
            pool.remove(choice)
            picked.append(choice)
        return picked

    def _contribution(self, request: HealthAdviceRequest, service: Service) -> Contribution:
        rng, today = self.rng, self.today
        asked_on = min(request.received_on + _days(rng.choice((0, 0, 0, 1, 2, 4))), today)
        due_on = request.due_on
        c = Contribution(
            request=request,
            local_authority_id=request.local_authority_id,
            service=service,
            asked_on=asked_on,
            due_on=due_on,
            working_due_on=due_on,
        )
        if due_on >= today and rng.random() < 0.3:
            # Some officers ask for advice a week early, to check it in time.
            c.return_by = c.working_due_on = max(due_on - _days(7), asked_on)
        self.contributions.append(c)
        roll = rng.random()
        if due_on >= today:
            # Still inside the six weeks: the further in, the likelier it is back.
            elapsed = (today - request.received_on).days / (due_on - request.received_on).days
            if roll < 0.75 * elapsed:
                c.returned_on = _between(rng, asked_on + _days(7), today)
                c.returned_on = min(c.returned_on, today)
        elif roll < 0.72:
            c.returned_on = _between(rng, asked_on + _days(10), due_on)
        elif roll < 0.92:
            c.returned_on = min(due_on + _days(rng.randint(1, 45)), today)
            c.late_reason = rng.choice(LateReason.values)
            if c.late_reason == LateReason.OTHER or rng.random() < 0.6:
                c.late_note = content.LATE_NOTES[c.late_reason]
        elif roll < 0.96:
            c.returned_on = min(due_on + _days(rng.randint(7, 40)), today)
            c.exception = rng.choice(Reg8Exception.values)
            c.exception_evidence = content.EXCEPTION_EVIDENCE[c.exception]
            if c.exception != Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES:
                # The absence or missed appointment falls within the 6 weeks.
                c.exception_on = _between(rng, request.received_on + _days(7), due_on)
            c.exception_recorded_by = self.dco
            c.exception_recorded_at = _noon(c.returned_on)
        # else: overdue, still outstanding.
        if c.returned_on:
            c.outcome = _weighted(
                rng,
                [
                    (Outcome.ADVICE_GIVEN, 78),
                    (Outcome.NO_HEALTH_NEEDS, 10),
                    (Outcome.NOT_KNOWN, 9),
                    (Outcome.DECLINED, 3),
                ],
            )
            if c.outcome == Outcome.DECLINED:
                c.declined_reason = rng.choice(content.DECLINED)
        return c

    @staticmethod
    def _unreturn(c: Contribution) -> None:
        c.returned_on = None
        c.outcome = c.declined_reason = c.late_reason = c.late_note = ""
        c.exception = c.exception_evidence = ""
        c.exception_recorded_by = c.exception_recorded_at = c.exception_on = None

    def _advice(self, c: Contribution) -> None:
        if c.outcome != Outcome.ADVICE_GIVEN:
            return
        rng = self.rng
        written_on = max(c.asked_on, c.returned_on - _days(rng.choice((0, 0, 1, 2, 5))))
        service_type = c.service.service_type
        advice = Advice(
            contribution=c,
            written_on=written_on,
            author_name=_name(rng),
            author_profession=content.PROFESSIONS.get(service_type, "Health professional"),
            needs=rng.choice(content.NEEDS),
            outcomes=rng.choice(content.OUTCOMES).format(y=rng.randint(1, 11)),
            child_views=rng.choice(content.VIEWS),
        )
        self.advice.append(advice)
        options = content.PROVISION.get(service_type, []) + content.GENERAL_PROVISION
        for position, row in enumerate(rng.sample(options, rng.randint(1, 3))):
            description, delivered_by, frequency, duration, section = row
            self.provision.append(
                ProvisionItem(
                    advice=advice,
                    position=position,
                    description=description,
                    delivered_by=delivered_by,
                    frequency=frequency,
                    duration=duration,
                    section=ProvisionSection(section),
                    available=rng.random() >= 0.12,  # a service gap
                )
            )
        if rng.random() < 0.5 and self.dco is not None:
            chance = rng.choice((0.55, 0.75, 0.9, 0.95))
            review = QualityReview(
                advice=advice,
                reviewer=self.dco,
                reviewed_on=_between(
                    rng, c.returned_on, min(c.returned_on + _days(30), self.today)
                ),
                **{name: rng.random() < chance for name, _, _ in quality.QUALITY_CRITERIA},
            )
            review.set_score()  # bulk-created: save() does not run
            if review.score < len(quality.QUALITY_CRITERIA):
                review.notes = "Please quantify the provision and separate needs from outcomes."
            self.reviews.append(review)

    # --- Records beyond the request (home authorities only) -----------------------

    def _child_records(self, children: list[Child], services: list[Service]) -> None:
        rng, today, n = self.rng, self.today, self.spec.records_home
        add = self.records.setdefault
        providers = [
            p for p in self.orgs.providers if p.ods_code.startswith(self.home_body.ods_code)
        ]

        young = [c for c in children if clock.under_compulsory_school_age(c.date_of_birth, today)]
        for child in rng.sample(young, min(n, len(young))):
            told = _between(rng, max(child.date_of_birth + _days(30), today - _days(300)), today)
            by_trust = bool(providers) and rng.random() < 0.8
            add(Section23Notice, []).append(
                Section23Notice(
                    child=child,
                    provider=rng.choice(providers) if by_trust else None,
                    commissioning_body=None if by_trust else self.home_body,
                    professional_name=_name(rng),
                    professional_role=rng.choice(("Health visitor", "Community paediatrician")),
                    parent_told_on=told,
                    discussion_offered=rng.random() < 0.85,
                    la_notified_on=(
                        min(told + _days(rng.randint(0, 21)), today) if rng.random() < 0.8 else None
                    ),
                    voluntary_organisation=rng.choice(content.VOLUNTARY),
                )
            )

        for child in rng.sample(children, min(n, len(children))):
            meeting_on = _between(rng, _since(child, today, 180), today + _days(60))
            invited_on = meeting_on - _days(rng.randint(7, 35))
            held = meeting_on <= today
            service = rng.choice(services) if services else None
            add(ReviewInput, []).append(
                ReviewInput(
                    child=child,
                    phase_transfer=rng.random() < 0.25,
                    meeting_on=meeting_on,
                    service=service,
                    professional_name=_name(rng),
                    invited_on=min(invited_on, today),
                    attended=(rng.random() < 0.7) if held else None,
                    advice_sent_on=(
                        min(meeting_on - _days(rng.randint(-5, 20)), today)
                        if rng.random() < 0.75 and meeting_on - _days(20) <= today
                        else None
                    ),
                )
            )

        for child in rng.sample(children, min(n, len(children))):
            requested_on = _between(rng, _since(child, today, 300), today - _days(5))
            notified = requested_on + _days(rng.choice((0, 1, 2, 3, 3, 4, 6)))
            health_only = rng.random() < 0.3
            add(MediationCase, []).append(
                MediationCase(
                    child=child,
                    requested_on=requested_on,
                    body_notified_on=min(notified, today),
                    health_only=health_only,
                    arranged_on=(
                        min(notified + _days(rng.randint(10, 40)), today)
                        if rng.random() < 0.6
                        else None
                    ),
                    health_issues=rng.choice(content.ISSUES),
                    outcome=rng.choice(("", "Agreed to add quantified SLT to section F.")),
                )
            )

        for child in rng.sample(children, min(max(1, n // 2), len(children))):
            registered_on = _between(rng, _since(child, today, 400), today - _days(30))
            decided = registered_on + _days(rng.randint(90, 200))
            decision_on = decided if decided <= today else None
            received = (
                min(decision_on + _days(rng.randint(3, 14)), today)
                if decision_on and rng.random() < 0.7
                else None
            )
            response = received + _days(rng.randint(10, 45)) if received else None
            add(TribunalCase, []).append(
                TribunalCase(
                    child=child,
                    registered_on=registered_on,
                    decision_on=decision_on,
                    health_issues=rng.choice(content.ISSUES),
                    recommendations=(
                        "The commissioning body should review access to occupational therapy."
                        if received
                        else ""
                    ),
                    recommendations_received_on=received,
                    response_sent_on=response if response and response <= today else None,
                )
            )

        for child in rng.sample(children, min(n, len(children))):
            add(PersonalHealthBudget, []).append(
                PersonalHealthBudget(
                    child=child,
                    considered_on=_between(rng, _since(child, today, 365), today),
                    continuing_care=rng.random() < 0.2,
                    outcome=rng.choice(BudgetOutcome.values),
                )
            )


def _since(child: Child, today: datetime.date, days: int) -> datetime.date:
    """``days`` ago, but not before the child was a month old."""
    return max(today - _days(days), child.date_of_birth + _days(30))


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
