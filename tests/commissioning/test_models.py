import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import Role
from commissioning.models import ChildPopulation, CommissioningLink, LocalAuthority
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_link_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CommissioningLinkFactory(
            valid_from=datetime.date(2023, 1, 1), valid_to=datetime.date(2022, 12, 31)
        )


def test_body_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CommissioningBodyFactory(
            active_from=datetime.date(2023, 1, 1), active_to=datetime.date(2022, 1, 1)
        )


def test_population_0_25_must_include_0_17():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ChildPopulationFactory(aged_0_17=50_000, aged_0_25=40_000)


def test_one_population_per_year():
    pop = f.ChildPopulationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildPopulation.objects.create(
            local_authority=pop.local_authority, year=pop.year, aged_0_17=1, aged_0_25=2
        )


def test_gss_code_is_validated():
    la = LocalAuthority(gss_code="X123", name="Nowhere")
    with pytest.raises(ValidationError) as exc:
        la.full_clean()
    assert "gss_code" in exc.value.message_dict


def test_officer_kind_only_for_designated_officers():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.LAOfficerFactory(officer_kind="dco")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.DesignatedOfficerFactory(officer_kind="")


def test_commissioner_needs_a_body_and_practitioner_a_provider():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CommissionerFactory(commissioning_body=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PractitionerFactory(provider=None)


def test_email_is_unique_regardless_of_case_and_signs_in_either_way():
    user = f.UserFactory(email="Mixed.Case@Example.org")
    assert user.email == "mixed.case@example.org"
    assert User.objects.get_by_natural_key("MIXED.case@example.org") == user


def test_createsuperuser_is_an_administrator():
    user = User.objects.create_superuser("root@example.org", "a-long-password", full_name="Root")
    assert user.role == Role.ADMINISTRATOR
    assert user.is_staff


def test_links_active_on_a_date():
    link = f.CommissioningLinkFactory(
        valid_from=datetime.date(2018, 4, 1), valid_to=datetime.date(2022, 6, 30)
    )
    assert CommissioningLink.objects.active_on(datetime.date(2022, 6, 30)).filter(pk=link.pk)
    assert not CommissioningLink.objects.active_on(datetime.date(2022, 7, 1)).filter(pk=link.pk)
    assert link.is_active_on(datetime.date(2018, 4, 1))
    assert not link.is_active_on(datetime.date(2018, 3, 31))
