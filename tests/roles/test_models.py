"""Template versioning rules (frozen versions, one draft per family) and
the constraints of posts, their duty changes and the post-holder's record."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from roles import selectors, services
from roles.models import (
    CPDEntry,
    Duty,
    DutyChangeKind,
    JobTemplate,
    Membership,
    Post,
    PostDutyChange,
    TemplateStatus,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return f.published_template()


# --- Versioning -----------------------------------------------------------------------


def test_published_template_cannot_be_changed_in_place(published):
    published.name = "Renamed"
    with pytest.raises(ValidationError):
        published.save()
    section = published.sections.get()
    section.heading = "New heading"
    with pytest.raises(ValidationError):
        section.save()
    duty = section.duties.first()
    duty.text = "Changed"
    with pytest.raises(ValidationError):
        duty.save()
    with pytest.raises(ValidationError):
        duty.delete()
    with pytest.raises(ValidationError):
        Duty.objects.create(section=section, text="Sneaked in")
    criterion = published.criteria.first()
    criterion.text = "Changed"
    with pytest.raises(ValidationError):
        criterion.save()
    published.refresh_from_db()
    assert published.name != "Renamed"
    assert not Duty.objects.filter(text__in=["Changed", "Sneaked in"]).exists()


def test_one_draft_per_family_is_a_database_rule(published):
    f.JobTemplateFactory(family=published.family, version=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.JobTemplateFactory(family=published.family, version=3)


def test_version_numbers_are_unique_in_a_family(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobTemplate.objects.create(
            family=published.family,
            version=1,
            kind=published.kind,
            name="Clash",
            source="x",
            status=TemplateStatus.DRAFT,
        )


def test_published_needs_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.JobTemplateFactory(status=TemplateStatus.PUBLISHED, published_at=None)


def test_posts_keep_their_version_when_a_new_one_is_published(published):
    post = f.PostFactory(template=published)
    draft = services.start_new_version(template=published, by=None)
    Duty.objects.filter(section__template=draft).update(text="New wording")
    services.publish(template=draft, by=None)
    post.refresh_from_db()
    assert post.template == published
    texts = [d.text for s in selectors.post_job_description(post).sections for d in s.duties]
    assert "New wording" not in texts


# --- Posts ----------------------------------------------------------------------------


def test_post_time_is_within_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PostFactory(pas_per_week=Decimal("13"))


def test_post_end_date_after_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PostFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1))


def test_post_needs_a_published_template_of_its_role():
    draft = f.JobTemplateFactory()
    post = f.PostFactory.build(template=draft)
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "template" in error.value.message_dict
    dmo_only = f.published_template(kind="dmo")
    post = f.PostFactory.build(template=dmo_only, role="dco")
    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=["local_authorities", "commissioning_bodies"])
    assert "template" in error.value.message_dict


def test_post_keeps_its_template_after_that_version_is_retired(published):
    post = f.PostFactory(template=published)
    services.retire(template=published, by=None)
    post.refresh_from_db()
    post.title = "Still editable"
    post.full_clean(exclude=["local_authorities", "commissioning_bodies"])
    post.save()


# The local agreement on a post's time: all three answers or none, not in the
# future, more than 0 and at most 10 PAs (full time).
AGREED = {
    "local_agreement_on": datetime.date(2025, 5, 1),
    "local_agreement_parties": "NHS Testshire ICB and Testshire Trust",
    "local_agreement_pas": Decimal("3"),
}
NOT_M2M = ["local_authorities", "commissioning_bodies"]


def agreement_errors(published, **fields) -> dict[str, list[str]]:
    post = f.PostFactory.build(template=published, **fields)
    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=NOT_M2M)
    return error.value.message_dict


def test_a_complete_agreement_or_none_is_valid(published):
    f.PostFactory.build(template=published, **AGREED).full_clean(exclude=NOT_M2M)
    f.PostFactory.build(template=published).full_clean(exclude=NOT_M2M)
    full_time = {**AGREED, "local_agreement_pas": Decimal("10")}
    f.PostFactory.build(template=published, **full_time).full_clean(exclude=NOT_M2M)


@pytest.mark.parametrize(
    ("left_out", "message"),
    [
        ("local_agreement_on", "Enter the date the agreement was made"),
        ("local_agreement_parties", "Enter who agreed it, for example the ICB and the provider"),
        ("local_agreement_pas", "Enter the PAs a week agreed"),
    ],
)
def test_an_agreement_needs_all_three_answers(published, left_out, message):
    blank = "" if left_out == "local_agreement_parties" else None
    errors = agreement_errors(published, **{**AGREED, left_out: blank})
    assert errors == {left_out: [message]}


def test_one_answer_alone_names_the_two_missing(published):
    errors = agreement_errors(published, local_agreement_pas=Decimal("3"))
    assert set(errors) == {"local_agreement_on", "local_agreement_parties"}


def test_parties_of_only_spaces_are_missing(published):
    errors = agreement_errors(published, **{**AGREED, "local_agreement_parties": "   "})
    assert set(errors) == {"local_agreement_parties"}


def test_an_agreement_cannot_be_dated_in_the_future(published):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = agreement_errors(published, **{**AGREED, "local_agreement_on": tomorrow})
    assert errors == {"local_agreement_on": ["The date of the agreement cannot be in the future"]}
    today = {**AGREED, "local_agreement_on": timezone.localdate()}
    f.PostFactory.build(template=published, **today).full_clean(exclude=NOT_M2M)


@pytest.mark.parametrize("pas", ["0", "-1", "10.01", "12"])
def test_agreed_pas_are_more_than_0_and_at_most_full_time(published, pas):
    errors = agreement_errors(published, **{**AGREED, "local_agreement_pas": Decimal(pas)})
    assert errors == {
        "local_agreement_pas": ["Enter more than 0 and at most 10 PAs a week (10 is full time)"]
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"local_agreement_on": None},
        {"local_agreement_parties": ""},
        {"local_agreement_pas": None},
        {"local_agreement_pas": Decimal("0")},
        {"local_agreement_pas": Decimal("11")},
    ],
)
def test_an_incomplete_agreement_is_refused_by_the_database(published, bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PostFactory(template=published, **{**AGREED, **bad})


def test_duty_changes_must_match_their_kind(published):
    post = f.PostFactory(template=published)
    duty = Duty.objects.filter(section__template=published).first()
    for bad in (
        {"kind": DutyChangeKind.ADDED, "text": "No section"},
        {"kind": DutyChangeKind.ADDED, "section_area": "training"},
        {"kind": DutyChangeKind.REMOVED},
        {"kind": DutyChangeKind.REWORDED, "duty": duty},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            PostDutyChange.objects.create(post=post, **bad)
    PostDutyChange.objects.create(post=post, kind=DutyChangeKind.REMOVED, duty=duty)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostDutyChange.objects.create(post=post, kind=DutyChangeKind.REWORDED, duty=duty, text="x")


def test_duty_change_must_use_the_posts_template(published):
    post = f.PostFactory(template=published)
    other = f.published_template()
    foreign = Duty.objects.filter(section__template=other).first()
    change = PostDutyChange(post=post, kind=DutyChangeKind.REMOVED, duty=foreign)
    with pytest.raises(ValidationError):
        change.full_clean()


def test_record_constraints(published):
    post = f.PostFactory(template=published)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            post=post,
            kind="panel",
            name="Panel",
            since=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CPDEntry.objects.create(
            post=post, activity="x", completed_on=datetime.date(2025, 1, 1), points=0
        )


def test_active_on(published):
    on = datetime.date(2026, 6, 1)
    current = f.PostFactory(template=published, start_date=datetime.date(2025, 1, 1))
    f.PostFactory(template=published, start_date=datetime.date(2027, 1, 1))
    f.PostFactory(
        template=published,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2026, 5, 31),
    )
    open_ended = f.PostFactory(template=published)
    assert set(Post.objects.active_on(on)) == {current, open_ended}


def test_frozen_version_cannot_be_deleted(published):
    with pytest.raises(ValidationError):
        published.delete()
    assert JobTemplate.objects.filter(pk=published.pk).exists()
    assert published.sections.exists()


def test_pa_policy_has_one_row():
    from roles.models import PAPolicySettings

    PAPolicySettings.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        PAPolicySettings.objects.create()
