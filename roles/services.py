"""Every write in the roles app with more than one row or a rule behind it
(style.md #1): keyword-only, atomic, the acting user passed in.

Template versioning (roles/models.py): only drafts change; publishing
freezes a version and retires nothing else (posts keep the version they
adapt); a new version of a published template is a copy with the next
number; a local adaptation is a copy in a new family.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from roles.models import (
    CPDEntry,
    Criterion,
    Duty,
    JobTemplate,
    Membership,
    Post,
    TemplateSection,
    TemplateStatus,
    TrainingSession,
)


def _copy_contents(*, source: JobTemplate, target: JobTemplate) -> None:
    """Copy sections, duties and criteria, keeping their keys so the two
    versions can be compared item by item."""
    sections = list(source.sections.prefetch_related("duties"))
    for section in sections:
        copy = TemplateSection.objects.create(
            template=target,
            area=section.area,
            heading=section.heading,
            introduction=section.introduction,
            order=section.order,
            key=section.key,
        )
        Duty.objects.bulk_create(
            Duty(
                section=copy,
                text=duty.text,
                applies_to=duty.applies_to,
                order=duty.order,
                key=duty.key,
            )
            for duty in section.duties.all()
        )
    Criterion.objects.bulk_create(
        Criterion(
            template=target,
            category=c.category,
            text=c.text,
            applies_to=c.applies_to,
            requirement=c.requirement,
            order=c.order,
            key=c.key,
        )
        for c in source.criteria.all()
    )


@transaction.atomic
def start_new_version(*, template: JobTemplate, user) -> JobTemplate:
    """Open a draft of the next version of ``template``'s family.

    If the family already has a draft, that draft is returned unchanged
    (there is only ever one draft per family)."""
    # Lock the family's versions so two requests cannot both open a draft.
    versions = list(JobTemplate.objects.select_for_update().filter(family=template.family))
    existing = next((v for v in versions if v.status == TemplateStatus.DRAFT), None)
    if existing is not None:
        return existing
    next_version = max((v.version for v in versions), default=0) + 1
    draft = JobTemplate.objects.create(
        family=template.family,
        version=next_version,
        kind=template.kind,
        name=template.name,
        source=template.source,
        summary=template.summary,
        status=TemplateStatus.DRAFT,
        based_on=template,
    )
    _copy_contents(source=template, target=draft)
    return draft


def _unique_family(base: str) -> str:
    base = slugify(base)[:70] or "template"
    candidate, n = base, 1
    while JobTemplate.objects.filter(family=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def copy_for_local_adaptation(
    *, template: JobTemplate, name: str, source: str, user
) -> JobTemplate:
    """Start a new template family from ``template``, as version 1 draft."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the local template."})
    copy = JobTemplate.objects.create(
        family=_unique_family(name),
        version=1,
        kind=template.kind,
        name=name,
        source=source.strip() or f"Adapted from {template.name}, version {template.version}",
        summary=template.summary,
        status=TemplateStatus.DRAFT,
        based_on=template,
    )
    _copy_contents(source=template, target=copy)
    return copy


@transaction.atomic
def publish(*, template: JobTemplate, user, now: datetime.datetime | None = None) -> JobTemplate:
    """Freeze a draft. Earlier published versions stay published (posts may
    still use them) until an administrator retires them."""
    template = JobTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.DRAFT:
        raise ValidationError("Only a draft can be published.")
    if not template.sections.exists():
        raise ValidationError("Add at least one section before publishing.")
    template.status = TemplateStatus.PUBLISHED
    template.published_at = now or timezone.now()
    template.published_by = user if getattr(user, "pk", None) else None
    template.save()
    return template


@transaction.atomic
def retire(*, template: JobTemplate, user) -> JobTemplate:
    """Stop offering a published version for new posts; posts based on it keep it."""
    template = JobTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError("Only a published version can be retired.")
    template.status = TemplateStatus.RETIRED
    template.save(allow_frozen=True)
    return template


# --- The post-holder's record ---------------------------------------------------------


def _add_to_record(model, **fields):
    entry = model(**fields)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def add_membership(
    *,
    post: Post,
    user,
    kind: str,
    name: str,
    role_on_board: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Membership:
    return _add_to_record(
        Membership,
        post=post,
        kind=kind,
        name=name,
        role_on_board=role_on_board,
        since=since,
        until=until,
    )


@transaction.atomic
def add_training(
    *, post: Post, user, title: str, audience: str, delivered_on: datetime.date, attendees: int
) -> TrainingSession:
    return _add_to_record(
        TrainingSession,
        post=post,
        title=title,
        audience=audience,
        delivered_on=delivered_on,
        attendees=attendees,
    )


@transaction.atomic
def add_cpd(
    *, post: Post, user, activity: str, completed_on: datetime.date, points: Decimal
) -> CPDEntry:
    return _add_to_record(
        CPDEntry, post=post, activity=activity, completed_on=completed_on, points=points
    )


@transaction.atomic
def record_appraisal(*, post: Post, user, last_appraisal_on: datetime.date) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.last_appraisal_on = last_appraisal_on
    post.save(update_fields=["last_appraisal_on", "updated_at"])
    return post
