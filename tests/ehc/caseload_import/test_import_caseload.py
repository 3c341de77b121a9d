"""The management command: the same import, line-numbered errors, exit status."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ehc.models import Child
from tests.ehc.caseload_import.helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def tracker(tmp_path, rows):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(rows))
    return str(path)


def test_a_dry_run_saves_nothing_then_the_import_does(area, tmp_path, capsys):
    path = tracker(tmp_path, [row(area, Extra="x")])
    call_command("import_caseload", path, "--as", area.officer.email, "--dry-run")
    out = capsys.readouterr().out
    assert "children: would add 1, update 0, 0 already held" in out
    assert "Columns left out: Extra" in out
    assert not Child.objects.exists()
    call_command("import_caseload", path, "--as", area.officer.email)
    assert "Imported." in capsys.readouterr().out
    assert Child.objects.get().created_by == area.officer


def test_problems_are_printed_by_line_and_the_exit_status_is_not_zero(area, tmp_path, capsys):
    path = tracker(
        tmp_path, [row(area), row(area, **{"NHS number": "1234567890", "LA reference": "LA-2"})]
    )
    with pytest.raises(CommandError, match="1 problem in tracker.csv: nothing was imported"):
        call_command("import_caseload", path, "--as", area.officer.email)
    assert "Line 3, NHS number: Enter a valid NHS number" in capsys.readouterr().err
    assert not Child.objects.exists()


def test_only_an_officer_or_administrator_may_import(area, tmp_path):
    path = tracker(tmp_path, [row(area)])
    with pytest.raises(CommandError, match="is not an active designated officer"):
        call_command("import_caseload", path, "--as", area.la_officer.email)
    (tmp_path / "tracker.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="must be a CSV file or an Excel workbook"):
        call_command("import_caseload", str(tmp_path / "tracker.pdf"), "--as", area.officer.email)
