"""Demo posts follow the national survey's proportions (portal/demo/posts.py)."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from commissioning.models import LocalAuthority
from roles import selectors
from roles.models import Post

pytestmark = pytest.mark.django_db


def test_small_demo_gives_the_demo_officers_their_posts():
    call_command("seed_demo", size="small", force=True)
    dco = User.objects.get(email="dco@example.org")
    dmo = User.objects.get(email="dmo@example.org")
    dco_post = Post.objects.get(holder=dco)
    dmo_post = Post.objects.get(holder=dmo)
    assert dco_post.role == "dco" and dmo_post.role == "dmo"
    assert dmo_post.pas_per_week == Decimal("2")
    # Templates are the national ones, matched to the role.
    assert dmo_post.template.status == "published"
    assert dco_post.template.kind == "dco_dmo"
    # The record is filled in, so the pages have something to show.
    assert dco_post.memberships.exists()
    assert dco_post.training_sessions.exists()
    assert dco_post.cpd_entries.exists()
    assert dco_post.last_appraisal_on is not None
    first = LocalAuthority.objects.order_by("gss_code").first()
    area = selectors.la_resourcing(first, on=timezone.localdate())
    assert area.delivery_model == "Both DCO and DMO"


def test_large_demo_follows_the_survey():
    call_command("seed_demo", size="large", force=True)
    today = timezone.localdate()
    las = list(LocalAuthority.objects.all())
    rows = selectors.resourcing_table(las, on=today)
    models = Counter()
    for _la, area in rows:
        roles = frozenset(s.post.role for s in area.posts)
        models[roles] += 1
    # 44 areas; DCO only is the commonest, then both, then DMO only (53/28/16%).
    assert models[frozenset({"dco"})] > models[frozenset({"dco", "dmo"})] > 0
    assert models[frozenset({"dmo"})] > 0
    posts = Post.objects.all()
    assert posts.filter(holder__isnull=True).exists()  # some vacant
    dmo = posts.filter(role="dmo")
    under = dmo.filter(pas_per_week__lt=2).count()
    # About four in ten DMOs nationally had under 2 PAs (1 day) a week.
    assert 0.15 < under / dmo.count() < 0.7
    assert posts.filter(role="dco", pas_per_week=10).exists()  # full-time DCOs exist
    # Every post is based on a published template of its role or a combined one.
    assert not posts.exclude(template__status="published").exists()
    # One DMO post beyond the baseline has its local agreement on time, at
    # its funded PAs, which clears its "needs additional time" flag.
    agreed = posts.exclude(local_agreement_pas=None)
    assert agreed.count() == 1
    summary = selectors.posts_with_assessment(agreed, on=today)[0]
    assert summary.post.role == "dmo"
    assert summary.assessment.agreed_locally
    assert not summary.assessment.needs_additional_time
    assert not summary.assessment.funded_below_agreement
    assert summary.post.local_agreement_pas == summary.post.pas_per_week
    assert summary.post.local_agreement_on <= today
