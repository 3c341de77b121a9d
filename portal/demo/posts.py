"""Demo designated officer posts, in the proportions of the national survey.

docs/domain.md, "Who is who" and "The role" (NCB survey, 2018-19):

- delivery model per area: DCO only 53%, both 28%, DMO only 16%, other 3%
  (here: none);
- contracted time a week: DMO under half a day 10.5%, half a day 31.6%,
  1 day 47.4%, 2 days 5.3%; DCO half a day 2%, 1 day 14%, 2 days 20%,
  3 days 8%, 4 days 14%, 5 days 30%.

So about four in ten demo DMO posts fall below the model job description's
2 PAs, as they did nationally. About one post in ten is vacant. The demo DCO
and DMO accounts hold the posts of the first demo area (always "both"),
with committees, training, CPD and an appraisal on record; other posts
get synthetic holders who cannot sign in. The first DMO post that covers
more children than the minimum allows for (in the order of the areas) has
a local agreement on its time recorded, at its funded PAs, so the demo
shows an agreement clearing the "needs additional time" flag (the small
demo's posts are all within the baseline, so it has none).

Demo posts are those covering a demo local authority; each run replaces
them, so anything recorded against them during a demo is lost on the next
``make run`` (as with demo casework).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import OfficerKind, Role
from roles import selectors, services
from roles.models import (
    BoardKind,
    CommissioningModel,
    CPDEntry,
    JobTemplate,
    Membership,
    Post,
    TemplateKind,
    TemplateStatus,
    TrainingSession,
)

DEMO_HOLDER_DOMAIN = "holders.example.org"

DELIVERY_MODELS = [(("dco",), 53), (("dco", "dmo"), 28), (("dmo",), 16), ((), 3)]
# Days a week -> PAs (a day is 2 PAs), weighted by the survey.
DMO_TIME = [(Decimal("0.5"), 10.5), (Decimal("1"), 31.6), (Decimal("2"), 47.4), (Decimal("4"), 5.3)]
DCO_TIME = [
    (Decimal("1"), 2),
    (Decimal("2"), 14),
    (Decimal("4"), 20),
    (Decimal("6"), 8),
    (Decimal("8"), 14),
    (Decimal("10"), 30),
]
COMMISSIONING = [
    (CommissioningModel.SINGLE_BODY, 55),
    (CommissioningModel.PROVIDER_SLA, 25),
    (CommissioningModel.BODY_AND_LA, 20),
]
VACANCY_RATE = 0.1
_FIRST = ["Alex", "Sam", "Jo", "Priya", "Tom", "Nia", "Omar", "Ruth", "Ken", "Maya", "Ifeoma"]
_LAST = ["Hughes", "Patel", "Okafor", "Reid", "Walsh", "Khan", "Evans", "Lowe", "Shah", "Boyd"]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def delete_demo_posts(local_authorities) -> None:
    ids = [la.pk for la in local_authorities]
    Post.objects.filter(local_authorities__in=ids).delete()


def _templates() -> dict[str, JobTemplate]:
    published = JobTemplate.objects.filter(status=TemplateStatus.PUBLISHED).order_by(
        "family", "-version"
    )
    by_kind: dict[str, JobTemplate] = {}
    for template in published:
        by_kind.setdefault(template.kind, template)
    combined = by_kind.get(TemplateKind.COMBINED)
    return {
        "dmo": by_kind.get(TemplateKind.DMO) or combined,
        "dco": by_kind.get(TemplateKind.DCO) or combined,
    }


def seed_posts(organisations, *, seed: int, today: datetime.date | None = None) -> dict:
    """Replace the demo posts for ``organisations``; returns counts."""
    today = today or timezone.localdate()
    rng = random.Random(f"posts:{seed}")
    templates = _templates()
    if not templates["dmo"] or not templates["dco"]:
        return {"posts": 0, "vacant": 0}
    demo_dco = User.objects.filter(email="dco@example.org").first()
    demo_dmo = User.objects.filter(email="dmo@example.org").first()
    counts = {"posts": 0, "vacant": 0, "under_minimum": 0}
    with transaction.atomic(), disable_auditlog():
        delete_demo_posts(organisations.local_authorities)
        for index, la in enumerate(organisations.local_authorities):
            body = la.demo_body
            model = ("dco", "dmo") if index == 0 else _pick(rng, DELIVERY_MODELS)
            for role in model:
                if index == 0:
                    holder = demo_dco if role == "dco" else demo_dmo
                    vacant = holder is None
                else:
                    vacant = rng.random() < VACANCY_RATE
                    holder = None if vacant else _holder(rng, la, role)
                pas = _pick(rng, DMO_TIME if role == "dmo" else DCO_TIME)
                if index == 0 and role == "dmo":
                    pas = Decimal("2")
                commissioning = _pick(rng, COMMISSIONING)
                employer = {
                    CommissioningModel.SINGLE_BODY: body.name,
                    CommissioningModel.PROVIDER_SLA: "Local community health trust",
                    CommissioningModel.BODY_AND_LA: body.name,
                }[commissioning]
                label = (
                    "Designated Medical Officer" if role == "dmo" else "Designated Clinical Officer"
                )
                post = Post.objects.create(
                    role=role,
                    title=f"{label} for SEND, {la.name.removesuffix(' Council')}",
                    commissioning_model=commissioning,
                    employer=employer,
                    accountable_to=f"Director of Nursing and Quality, {body.name}",
                    holder=holder,
                    start_date=datetime.date(today.year - rng.randint(1, 6), 4, 1),
                    pas_per_week=pas,
                    template=templates[role],
                    clinical_supervision="Monthly with the named doctor or nurse lead."
                    if rng.random() < 0.8
                    else "",
                    managerial_supervision="Quarterly with the ICB's SEND lead.",
                    administrative_support="Half a day a week from the ICB's SEND team."
                    if rng.random() < 0.6
                    else "",
                    last_appraisal_on=None
                    if vacant
                    else today - datetime.timedelta(days=rng.randint(30, 480)),
                )
                post.local_authorities.set([la])
                post.commissioning_bodies.set([body])
                counts["posts"] += 1
                counts["vacant"] += int(vacant)
                counts["under_minimum"] += int(role == "dmo" and pas < 2)
                if not vacant:
                    _record(post, rng, today, full=index == 0)
        counts["agreed"] = _record_one_agreement(organisations.local_authorities, today=today)
    return counts


def _record_one_agreement(local_authorities, *, today: datetime.date) -> int:
    """Record a local agreement on the first demo DMO post that needs
    additional time; returns how many were recorded (0 or 1). Draws nothing
    from the random stream, so the rest of the demo is unchanged."""
    dmo_posts = Post.objects.filter(role="dmo", local_authorities__in=local_authorities)
    order = {la.pk: n for n, la in enumerate(local_authorities)}
    summaries = sorted(
        selectors.posts_with_assessment(dmo_posts.distinct(), on=today),
        key=lambda s: min(order[la.pk] for la in s.post.local_authorities.all()),
    )
    summary = next((s for s in summaries if s.assessment.needs_additional_time), None)
    if summary is None:
        return 0
    post, body = summary.post, summary.body_names[0]
    provider = post.employer if post.employer != body else "Local community health trust"
    services.record_local_agreement(
        post=post,
        by=None,
        local_agreement_on=post.start_date or today,
        local_agreement_parties=f"{body} and {provider}",
        # Demo DMO posts have at least half a PA (DMO_TIME), so this is > 0.
        local_agreement_pas=post.pas_per_week,
    )
    return 1


def _holder(rng: random.Random, la, role: str) -> User:
    email = f"{role}.{la.gss_code.lower()}@{DEMO_HOLDER_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
        user.set_unusable_password()
    user.full_name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    user.role = Role.DESIGNATED_OFFICER
    user.officer_kind = OfficerKind.DMO if role == "dmo" else OfficerKind.DCO
    user.job_title = (
        "Designated Medical Officer" if role == "dmo" else "Designated Clinical Officer"
    )
    user.commissioning_body = la.demo_body
    user.is_active = True
    user.save()
    user.local_authorities.set([la])
    return user


def _record(post: Post, rng: random.Random, today: datetime.date, *, full: bool) -> None:
    boards = [
        (BoardKind.SEND_PARTNERSHIP, "Local area SEND partnership board", "Member"),
        (BoardKind.HEALTH_SEND_GROUP, "Health SEND working group", "Chair"),
        (BoardKind.PANEL, "EHC needs assessment panel", "Health adviser"),
        (BoardKind.HEALTH_WELLBEING, "Health and Wellbeing Board", "Adviser"),
    ]
    for kind, name, role in boards[: 4 if full else rng.randint(1, 3)]:
        Membership.objects.create(
            post=post,
            kind=kind,
            name=name,
            role_on_board=role,
            since=datetime.date(today.year - rng.randint(1, 4), rng.randint(1, 12), 1),
        )
    topics = [
        ("Writing useful health advice for EHC plans", "Community paediatricians"),
        ("The SEND Code of Practice for GPs", "GP trainees"),
        ("Section 23 notifications", "Health visitors"),
        ("Outcomes and provision: sections F and G", "Therapists"),
    ]
    for title, audience in topics[: 4 if full else rng.randint(0, 3)]:
        TrainingSession.objects.create(
            post=post,
            title=title,
            audience=audience,
            delivered_on=today - datetime.timedelta(days=rng.randint(10, 360)),
            attendees=rng.randint(6, 60),
        )
    for n in range(3 if full else rng.randint(0, 4)):
        CPDEntry.objects.create(
            post=post,
            activity=["Regional DCO/DMO network day", "SEND law update", "Peer review"][n % 3],
            completed_on=today - datetime.timedelta(days=rng.randint(5, 200)),
            points=Decimal(rng.choice(["0.5", "1", "1.5", "2"])),
        )
