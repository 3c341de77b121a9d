"""Reads for the roles app: job descriptions, version comparison, the
post-holder's record and area resourcing. No writes here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet, Sum, prefetch_related_objects

from commissioning.models import CommissioningBody, CommissioningLink, LocalAuthority
from commissioning.selectors import latest_populations
from core.periods import financial_year_start
from roles import pa_policy, survey
from roles.models import (
    AppliesTo,
    CriterionCategory,
    Duty,
    DutyChangeKind,
    JobTemplate,
    PAPolicySettings,
    Post,
    PostDutyChange,
    Requirement,
    SectionArea,
    TemplateSection,
)

# --- Job descriptions -----------------------------------------------------------------


@dataclass
class DutyLine:
    text: str
    applies_to: str
    applies_label: str
    change: str = ""  # "", "added" or "reworded"


@dataclass
class SectionView:
    title: str
    introduction: str
    duties: list[DutyLine]


@dataclass
class CriterionRow:
    text: str
    dco: bool
    dmo: bool
    essential: bool


@dataclass
class CategoryView:
    label: str
    rows: list[CriterionRow]


@dataclass
class JobDescription:
    template: JobTemplate
    sections: list[SectionView]
    person_specification: list[CategoryView]
    post: Post | None = None
    removed: list[str] = field(default_factory=list)

    @property
    def duty_count(self) -> int:
        return sum(len(s.duties) for s in self.sections)


def _template_with_contents(template_id: int) -> JobTemplate:
    return JobTemplate.objects.prefetch_related(
        Prefetch(
            "sections",
            queryset=TemplateSection.objects.prefetch_related(
                Prefetch("duties", queryset=Duty.objects.order_by("order", "pk"))
            ).order_by("order", "pk"),
        ),
        "criteria",
    ).get(pk=template_id)


def _person_specification(template: JobTemplate, role: str | None) -> list[CategoryView]:
    wanted = AppliesTo.for_role(role) if role else None
    by_category: dict[str, list[CriterionRow]] = defaultdict(list)
    for criterion in template.criteria.all():
        if wanted and criterion.applies_to not in wanted:
            continue
        by_category[criterion.category].append(
            CriterionRow(
                text=criterion.text,
                dco=criterion.applies_to in (AppliesTo.BOTH, AppliesTo.DCO),
                dmo=criterion.applies_to in (AppliesTo.BOTH, AppliesTo.DMO),
                essential=criterion.requirement == Requirement.ESSENTIAL,
            )
        )
    return [
        CategoryView(label=label, rows=by_category[value])
        for value, label in CriterionCategory.choices
        if by_category[value]
    ]


def template_outline(template: JobTemplate) -> JobDescription:
    """A template's job description with every duty and its DCO/DMO marking."""
    template = _template_with_contents(template.pk)
    sections = [
        SectionView(
            title=section.title,
            introduction=section.introduction,
            duties=[
                DutyLine(d.text, d.applies_to, d.get_applies_to_display())
                for d in section.duties.all()
            ],
        )
        for section in template.sections.all()
    ]
    return JobDescription(
        template=template,
        sections=sections,
        person_specification=_person_specification(template, None),
    )


def post_job_description(post: Post) -> JobDescription:
    """The post's job description: the template version's duties for the
    post's role, with the post's local changes applied (removed duties left
    out, reworded ones replaced, added ones at the end of their section)."""
    template = _template_with_contents(post.template_id)
    changes = list(post.duty_changes.all())
    by_duty = {c.duty_id: c for c in changes if c.duty_id}
    added: dict[str, list[PostDutyChange]] = defaultdict(list)
    for change in changes:
        if change.kind == DutyChangeKind.ADDED:
            added[change.section_area].append(change)
    wanted = AppliesTo.for_role(post.role)
    removed: list[str] = []
    sections: list[SectionView] = []
    seen_areas: set[str] = set()
    for section in template.sections.all():
        lines: list[DutyLine] = []
        for duty in section.duties.all():
            if duty.applies_to not in wanted:
                continue
            change = by_duty.get(duty.pk)
            if change and change.kind == DutyChangeKind.REMOVED:
                removed.append(duty.text)
                continue
            if change and change.kind == DutyChangeKind.REWORDED:
                lines.append(
                    DutyLine(
                        change.text, duty.applies_to, duty.get_applies_to_display(), "reworded"
                    )
                )
            else:
                lines.append(DutyLine(duty.text, duty.applies_to, duty.get_applies_to_display()))
        if section.area not in seen_areas:
            seen_areas.add(section.area)
            for change in added.get(section.area, []):
                lines.append(DutyLine(change.text, post.role, "Local", "added"))
        if lines or section.introduction:
            sections.append(SectionView(section.title, section.introduction, lines))
    # Added duties for an area the template has no section for get one.
    for area, items in added.items():
        if area not in seen_areas:
            sections.append(
                SectionView(
                    SectionArea(area).label,
                    "",
                    [DutyLine(c.text, post.role, "Local", "added") for c in items],
                )
            )
    return JobDescription(
        template=template,
        sections=sections,
        person_specification=_person_specification(template, post.role),
        post=post,
        removed=removed,
    )


