"""core.scoping: the base knows no roles; the registered resolver decides."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from commissioning.models import LocalAuthority
from core import scoping
from core.scoping import UserScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolver():
    """Swap the registered resolver for the test, and put it back."""
    saved = scoping._resolver
    yield scoping.register_scope_resolver
    scoping._resolver = saved


def test_visible_to_follows_whatever_the_resolver_says(resolver):
    from tests import factories as f

    mine, theirs = f.LocalAuthorityFactory(), f.LocalAuthorityFactory()
    resolver(lambda user: None)
    assert not LocalAuthority.objects.visible_to("anyone").exists()
    resolver(lambda user: UserScope(everything=True))
    assert set(LocalAuthority.objects.visible_to("anyone")) == {mine, theirs}
    resolver(lambda user: UserScope(local_authority_ids=[mine.pk]))
    assert list(LocalAuthority.objects.visible_to("anyone")) == [mine]


def test_without_a_resolver_the_mistake_is_named(resolver):
    scoping._resolver = None
    with pytest.raises(ImproperlyConfigured, match="accounts"):
        LocalAuthority.objects.visible_to(None)
