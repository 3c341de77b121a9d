"""Information governance in Django admin (governance/admin.py): listed and
shown to administrators, never added, changed or deleted; refused to every
other role and to anonymous visitors, by GET and POST."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import ErasureBatch, LegalHold, SubjectAccessExport
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(area):
    child = f.ChildFactory(local_authority=area.local_authority, family_name="Heldchild")
    hold = services.place_legal_hold(child=child, reason="Inquiry", by=area.administrator)
    services.lift_legal_hold(child=child, by=area.administrator)
    batch = services.request_erasure(
        child=f.ChildFactory(local_authority=area.local_authority),
        reason="Asked for",
        by=area.administrator,
    )
    export = SubjectAccessExport.objects.create(
        child=child,
        requested_by=area.officer,
        status=SubjectAccessExport.Status.READY,
        file="subject-access/x.zip",
        finished=timezone.now(),
    )
    return {LegalHold: hold, ErasureBatch: batch, SubjectAccessExport: export}


def url(model, page: str, *args) -> str:
    return reverse(f"admin:governance_{model._meta.model_name}_{page}", args=args)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_administrators_look_but_never_add_change_or_delete(area, evidence):
    client = signed_in(area.administrator)
    assert "Information governance" in client.get(reverse("admin:index")).content.decode()
    for model, row in evidence.items():
        listing = client.get(url(model, "changelist"))
        assert listing.status_code == 200, model
        assert str(model.objects.get(pk=row.pk)) in listing.content.decode()
        page = client.get(url(model, "change", row.pk))
        assert page.status_code == 200, model
        assert 'name="_save"' not in page.content.decode()  # nothing to save
        assert client.get(url(model, "add")).status_code == 403
        assert client.post(url(model, "change", row.pk), {}).status_code == 403
        assert client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        # No bulk "delete selected" either.
        response = client.post(
            url(model, "changelist"), {"action": "delete_selected", "_selected_action": [row.pk]}
        )
        assert model.objects.filter(pk=row.pk).exists()
        assert response.status_code in (200, 302)
    # The erasure list shows its rows inline, read-only.
    page = client.get(url(ErasureBatch, "change", evidence[ErasureBatch].pk)).content.decode()
    assert evidence[ErasureBatch].candidates.get().pseudonym in page
    # The export's file is not offered here: it is downloaded through the portal's page.
    page = client.get(url(SubjectAccessExport, "change", evidence[SubjectAccessExport].pk))
    assert "subject-access/x.zip" not in page.content.decode()


@pytest.mark.parametrize("role", [None, "officer", "practitioner", "commissioner", "la_officer"])
def test_everyone_else_is_sent_to_admin_sign_in(area, evidence, role):
    """Anonymous and every other role (which is not staff), by GET and POST.
    Administrators have no area, so there is no other-area case."""
    client = Client() if role is None else signed_in(area.user(role))
    for model, row in evidence.items():
        for method, address in (
            ("get", url(model, "changelist")),
            ("get", url(model, "change", row.pk)),
            ("post", url(model, "delete", row.pk)),
        ):
            response = getattr(client, method)(address)
            assert response.status_code == 302, (role, address)
            assert urlparse(response["Location"]).path == reverse("admin:login")
        assert model.objects.filter(pk=row.pk).exists()


def test_a_superuser_of_another_role_cannot_delete_either(area, evidence):
    admin = area.administrator
    admin.is_superuser = True
    admin.save()
    client = signed_in(admin)
    hold = evidence[LegalHold]
    assert client.post(url(LegalHold, "delete", hold.pk), {"post": "yes"}).status_code == 403
    assert LegalHold.objects.filter(pk=hold.pk).exists()
