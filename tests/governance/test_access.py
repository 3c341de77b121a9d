"""Who may use the information governance screens: anonymous, wrong role,
right role and other area, by GET and by POST, for every URL
(tests/access.py). Subject access is for designated officers (their areas)
and administrators; legal holds and erasure for administrators only."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from ehc.models import Child
from governance import services
from governance.models import SubjectAccessExport
from tests import factories as f
from tests.access import AccessCase, access_tests, make_dataset

ADMINISTRATORS = frozenset({"administrator"})
SUBJECT_ACCESS = frozenset({"administrator", "officer"})
ONLY_ADMINISTRATORS = "only administrators may use it, and they have no area"
SAR_FILE = "subject-access/access-test.zip"


@pytest.fixture(scope="module")
def access_data(django_db_setup, django_db_blocker):
    """The shared data set, plus a child of its own for each writing POST
    (a hold, an erasure on request, a list to approve, a child due for the
    next list) and a prepared subject access request."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with fast:
            data = make_dataset()
            area = data.area
            data.hold_child = f.ChildFactory(local_authority=area.local_authority)
            data.erase_child = f.ChildFactory(local_authority=area.local_authority)
            data.batch = services.request_erasure(
                child=f.ChildFactory(local_authority=area.local_authority),
                reason="Asked for",
                by=area.administrator,
            )
            due = f.ChildFactory(
                local_authority=area.local_authority, date_of_birth=datetime.date(1990, 1, 1)
            )
            long_ago = timezone.make_aware(datetime.datetime(2010, 1, 1, 12))
            Child.objects.filter(pk=due.pk).update(updated_at=long_ago)
            data.sar = SubjectAccessExport.objects.create(
                child=data.child,
                requested_by=area.officer,
                file=SAR_FILE,
                status=SubjectAccessExport.Status.READY,
                finished=timezone.now(),
            )
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path, access_data):
    """Uploads in a folder of the test's own, with the prepared ZIP in it."""
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / SAR_FILE
    path.parent.mkdir(parents=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("README.txt", "DRAFT")
    path.write_bytes(out.getvalue())


def child_pk(d) -> dict:
    return {"pk": d.child.pk}


CASES = [
    AccessCase(
        "governance:subject_access",
        allowed=SUBJECT_ACCESS,
        kwargs=child_pk,
        other_area=404,
        post={},
        writes=True,
    ),
    AccessCase(
        "governance:subject_access_export",
        allowed=SUBJECT_ACCESS,
        kwargs=lambda d: {"pk": d.sar.pk},
        other_area=404,
        post={},
        writes=True,
    ),
    AccessCase(
        "governance:subject_access_export_status",
        allowed=SUBJECT_ACCESS,
        kwargs=lambda d: {"pk": d.sar.pk},
        other_area=404,
    ),
    AccessCase(
        "governance:subject_access_download",
        allowed=SUBJECT_ACCESS,
        kwargs=lambda d: {"pk": d.sar.pk},
        other_area=404,
    ),
    AccessCase(
        "governance:legal_hold",
        allowed=ADMINISTRATORS,
        kwargs=lambda d: {"pk": d.hold_child.pk},
        other_area=404,
        post={"reason": "Needed for an inquiry"},
        writes=True,
    ),
    AccessCase(
        "governance:erase_child",
        allowed=ADMINISTRATORS,
        kwargs=lambda d: {"pk": d.erase_child.pk},
        other_area=404,
        post={"reason": "The young person asked"},
        writes=True,
    ),
    AccessCase(
        "governance:batch_list",
        allowed=ADMINISTRATORS,
        not_scoped=ONLY_ADMINISTRATORS,
        post={},
        writes=True,
    ),
    AccessCase(
        "governance:batch_detail",
        allowed=ADMINISTRATORS,
        kwargs=lambda d: {"pk": d.batch.pk},
        other_area=404,
        post={"action": "approve", "confirm": "on"},
        writes=True,
    ),
]

test_access = access_tests(CASES)
