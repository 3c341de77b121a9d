import pytest
from django.core.management import call_command

from accounts.models import User
from commissioning.models import CommissioningBody, LocalAuthority, Provider, Service
from portal.demo.organisations import seed_organisations
from portal.demo.posts import DEMO_HOLDER_DOMAIN
from roles.models import Post

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "admin@example.org",
    "dco@example.org",
    "dmo@example.org",
    "practitioner@example.org",
    "commissioner@example.org",
    "la@example.org",
}


def _snapshot():
    # Each list in a set order: a join's rows come in whatever order the
    # database's plan gives (PostgreSQL's changes between two runs).
    return (
        list(CommissioningBody.objects.order_by("ods_code").values_list("ods_code", "name")),
        list(LocalAuthority.objects.order_by("gss_code").values_list("gss_code", "name")),
        list(
            LocalAuthority.objects.order_by("gss_code", "populations__year").values_list(
                "populations__year", "populations__aged_0_17"
            )
        ),
        list(
            Service.objects.order_by("provider__ods_code", "name", "service_type").values_list(
                "provider__ods_code", "name", "service_type"
            )
        ),
    )


def test_small_demo_and_rerun_does_not_duplicate(settings):
    settings.DEBUG = True
    call_command("seed_demo", size="small")
    first = _snapshot()
    assert CommissioningBody.objects.count() == 1
    assert LocalAuthority.objects.count() == 2
    assert Provider.objects.count() == 3
    # The demo LA system's service account (portal/demo/api.py) never signs in.
    sign_ins = User.objects.exclude(email__endswith=f"@{DEMO_HOLDER_DOMAIN}").exclude(kind="system")
    assert set(sign_ins.values_list("email", flat=True)) == DEMO_EMAILS
    # Synthetic post-holders exist only to fill demo posts: they cannot sign in.
    holders = User.objects.filter(email__endswith=f"@{DEMO_HOLDER_DOMAIN}")
    assert not any(user.has_usable_password() for user in holders)
    users, posts = User.objects.count(), Post.objects.count()
    call_command("seed_demo", size="small")
    assert _snapshot() == first
    assert User.objects.count() == users
    assert Post.objects.count() == posts


def test_demo_users_have_the_demo_password_and_are_scoped(settings):
    call_command("seed_demo", size="small", force=True)
    for email in DEMO_EMAILS:
        assert User.objects.get(email=email).check_password(settings.DEMO_PASSWORD)
    dco = User.objects.get(email="dco@example.org")
    assert LocalAuthority.objects.visible_to(dco).count() == 2
    la_officer = User.objects.get(email="la@example.org")
    assert LocalAuthority.objects.visible_to(la_officer).count() == 1


def test_same_seed_same_data_other_seed_other_data(settings):
    call_command("seed_demo", size="small", seed=7, force=True)
    first = _snapshot()
    call_command("seed_demo", size="small", seed=7, force=True)
    assert _snapshot() == first
    call_command("seed_demo", size="small", seed=8, force=True)
    assert _snapshot()[2] != first[2]  # populations differ


def test_national_size_has_realistic_counts():
    # The organisations alone: the casework at this size (about 9,000
    # requests) took two minutes of the suite and follows the same code as
    # the smaller sizes tested above.
    seed_organisations("national", seed=1)
    assert CommissioningBody.objects.count() == 42
    assert LocalAuthority.objects.count() == 153
    total = sum(
        LocalAuthority.objects.filter(populations__year=2025).values_list(
            "populations__aged_0_17", flat=True
        )
    )
    # England has about 12 million children aged 0-17.
    assert 9_000_000 < total < 15_000_000
    # Every authority is linked to a body, every body to at least one authority.
    assert not LocalAuthority.objects.filter(links__isnull=True).exists()
    assert not CommissioningBody.objects.filter(links__isnull=True).exists()


@pytest.mark.django_db
def test_running_seed_demo_again_writes_no_false_audit_entries(settings):
    """A re-run changes nothing about the demo users, so the audit log
    gains no entry about them (it used to record removed areas)."""
    from auditlog.models import LogEntry
    from django.core.management import call_command

    from accounts.models import User

    settings.DEBUG = True
    call_command("seed_demo", "--size", "small", verbosity=0)
    users = User.objects.filter(email__endswith="@example.org")
    before = LogEntry.objects.filter(
        content_type__model="user", object_id__in=[str(u.pk) for u in users]
    ).count()
    call_command("seed_demo", "--size", "small", verbosity=0)
    after = LogEntry.objects.filter(
        content_type__model="user", object_id__in=[str(u.pk) for u in users]
    ).count()
    assert after == before


def test_demo_enquiries_are_replaced_on_a_rerun(settings):
    """Each area has its enquiries, some about its own demo children and
    three open with follow-ups; a rerun replaces them, even those naming
    children the casework replaces."""
    from enquiries.models import Enquiry
    from portal.demo.enquiries import PER_AUTHORITY

    call_command("seed_demo", size="small", force=True)
    first = Enquiry.objects.count()
    assert first == 2 * PER_AUTHORITY
    assert Enquiry.objects.filter(child__isnull=False).exists()
    for enquiry in Enquiry.objects.filter(child__isnull=False):
        assert enquiry.child.local_authority_id == enquiry.local_authority_id
    assert Enquiry.objects.open().filter(follow_up_on__isnull=False).count() == 2 * 3
    call_command("seed_demo", size="small", force=True)
    assert Enquiry.objects.count() == first
