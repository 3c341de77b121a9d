import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [
    "commissioning_commissioningbody",
    "commissioning_localauthority",
    "commissioning_commissioninglink",
    "commissioning_childpopulation",
    "commissioning_provider",
    "commissioning_service",
    "accounts_user",
]


@pytest.mark.parametrize("model", MODELS)
def test_administrator_can_list_search_and_add(client, area, model):
    client.force_login(area.administrator)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_changelist"), {"q": "test"}).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_administrator_is_staff_and_in_group(area):
    admin = area.administrator
    assert admin.is_staff
    assert admin.groups.filter(name="Administrators").exists()
    assert admin.has_perm("commissioning.change_localauthority")


def test_other_roles_cannot_use_django_admin(client, area):
    for user in (area.officer, area.commissioner, area.practitioner, area.la_officer):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302


def test_autocomplete_finds_local_authorities(client, area):
    client.force_login(area.administrator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": area.local_authority.name[:8],
            "app_label": "commissioning",
            "model_name": "commissioninglink",
            "field_name": "local_authority",
        },
    )
    assert response.status_code == 200
    names = [r["text"] for r in response.json()["results"]]
    assert area.local_authority.name in names


def test_user_admin_requires_areas_for_an_area_scoped_role(client, area):
    client.force_login(area.administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.officer@example.org",
            "full_name": "New Officer",
            "role": "designated_officer",
            "officer_kind": "dco",
            "usable_password": "true",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 200
    assert "Choose at least one local authority" in response.content.decode()


def test_user_list_query_count_does_not_grow_with_users(
    client, area, django_assert_max_num_queries
):
    from tests import factories as f

    for _ in range(20):
        f.CommissionerFactory()
        f.PractitionerFactory()
    client.force_login(area.administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


def test_administrator_can_search_the_audit_log(client, area):
    """Searching the audit log by a person's name or email works (it was a 500)."""
    client.force_login(area.administrator)
    area.local_authority.name = "Renamed for the search"
    area.local_authority.save()
    for term in ("Renamed", area.administrator.email, "nobody-at-all"):
        response = client.get(reverse("admin:auditlog_logentry_changelist"), {"q": term})
        assert response.status_code == 200, term
