"""ehc.selectors: reads."""

import pytest

from ehc import selectors
from ehc.models import Advice
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_audit_sample_is_reproducible(area):
    advice = [f.AdviceFactory() for _ in range(6)]
    pool = Advice.objects.filter(pk__in=[a.pk for a in advice])
    first = selectors.audit_sample(pool, size=3, seed="s")
    assert first == selectors.audit_sample(pool, size=3, seed="s")
    assert len(first) == 3
    assert selectors.audit_sample(pool, size=10, seed="s") == sorted(a.pk for a in advice)