# --- Comparing two versions -----------------------------------------------------------


@dataclass
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    where: str
    before: str = ""
    after: str = ""


def compare_templates(old: JobTemplate, new: JobTemplate) -> list[ItemChange]:
    """What changed from ``old`` to ``new``: sections, then duties, then
    person specification criteria, matched on the keys that copies keep
    (each group: added and changed in ``new``'s order, then removed).
    :func:`old_and_new` says which of two versions is ``old``."""
    old = _template_with_contents(old.pk)
    new = _template_with_contents(new.pk)
    out: list[ItemChange] = []
    _diff(
        out,
        {s.key: s for s in old.sections.all()},
        {s.key: s for s in new.sections.all()},
        label=lambda s: "Section",
        name=lambda s: s.title,
        text=_section_text,
    )
    # Match duties on their own key, whichever section they now sit in.
    _diff(
        out,
        {d.key: (s, d) for s in old.sections.all() for d in s.duties.all()},
        {d.key: (s, d) for s in new.sections.all() for d in s.duties.all()},
        label=lambda sd: f"Duty in {sd[0].title}",
        name=lambda sd: _duty_text(sd[1]),
        text=lambda sd: f"{_duty_text(sd[1])} [{sd[0].title}]",
        same=lambda a, b: (_duty_text(a[1]), a[0].key) == (_duty_text(b[1]), b[0].key),
    )
    _diff(
        out,
        {c.key: c for c in old.criteria.all()},
        {c.key: c for c in new.criteria.all()},
        label=lambda c: f"Person specification: {c.get_category_display()}",
        name=_criterion_text,
        text=_criterion_text,
    )
    return out


def _diff(out, old: dict, new: dict, *, label, name, text, same=None) -> None:
    """Append to ``out`` the items added to, changed in and removed from
    ``new`` against ``old`` (both keyed by item key). ``name`` shows an
    added or removed item, ``text`` both sides of a changed one; ``same``
    (default: equal ``text``) decides whether an item changed."""
    same = same or (lambda a, b: text(a) == text(b))
    for key, item in new.items():
        if key not in old:
            out.append(ItemChange("added", label(item), after=name(item)))
        elif not same(old[key], item):
            out.append(ItemChange("changed", label(item), before=text(old[key]), after=text(item)))
    for key, item in old.items():
        if key not in new:
            out.append(ItemChange("removed", label(item), before=name(item)))


