import pytest
from django.core.management import CommandError, call_command

from commissioning.models import (
    CommissioningBody,
    CommissioningLink,
    LocalAuthority,
    Provider,
    Service,
)

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_full_import_in_dependency_order(tmp_path, capsys):
    call_command(
        "import_organisations",
        "commissioning-bodies",
        _write(
            tmp_path,
            "bodies.csv",
            "ods_code,name,kind,active_from,active_to,predecessors\n"
            "05X,NHS Old Town CCG,ccg,2013-04-01,2022-06-30,\n"
            "QX1,NHS New Region ICB,icb,2022-07-01,,05X\n",
        ),
    )
    call_command(
        "import_organisations",
        "local-authorities",
        _write(tmp_path, "las.csv", "gss_code,name\nE10000016,Kent County Council\n"),
    )
    call_command(
        "import_organisations",
        "links",
        _write(
            tmp_path,
            "links.csv",
            "body_ods_code,la_gss_code,valid_from,valid_to\n"
            "05X,E10000016,2013-04-01,2022-06-30\nQX1,E10000016,2022-07-01,\n",
        ),
    )
    call_command(
        "import_organisations",
        "populations",
        _write(
            tmp_path,
            "pop.csv",
            'la_gss_code,year,aged_0_17,aged_0_25\nE10000016,2025,"330,000",470000\n',
        ),
    )
    call_command(
        "import_organisations",
        "providers",
        _write(tmp_path, "providers.csv", "ods_code,name,active\nRYY,Kent Community Trust,yes\n"),
    )
    call_command(
        "import_organisations",
        "services",
        _write(
            tmp_path,
            "services.csv",
            "provider_ods_code,name,service_type,contact_email,la_gss_codes\n"
            "RYY,Children's SALT,speech_language_therapy,salt@example.org,E10000016\n"
            "RYY,CAMHS West,CAMHS,camhs@example.org,E10000016\n",
        ),
    )
    icb = CommissioningBody.objects.get(ods_code="QX1")
    assert [p.ods_code for p in icb.predecessors.all()] == ["05X"]
    kent = LocalAuthority.objects.get(gss_code="E10000016")
    assert kent.populations.get(year=2025).aged_0_17 == 330_000
    assert CommissioningLink.objects.filter(local_authority=kent).count() == 2
    assert Service.objects.filter(provider__ods_code="RYY", local_authorities=kent).count() == 2
    assert "Imported services: 2 new, 0 updated." in capsys.readouterr().out


def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = _write(tmp_path, "p.csv", "ods_code,name\nRYY,First Name\n")
    call_command("import_organisations", "providers", path)
    path = _write(tmp_path, "p.csv", "ods_code,name\nRYY,Second Name\n")
    call_command("import_organisations", "providers", path)
    assert list(Provider.objects.values_list("name", flat=True)) == ["Second Name"]


def test_bad_rows_are_reported_by_line_and_nothing_is_saved(tmp_path, capsys):
    path = _write(
        tmp_path,
        "las.csv",
        "gss_code,name\n"
        "E10000016,Kent County Council\n"
        "NOTACODE,Nowhere\n"
        "E10000017,\n"
        "E10000016,Kent again\n",
    )
    with pytest.raises(CommandError, match="Nothing was imported: 3 problem"):
        call_command("import_organisations", "local-authorities", path)
    err = capsys.readouterr().err
    assert "Line 3: gss_code: “NOTACODE” is not the GSS code of an English local authority" in err
    assert "Line 4: name must not be blank" in err
    assert "Line 5: repeats line 2" in err
    assert LocalAuthority.objects.count() == 0


def test_a_district_council_and_hidden_characters_are_refused_by_line(tmp_path, capsys):
    path = _write(
        tmp_path,
        "las.csv",
        "gss_code,name\n"
        "E07000105,Ashford Borough Council\n"  # a district: no SEND duties
        "E10000016,\x00=cmd|' /C calc'!A0\n",
    )
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_organisations", "local-authorities", path)
    err = capsys.readouterr().err
    assert "Line 2: gss_code: “E07000105” is not the GSS code" in err
    assert "Line 3: name: holds a hidden control character" in err
    assert LocalAuthority.objects.count() == 0


def test_unknown_references_and_bad_dates(tmp_path, capsys):
    path = _write(
        tmp_path,
        "links.csv",
        "body_ods_code,la_gss_code,valid_from,valid_to\nQX9,E10000099,2022-13-01,\n",
    )
    with pytest.raises(CommandError):
        call_command("import_organisations", "links", path)
    err = capsys.readouterr().err
    assert "Line 2: no commissioning body with code 'QX9'" in err


def test_wrong_columns_and_empty_files(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command(
            "import_organisations", "providers", _write(tmp_path, "a.csv", "code,title\nX,Y\n")
        )
    assert "missing column(s) ods_code, name" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(
            "import_organisations", "providers", _write(tmp_path, "b.csv", "ods_code,name\n")
        )
    assert "no rows" in capsys.readouterr().err


def test_dry_run_saves_nothing(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", "ods_code,name\nRYY,A Trust\n")
    call_command("import_organisations", "providers", path, dry_run=True)
    assert Provider.objects.count() == 0
    assert "Would import providers: 1 new" in capsys.readouterr().out


def test_not_utf8_is_explained(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("ods_code,name\nRYY,Caf\xe9 Trust\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_organisations", "providers", str(path))


def test_model_constraints_are_reported_by_line(tmp_path, capsys):
    call_command(
        "import_organisations",
        "local-authorities",
        _write(tmp_path, "las.csv", "gss_code,name\nE10000016,Kent County Council\n"),
    )
    call_command(
        "import_organisations",
        "commissioning-bodies",
        _write(tmp_path, "b.csv", "ods_code,name\nQX1,NHS New Region ICB\n"),
    )
    with pytest.raises(CommandError):
        call_command(
            "import_organisations",
            "populations",
            _write(
                tmp_path,
                "pop.csv",
                "la_gss_code,year,aged_0_17,aged_0_25\nE10000016,2025,50000,40000\n",
            ),
        )
    assert "Line 2: The 0 to 25 population cannot be smaller" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(
            "import_organisations",
            "links",
            _write(
                tmp_path,
                "l.csv",
                "body_ods_code,la_gss_code,valid_from,valid_to\nQX1,E10000016,2023-01-01,2022-01-01\n",
            ),
        )
    assert "Line 2: The end date must be on or after the start date." in capsys.readouterr().err


def test_import_queries_do_not_grow_with_rows(tmp_path, django_assert_max_num_queries):
    las = "".join(f"E10{n:06d},Authority {n}\n" for n in range(40))
    call_command(
        "import_organisations",
        "local-authorities",
        _write(tmp_path, "a.csv", "gss_code,name\n" + las),
    )
    pops = "".join(f"E10{n:06d},2025,{1000 + n},{2000 + n}\n" for n in range(40))
    path = _write(tmp_path, "p.csv", "la_gss_code,year,aged_0_17,aged_0_25\n" + pops)
    call_command("import_organisations", "populations", path)
    # Re-import (updates). Per row: the check-constraint validation, and the
    # save with its audit read inside a savepoint (5). Parents and existing
    # rows come from lookups loaded once, not from a query per row.
    with django_assert_max_num_queries(40 * 5 + 8):
        call_command("import_organisations", "populations", path)
