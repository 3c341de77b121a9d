"""Demo waiting times and continuing-care flags (portal/demo/waits.py):
every record passes the rules a form would apply, a rerun replaces rather
than adds, the same seed gives the same figures, and commissioners have a
suppressed figure to see."""

import pytest
from django.core.management import call_command

from commissioning.models import Service
from ehc.models import Child, ServiceWait
from portal.demo.organisations import seed_organisations
from portal.demo.users import seed_users
from portal.demo.waits import QUARTERS, flag_continuing_care, seed_waits

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    organisations = seed_organisations("small", 1)
    seed_users(organisations, password="demo-password-123")
    return organisations


def figures():
    return list(
        ServiceWait.objects.order_by("service_id", "financial_year", "quarter").values_list(
            "service_id", "financial_year", "quarter", "waiting", "median_weeks", "longest_weeks"
        )
    )


def test_every_demo_service_has_its_last_quarters_and_each_passes_the_rules(organisations):
    made = seed_waits(organisations, seed=1)
    assert made == len(organisations.services) * QUARTERS
    for wait in ServiceWait.objects.all():
        wait.full_clean()
    assert ServiceWait.objects.filter(waiting__range=(1, 7)).exists()  # "*" for commissioners
    assert ServiceWait.objects.filter(waiting__gt=100).exists()
    assert ServiceWait.objects.exclude(entered_by=None).exists()


def test_a_rerun_replaces_and_the_same_seed_gives_the_same_figures(organisations):
    seed_waits(organisations, seed=1)
    first = figures()
    seed_waits(organisations, seed=1)
    assert figures() == first
    seed_waits(organisations, seed=2)
    assert figures() != first


def test_the_command_flags_some_children_for_continuing_care(settings):
    settings.DEBUG = True
    call_command("seed_demo", size="small")
    assert Child.objects.filter(continuing_care=True).exists()
    assert ServiceWait.objects.count() == Service.objects.count() * QUARTERS


def test_flagging_is_deterministic(organisations):
    from portal.demo.casework import seed_casework

    seed_casework(organisations, seed=1, size="small")
    flagged = flag_continuing_care(organisations, seed=1)
    assert flagged == Child.objects.filter(continuing_care=True).count()
