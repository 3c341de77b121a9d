"""commissioning.services.import_organisations with plain values."""

import pytest
from auditlog.models import LogEntry

from commissioning import services
from commissioning.models import LocalAuthority
from tests import factories as f

pytestmark = pytest.mark.django_db

GOOD = "gss_code,name\nE10000016,Kent County Council\nE06000001,Hartlepool\n"


def test_imports_and_names_the_acting_user_on_the_audit_log():
    admin = f.AdministratorFactory()
    result = services.import_organisations(kind="local-authorities", text=GOOD, by=admin)
    assert result.ok and (result.created, result.updated) == (2, 0)
    kent = LocalAuthority.objects.get(gss_code="E10000016")
    assert LogEntry.objects.get_for_object(kent).get().actor == admin


def test_a_dry_run_counts_but_keeps_nothing():
    result = services.import_organisations(kind="local-authorities", text=GOOD, dry_run=True)
    assert result.ok and result.created == 2
    assert not LocalAuthority.objects.exists()


def test_one_bad_row_writes_nothing_and_names_its_line():
    text = GOOD + "E99,Nowhere\n"
    result = services.import_organisations(kind="local-authorities", text=text)
    assert not result.ok
    assert result.errors[0].startswith("Line 4:")
    assert not LocalAuthority.objects.exists()
