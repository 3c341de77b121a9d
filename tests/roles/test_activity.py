"""roles.activity.officer_activity: what the posts covering an area did in a span."""

import datetime
from decimal import Decimal

import pytest

from roles.activity import officer_activity
from roles.models import BoardKind, CPDEntry, Membership, TrainingSession
from tests import factories as f

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)


def test_counts_only_the_span_and_the_posts_covering_the_area(
    area, other_area, django_assert_num_queries
):
    post = f.PostFactory(local_authorities=[area.local_authority], title="A post")
    ended = f.PostFactory(
        local_authorities=[area.local_authority], end_date=datetime.date(2025, 3, 31)
    )
    elsewhere = f.PostFactory(local_authorities=[other_area.local_authority])
    body_post = f.PostFactory(commissioning_bodies=[area.body], title="Body post")
    for day, people in ((datetime.date(2025, 5, 1), 10), (datetime.date(2026, 4, 1), 99)):
        TrainingSession.objects.create(
            post=post, title="Talk", audience="SENCOs", delivered_on=day, attendees=people
        )
    TrainingSession.objects.create(
        post=elsewhere, title="Talk", audience="GPs", delivered_on=START, attendees=5
    )
    CPDEntry.objects.create(post=post, activity="Course", completed_on=END, points=Decimal("1.5"))
    day_before = START - datetime.timedelta(days=1)
    CPDEntry.objects.create(post=post, activity="Old", completed_on=day_before, points=2)
    Membership.objects.create(post=post, kind=BoardKind.PANEL, name="Panel", since=START)
    Membership.objects.create(post=post, kind=BoardKind.OTHER, name="Gone", until=day_before)

    ids = [area.local_authority.pk]
    with django_assert_num_queries(4):
        by_area = officer_activity(
            local_authority_ids=ids, commissioning_body_id=None, start=START, end=END
        )
    assert [p.title for p in by_area.posts] == ["A post"]
    [mine] = by_area.posts
    assert (mine.sessions, mine.people, mine.boards, mine.cpd_points) == (1, 10, 1, Decimal("1.5"))
    assert by_area.boards_by_kind == {BoardKind.PANEL: 1}
    assert ended.pk not in {p.post_id for p in by_area.posts}

    with_body = officer_activity(
        local_authority_ids=ids, commissioning_body_id=area.body.pk, start=START, end=END
    )
    assert [p.title for p in with_body.posts] == ["A post", "Body post"]
    assert body_post.pk in {p.post_id for p in with_body.posts}
