"""core.lists.filter_list: one rule for every list page's filters."""

import csv
import datetime
import io

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from commissioning.filters import LocalAuthorityFilter
from commissioning.models import LocalAuthority
from core.lists import SortColumn, Sorting, download, filter_list, page_size, query_with
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(query: dict):
    return RequestFactory().get("/", query)


@pytest.fixture
def admin_and_areas():
    admin = f.AdministratorFactory()
    return (
        admin,
        f.LocalAuthorityFactory(name="Northshire"),
        f.LocalAuthorityFactory(name="Southby"),
    )


def test_no_query_string_lists_everything_unbound(admin_and_areas):
    admin, *_ = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter, _request({}), LocalAuthority.objects.all(), user=admin
    )
    assert not listed.filterset.is_bound
    assert listed.valid and listed.status == 200 and listed.cleaned == {}
    assert listed.queryset.count() == 2


def test_valid_filters_narrow_the_list(admin_and_areas):
    admin, north, _south = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter, _request({"q": "north"}), LocalAuthority.objects.all(), user=admin
    )
    assert listed.status == 200
    assert list(listed.queryset) == [north]
    assert listed.cleaned["q"] == "north"


def test_an_invalid_filter_is_a_400_with_the_message_on_the_field(admin_and_areas):
    admin, *_ = admin_and_areas
    listed = filter_list(
        LocalAuthorityFilter,
        _request({"q": "north", "commissioning_body": "999999"}),
        LocalAuthority.objects.all(),
        user=admin,
    )
    assert not listed.valid and listed.status == 400
    assert listed.filterset.form.errors["commissioning_body"]
    # The valid filter still applies, so the list matches the search box;
    # the invalid one is left out.
    assert [la.name for la in listed.queryset] == ["Northshire"]
    assert listed.cleaned == {"q": "north"}


# --- Sorting, page size and downloads ---------------------------------------------------------


COLUMNS = (
    SortColumn("name", "Name", ("name", "pk")),
    SortColumn("code", "Code", ("-gss_code", "pk")),
)


@pytest.mark.parametrize(
    ("value", "key", "descending", "order_by"),
    [
        ("", "name", False, ["name", "pk"]),
        ("name", "name", False, ["name", "pk"]),
        ("-name", "name", True, ["-name", "-pk"]),
        ("-code", "code", True, ["gss_code", "-pk"]),
        ("pk", "name", False, ["name", "pk"]),  # not offered: the default
        ("--name", "name", False, ["name", "pk"]),
    ],
)
def test_sorting_reads_only_the_columns_offered(value, key, descending, order_by):
    sorting = Sorting.from_request(_request({"sort": value}), COLUMNS, "name")
    assert (sorting.key, sorting.descending, sorting.order_by) == (key, descending, order_by)


def test_sort_headings_link_the_other_way_round_and_keep_the_filters():
    sorting = Sorting.from_request(
        _request({"sort": "name", "q": "north", "page": "3"}), COLUMNS, "name"
    )
    headings = sorting.headings()
    assert headings["name"].aria_sort == "ascending"
    assert headings["name"].query == "q=north&sort=-name"
    assert headings["code"].aria_sort == "none"
    assert headings["code"].query == "q=north&sort=code"
    assert query_with(_request({"q": "x", "page": "2"}).GET, per_page=25) == "q=x&per_page=25"


def test_page_size_is_remembered_and_anything_else_ignored():
    request = _request({"per_page": "100"})
    request.session = SessionStore()
    assert page_size(request, remember_as="list") == 100
    later = _request({"per_page": "99"})
    later.session = request.session
    assert page_size(later, remember_as="list") == 100
    fresh = _request({})
    fresh.session = SessionStore()
    assert page_size(fresh, remember_as="list") == 50


def test_a_csv_download_has_a_bom_and_guards_formulas():
    response = download(
        "csv",
        name="list",
        headers=["Name", "=Born"],
        rows=[["=1+2", datetime.date(2026, 4, 1)], ["Zoë £", -3]],
    )
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Name", "'=Born"], ["'=1+2", "2026-04-01"], ["Zoë £", "-3"]]


def test_an_xlsx_download_keeps_text_as_text_and_dates_as_dates():
    from openpyxl import load_workbook

    response = download(
        "xlsx", name="list", headers=["A", "B"], rows=[["=1+2", datetime.date(2026, 4, 1)]]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == datetime.datetime(2026, 4, 1)
    assert sheet.freeze_panes == "A2"
    with pytest.raises(ValueError):
        download("pdf", name="list", headers=[], rows=[])