def default_comparison_id(template: JobTemplate) -> int | None:
    """The pk of what to compare ``template`` with when nobody chose: the
    version it was copied from, else the one before it in its family; None
    for a first version that is no copy."""
    if template.based_on_id:
        return template.based_on_id
    return (
        JobTemplate.objects.filter(family=template.family, version__lt=template.version)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


def old_and_new(a: JobTemplate, b: JobTemplate) -> tuple[JobTemplate, JobTemplate]:
    """``(old, new)`` for :func:`compare_templates`: which of two versions
    counts as the old one. In one family the lower version; across families
    the source of a copy, otherwise the one created first."""
    if a.family == b.family:
        return (a, b) if a.version < b.version else (b, a)
    if a.based_on_id == b.pk:
        return b, a
    if b.based_on_id == a.pk:
        return a, b
    return (a, b) if (a.created_at, a.pk) <= (b.created_at, b.pk) else (b, a)


def _section_text(s: TemplateSection) -> str:
    return f"{s.title} (position {s.order})" + (f": {s.introduction}" if s.introduction else "")


def _duty_text(d: Duty) -> str:
    return f"{d.text} ({d.get_applies_to_display()})"


def _criterion_text(c) -> str:
    return (
        f"{c.text} ({c.get_category_display()}, {c.get_applies_to_display()}, "
        f"{c.get_requirement_display().lower()})"
    )


# --- Posts ----------------------------------------------------------------------------


def posts_covering(
    *,
    local_authority_ids=None,
    body_id: int | None = None,
    on: datetime.date | None = None,
    during: tuple[datetime.date, datetime.date] | None = None,
) -> QuerySet[Post]:
    """The one answer to "which posts cover this scope": posts covering any
    of ``local_authority_ids`` (an iterable of LA ids, or a subquery) or
    advising the commissioning body ``body_id``, each post once.

    ``on`` keeps the posts current on that date; ``during`` (start, end,
    inclusive) those current at any time in that period; with neither, posts
    of any date. An empty scope (no ids and no body) covers no post. The
    result is an unevaluated queryset, so callers add their own
    ``select_related`` or ``values``."""
    covers = Q()
    if local_authority_ids is not None:
        covers |= Q(local_authorities__in=local_authority_ids)
    if body_id is not None:
        covers |= Q(commissioning_bodies=body_id)
    if not covers:
        return Post.objects.none()
    posts = Post.objects.all()
    if on is not None:
        posts = posts.active_on(on)
    if during is not None:
        posts = posts.active_during(*during)
    return posts.filter(covers).distinct()


@dataclass
class PostSummary:
    post: Post
    children: int
    local_authority_names: list[str]
    body_names: list[str]
    assessment: pa_policy.Assessment

    @property
    def time(self) -> str:
        return pa_policy.describe_time(self.post.pas_per_week)


def _load_posts(posts) -> list[Post]:
    """Posts with what a summary needs, from a queryset or loaded objects."""
    if isinstance(posts, QuerySet):
        return list(
            posts.select_related("holder", "template").prefetch_related(
                "local_authorities", "commissioning_bodies"
            )
        )
    posts = list(posts)
    prefetch_related_objects(posts, "local_authorities", "commissioning_bodies")
    return posts


def _populations(la_ids, *, on, settings) -> dict[int, int]:
    return latest_populations(
        la_ids, on=on, include_young_people=settings.population_includes_young_people
    )


def posts_with_assessment(
    posts,
    *,
    on: datetime.date,
    settings: PAPolicySettings | None = None,
    populations: dict[int, int] | None = None,
) -> list[PostSummary]:
    """Each post with its coverage and PA assessment, in a fixed number of
    queries whatever the number of posts. ``posts`` is a queryset or loaded
    posts; pass ``populations`` when the caller already read them."""
    settings = settings or PAPolicySettings.current()
    policy = settings.as_policy()
    posts = _load_posts(posts)
    if populations is None:
        la_ids = {la.pk for p in posts for la in p.local_authorities.all()}
        populations = _populations(la_ids, on=on, settings=settings)
    out = []
    for post in posts:
        las = list(post.local_authorities.all())
        bodies = list(post.commissioning_bodies.all())
        children = sum(populations.get(la.pk, 0) for la in las)
        facts = pa_policy.PostFacts(
            role=post.role,
            pas_per_week=post.pas_per_week,
            children=children,
            local_authorities=len(las),
            commissioning_bodies=len(bodies),
            vacant=post.is_vacant,
            agreed_pas=post.local_agreement_pas,
        )
        out.append(
            PostSummary(
                post=post,
                children=children,
                local_authority_names=[la.name for la in las],
                body_names=[b.name for b in bodies],
                assessment=pa_policy.assess(facts, policy),
            )
        )
    return out


@dataclass
class HolderRecord:
    cpd_points: Decimal
    cpd_target: Decimal
    year_start: datetime.date
    appraisal_due_on: datetime.date | None
    appraisal_overdue: bool

    @property
    def cpd_short(self) -> bool:
        return self.cpd_points < self.cpd_target

    @property
    def cpd_shortfall(self) -> Decimal:
        return max(self.cpd_target - self.cpd_points, Decimal("0"))


def holder_record(
    post: Post, *, on: datetime.date, settings: PAPolicySettings | None = None
) -> HolderRecord:
    """CPD this financial year against the target, and whether the
    appraisal is overdue (never appraised counts as overdue)."""
    settings = settings or PAPolicySettings.current()
    start = financial_year_start(on)
    points = post.cpd_entries.filter(completed_on__gte=start, completed_on__lte=on).aggregate(
        total=Sum("points")
    )["total"] or Decimal("0")
    due = (
        post.last_appraisal_on + relativedelta(months=settings.appraisal_interval_months)
        if post.last_appraisal_on
        else None
    )
    overdue = not post.is_vacant and (due is None or due < on)
    return HolderRecord(
        cpd_points=points,
        cpd_target=settings.cpd_points_target,
        year_start=start,
        appraisal_due_on=due,
        appraisal_overdue=overdue,
    )


# --- Area resourcing ------------------------------------------------------------------

DELIVERY_MODELS = {
    frozenset(): "None",
    frozenset({"dco"}): "DCO only",
    frozenset({"dmo"}): "DMO only",
    frozenset({"dco", "dmo"}): "Both DCO and DMO",
}


@dataclass
class AreaResourcing:
    """Designated officer time for one local authority or commissioning body."""

    name: str
    children: int
    delivery_model: str
    dco_pas: Decimal
    dmo_pas: Decimal
    vacant_posts: int
    posts: list[PostSummary]

    @property
    def dco_days(self) -> Decimal:
        return pa_policy.pas_to_days(self.dco_pas)

    @property
    def dmo_days(self) -> Decimal:
        return pa_policy.pas_to_days(self.dmo_pas)

    @property
    def dco_per_10000(self):
        return pa_policy.per_10000_children(self.dco_pas, self.children)

    @property
    def dmo_per_10000(self):
        return pa_policy.per_10000_children(self.dmo_pas, self.children)

    @property
    def dco_survey(self) -> survey.Position | None:
        return survey.position("dco", self.dco_days) if self.dco_pas else None

    @property
    def dmo_survey(self) -> survey.Position | None:
        return survey.position("dmo", self.dmo_days) if self.dmo_pas else None

    @property
    def flagged_posts(self) -> list[PostSummary]:
        return [p for p in self.posts if p.assessment.flags]


def _share_by_la(summaries: list[PostSummary], populations: dict[int, int]):
    """Each filled post's PAs split across its LAs by child population
    (equally when populations are missing): {la_id: {role: pas}}."""
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for s in summaries:
        if s.post.is_vacant:
            continue
        las = list(s.post.local_authorities.all())
        if not las:
            continue
        total = sum(populations.get(la.pk, 0) for la in las)
        for la in las:
            share = (
                Decimal(populations.get(la.pk, 0)) / Decimal(total)
                if total
                else Decimal(1) / Decimal(len(las))
            )
            out[la.pk][s.post.role] += s.post.pas_per_week * share
    return out


def _resourcing(name, la_ids, summaries, populations) -> AreaResourcing:
    shares = _share_by_la(summaries, populations)
    dco = sum((shares[la].get("dco", Decimal(0)) for la in la_ids), Decimal(0))
    dmo = sum((shares[la].get("dmo", Decimal(0)) for la in la_ids), Decimal(0))
    roles = frozenset(s.post.role for s in summaries if not s.post.is_vacant)
    return AreaResourcing(
        name=name,
        children=sum(populations.get(la, 0) for la in la_ids),
        delivery_model=DELIVERY_MODELS[roles],
        dco_pas=dco.quantize(Decimal("0.01")),
        dmo_pas=dmo.quantize(Decimal("0.01")),
        vacant_posts=sum(1 for s in summaries if s.post.is_vacant),
        posts=summaries,
    )


def _assessed(posts, la_ids, *, on, settings):
    """Load ``posts``, read the populations of their areas and of
    ``la_ids`` in one query, and assess each post."""
    posts = _load_posts(posts)
    all_la = set(la_ids) | {x.pk for p in posts for x in p.local_authorities.all()}
    populations = _populations(all_la, on=on, settings=settings)
    summaries = posts_with_assessment(posts, on=on, settings=settings, populations=populations)
    return summaries, populations


def resourcing_table(local_authorities, *, on: datetime.date, settings=None):
    """One :class:`AreaResourcing` per LA, computed together (fixed queries)."""
    settings = settings or PAPolicySettings.current()
    las = list(local_authorities)
    ids = [la.pk for la in las]
    posts = posts_covering(local_authority_ids=ids, on=on)
    summaries, populations = _assessed(posts, ids, on=on, settings=settings)
    return _per_la(las, summaries, populations)


def _per_la(las, summaries, populations):
    by_la: dict[int, list[PostSummary]] = defaultdict(list)
    for s in summaries:
        for x in s.post.local_authorities.all():
            by_la[x.pk].append(s)
    return [(la, _resourcing(la.name, [la.pk], by_la[la.pk], populations)) for la in las]


def la_resourcing(la, *, on: datetime.date, settings=None) -> AreaResourcing:
    return resourcing_table([la], on=on, settings=settings)[0][1]


def body_resourcing(body: CommissioningBody, *, on: datetime.date, settings=None):
    """A commissioning body's time: the posts covering its current areas or
    commissioned by it, apportioned to its areas by child population.
    Returns the body's resourcing and one row per current area."""
    settings = settings or PAPolicySettings.current()
    las = list(
        LocalAuthority.objects.filter(
            pk__in=CommissioningLink.objects.active_on(on)
            .filter(commissioning_body=body)
            .values("local_authority_id")
        ).order_by("name")
    )
    la_ids = [la.pk for la in las]
    posts = posts_covering(local_authority_ids=la_ids, body_id=body.pk, on=on)
    summaries, populations = _assessed(posts, la_ids, on=on, settings=settings)
    area = _resourcing(body.name, la_ids, summaries, populations)
    return area, _per_la(las, summaries, populations)


def held_posts(user, *, on: datetime.date) -> list[tuple[Post, HolderRecord]]:
    """The current posts ``user`` holds, each with their record's summary."""
    settings = PAPolicySettings.current()
    posts = Post.objects.active_on(on).filter(holder=user).order_by("title")
    return [(post, holder_record(post, on=on, settings=settings)) for post in posts]
