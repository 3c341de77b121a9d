"""Every write in the roles app with more than one row or a rule behind it:
keyword-only arguments with plain values, atomic, and the acting user passed
in as ``by``.

``by`` is recorded on the audit log: every roles model is registered with
django-auditlog (``roles/apps.py``), and each service names ``by`` as the
actor of the entries its writes make (:func:`core.audit.service_write`). Publishing also
keeps ``by`` on the version itself (``JobTemplate.published_by``). ``by`` may
be ``None`` for a write the system makes (a seed, a migration); the entries
then keep whatever actor the surrounding request set, or none.

Template versioning (``roles/models/templates.py``): only drafts change;
publishing freezes a version and retires nothing else (posts keep the version
they adapt); a new version of a published template is a copy with the next
number; a local adaptation is a copy in a new family.

Rule errors are ``django.core.exceptions.ValidationError`` keyed by field
name (``NON_FIELD_ERRORS`` when no one field is at fault), so the admin, the
views and any importer show the same messages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.text import slugify

from core.audit import saved_user, service_write
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
from roles.models.posts import local_agreement_errors
from roles.models.records import too_early


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


# --- Template versions ----------------------------------------------------------------


@service_write
def start_new_version(*, template: JobTemplate, by) -> JobTemplate:
    """Open a draft of the next version of ``template``'s family, a copy of
    ``template``'s sections, duties and criteria (keys kept).

    If the family already has a draft, that draft is returned unchanged
    (there is only ever one draft per family). Two requests racing past the
    lock meet the one-draft constraint as ``IntegrityError``."""
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


@service_write
def copy_for_local_adaptation(*, template: JobTemplate, name: str, source: str, by) -> JobTemplate:
    """Start a new template family from ``template``, as a version 1 draft
    named ``name``. A blank ``source`` becomes "Adapted from <name>, version
    <n>". Raises ``ValidationError({"name": ...})`` for a blank name."""
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


@service_write
def publish(*, template: JobTemplate, by, now: datetime.datetime | None = None) -> JobTemplate:
    """Freeze a draft, stamping when (``now``, default the current time) and
    by whom (``published_by``). Earlier published versions stay published
    (posts may still use them) until an administrator retires them.

    Raises ``ValidationError``: ``{"status": ...}`` unless the version is a
    draft; ``{NON_FIELD_ERRORS: ...}`` if it has no section."""
    template = JobTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.DRAFT:
        raise ValidationError({"status": "Only a draft can be published."})
    if not template.sections.exists():
        raise ValidationError({NON_FIELD_ERRORS: "Add at least one section before publishing."})
    template.status = TemplateStatus.PUBLISHED
    template.published_at = now or timezone.now()
    template.published_by = saved_user(by)
    template.save()
    return template


@service_write
def retire(*, template: JobTemplate, by) -> JobTemplate:
    """Stop offering a published version for new posts; posts based on it
    keep it. Raises ``ValidationError({"status": ...})`` unless the version
    is published."""
    template = JobTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError({"status": "Only a published version can be retired."})
    template.status = TemplateStatus.RETIRED
    template.save(allow_frozen=True)
    return template


# --- The post-holder's record ---------------------------------------------------------


def _add_to_record(model, **fields):
    """Validate (``full_clean``: field errors keyed by field, constraint
    errors under ``NON_FIELD_ERRORS``) and save one row of the record."""
    entry = model(**fields)
    entry.full_clean()
    entry.save()
    return entry


@service_write
def add_membership(
    *,
    post: Post,
    by,
    kind: str,
    name: str,
    role_on_board: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Membership:
    """Record a committee or board the post-holder sits on. ``kind`` is a
    ``BoardKind`` value; ``until`` is blank while current and not before
    ``since``. Raises ``ValidationError`` from the model's validation."""
    return _add_to_record(
        Membership,
        post=post,
        kind=kind,
        name=name,
        role_on_board=role_on_board,
        since=since,
        until=until,
    )


@service_write
def add_training(
    *, post: Post, by, title: str, audience: str, delivered_on: datetime.date, attendees: int
) -> TrainingSession:
    """Record training the post-holder delivered to ``attendees`` people
    (0 to 100,000). Raises ``ValidationError`` from the model's validation."""
    return _add_to_record(
        TrainingSession,
        post=post,
        title=title,
        audience=audience,
        delivered_on=delivered_on,
        attendees=attendees,
    )


@service_write
def add_cpd(
    *, post: Post, by, activity: str, completed_on: datetime.date, points: Decimal
) -> CPDEntry:
    """Record CPD for the role: ``points`` from 0.5 to 50 (the annual
    target is ``PAPolicySettings.cpd_points_target``). Raises
    ``ValidationError({"points": ...})`` outside that range."""
    return _add_to_record(
        CPDEntry, post=post, activity=activity, completed_on=completed_on, points=points
    )


@service_write
def record_appraisal(*, post: Post, by, last_appraisal_on: datetime.date) -> Post:
    """Set the date of the post-holder's last appraisal (the next is due
    ``PAPolicySettings.appraisal_interval_months`` later). Raises
    ``ValidationError({"last_appraisal_on": ...})`` for a missing date."""
    if last_appraisal_on is None:
        raise ValidationError({"last_appraisal_on": "Enter the date of the last appraisal."})
    if errors := too_early(last_appraisal_on=last_appraisal_on):
        raise ValidationError(errors)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.last_appraisal_on = last_appraisal_on
    post.save(update_fields=["last_appraisal_on", "updated_at"])
    return post


# --- The post's time ------------------------------------------------------------------


@service_write
def record_local_agreement(
    *,
    post: Post,
    by,
    local_agreement_on: datetime.date | None,
    local_agreement_parties: str,
    local_agreement_pas: Decimal | None,
) -> Post:
    """Record, change or clear the local agreement on a post's time: the date
    it was made, who made it (free text, for example "NHS Testshire ICB and
    Testshire Community Health Trust") and the PAs a week agreed. All three
    blank (None, "", None) clears a recorded agreement.

    The BACCH/BACD model DMO job description (2014) says a post covering more
    than one commissioning body or local authority, or more than 70,000
    children, needs additional PAs agreed between commissioners and the
    provider, not necessarily pro rata: ``roles.pa_policy`` clears the "needs
    additional time" flags only once an agreement is recorded, and flags a
    post funded for fewer PAs than agreed.

    Raises ``ValidationError`` keyed by field (``local_agreement_on``,
    ``local_agreement_parties``, ``local_agreement_pas``): a missing answer
    when another is given, a date after today, PAs not more than 0 or above
    10 (full time)."""
    parties = (local_agreement_parties or "").strip()
    if errors := local_agreement_errors(
        agreed_on=local_agreement_on, parties=parties, pas=local_agreement_pas
    ):
        raise ValidationError(errors)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.local_agreement_on = local_agreement_on
    post.local_agreement_parties = parties
    post.local_agreement_pas = local_agreement_pas
    post.save(
        update_fields=[
            "local_agreement_on",
            "local_agreement_parties",
            "local_agreement_pas",
            "updated_at",
        ]
    )
    return post
