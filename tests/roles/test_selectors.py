"""roles.selectors: comparing two template versions (and which counts as
the old one), and the one answer to "which posts cover this scope"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from roles import selectors, services
from roles.models import Duty, JobTemplate, Post, SectionArea, TemplateSection
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return f.published_template()


# --- Comparing two versions -----------------------------------------------------------


def test_compare_lists_added_removed_and_changed(published):
    draft = services.start_new_version(template=published, by=None)
    section = draft.sections.get()
    duties = list(section.duties.all())
    duties[0].text = "Reworded duty"
    duties[0].save()
    duties[1].delete()
    Duty.objects.create(section=section, text="A brand new duty")
    TemplateSection.objects.create(template=draft, area=SectionArea.TRAINING)
    criterion = draft.criteria.first()
    criterion.requirement = "desirable"
    criterion.save()
    changes = selectors.compare_templates(published, draft)
    summary = {(c.kind, c.where.split(":")[0]) for c in changes}
    assert ("added", "Section") in summary
    assert ("changed", "Duty in Clinical role and contribution to EHC assessments and plans") in {
        (c.kind, c.where) for c in changes
    }
    assert any(c.kind == "removed" and duties[1].text in c.before for c in changes)
    assert any(c.kind == "added" and "A brand new duty" in c.after for c in changes)
    assert any(c.kind == "changed" and c.where.startswith("Person specification") for c in changes)
    assert selectors.compare_templates(published, published) == []


def test_default_comparison_is_the_source_then_the_version_before(published):
    assert selectors.default_comparison_id(published) is None
    draft = services.start_new_version(template=published, by=None)
    assert selectors.default_comparison_id(draft) == published.pk
    JobTemplate.objects.filter(pk=draft.pk).update(based_on=None)
    draft.refresh_from_db()
    assert selectors.default_comparison_id(draft) == published.pk  # the version before
    copy = services.copy_for_local_adaptation(template=draft, name="Local", source="", by=None)
    assert selectors.default_comparison_id(copy) == draft.pk


def test_old_and_new_orders_versions_copies_and_strangers(published):
    draft = services.start_new_version(template=published, by=None)
    assert selectors.old_and_new(draft, published) == (published, draft)
    assert selectors.old_and_new(published, draft) == (published, draft)
    copy = services.copy_for_local_adaptation(template=published, name="Local", source="", by=None)
    assert selectors.old_and_new(copy, published) == (published, copy)
    assert selectors.old_and_new(published, copy) == (published, copy)
    earlier = f.published_template()
    later = f.published_template()
    JobTemplate.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    earlier.refresh_from_db()
    assert selectors.old_and_new(later, earlier) == (earlier, later)


# --- Posts covering a scope -----------------------------------------------------------


@pytest.fixture
def scope(published):
    la, other_la = f.LocalAuthorityFactory(), f.LocalAuthorityFactory()
    body = f.CommissioningBodyFactory()
    return {
        "la": la,
        "body": body,
        "on_la": f.PostFactory(template=published, local_authorities=[la, other_la]),
        "for_body": f.PostFactory(template=published, commissioning_bodies=[body]),
        "both": f.PostFactory(
            template=published, local_authorities=[la], commissioning_bodies=[body]
        ),
        "elsewhere": f.PostFactory(template=published, local_authorities=[other_la]),
        "ended": f.PostFactory(
            template=published,
            local_authorities=[la],
            start_date=datetime.date(2020, 4, 1),
            end_date=datetime.date(2024, 3, 31),
        ),
    }


def test_posts_covering_local_authorities_or_a_body_each_once(scope):
    la, body = scope["la"], scope["body"]
    by_la = selectors.posts_covering(local_authority_ids=[la.pk])
    assert sorted(p.pk for p in by_la) == sorted(scope[k].pk for k in ("on_la", "both", "ended"))
    assert set(selectors.posts_covering(body_id=body.pk)) == {scope["for_body"], scope["both"]}
    either = list(selectors.posts_covering(local_authority_ids=[la.pk], body_id=body.pk))
    assert len(either) == len(set(either)) == 4


def test_posts_covering_on_a_date_or_during_a_period(scope):
    la = scope["la"]
    on = selectors.posts_covering(local_authority_ids=[la.pk], on=datetime.date(2025, 6, 1))
    assert scope["ended"] not in set(on)
    year = (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    during = selectors.posts_covering(local_authority_ids=[la.pk], during=year)
    assert scope["ended"] in set(during)
    after = (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    assert scope["ended"] not in set(
        selectors.posts_covering(local_authority_ids=[la.pk], during=after)
    )


def test_posts_covering_an_empty_scope_is_none(scope):
    assert not selectors.posts_covering().exists()
    assert not selectors.posts_covering(local_authority_ids=[]).exists()


def test_active_on_is_active_during_one_day(published):
    day = datetime.date(2025, 4, 1)
    f.PostFactory(template=published, start_date=day)
    f.PostFactory(template=published, end_date=day - datetime.timedelta(days=1))
    assert list(Post.objects.active_on(day)) == list(Post.objects.active_during(day, day))
    assert Post.objects.active_on(day).count() == 1
