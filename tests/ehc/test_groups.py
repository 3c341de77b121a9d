"""The groups (ehc/groups.py): the query the lists filter by and the rule
over plain values the reports count by agree child by child, at the year 9
and 18th/26th birthday edges; the worklist and the children list filter by
them, keeping the worklist's queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehc import groups
from ehc.models import Child
from tests import factories as f
from tests.ehc.helpers import login

D = datetime.date
TODAY = D(2026, 11, 30)  # school year 2026/27


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (D(2013, 8, 31), [groups.YEAR_9]),  # the youngest of year 9
        (D(2013, 9, 1), []),  # the oldest of year 8
        (D(2008, 12, 1), [groups.YEAR_9]),  # 17 until tomorrow
        (D(2008, 11, 30), [groups.YEAR_9, groups.AGED_18_TO_25]),  # 18 today
        (D(2000, 12, 1), [groups.YEAR_9, groups.AGED_18_TO_25]),  # 25 until tomorrow
        (D(2000, 11, 30), [groups.YEAR_9]),  # 26 today: past the 0 to 25 system
    ],
)
def test_groups_by_age_and_year_group(born, expected):
    assert groups.groups_of(born, TODAY, None, None, False, False, False, False) == expected


def test_a_recorded_year_group_moves_up_each_september():
    born = D(2014, 1, 10)  # year 8 for their age in 2026/27
    assert groups.YEAR_9 in groups.groups_of(born, TODAY, 9, D(2026, 10, 1), *[False] * 4)
    assert groups.YEAR_9 in groups.groups_of(born, TODAY, 8, D(2025, 10, 1), *[False] * 4)
    assert groups.YEAR_9 not in groups.groups_of(born, TODAY, 8, D(2026, 9, 1), *[False] * 4)
    # Held back: year 8 recorded this September though 14 by age.
    assert groups.YEAR_9 not in groups.groups_of(
        D(2011, 10, 1), TODAY, 8, D(2026, 9, 2), *[False] * 4
    )


def test_flags_in_order():
    assert groups.groups_of(D(2019, 3, 1), TODAY, None, None, True, False, True, True) == [
        groups.LOOKED_AFTER,
        groups.YOUTH_JUSTICE,
        groups.CONTINUING_CARE,
    ]


@pytest.mark.django_db
def test_the_query_and_the_rule_agree_child_by_child(area):
    """Every child at the edges, recorded or not, in each group by the query
    exactly when the rule over their values says so."""
    children = []
    for born in (
        D(2013, 8, 31),
        D(2013, 9, 1),
        D(2014, 1, 10),
        D(2011, 10, 1),
        D(2008, 11, 30),
        D(2008, 12, 1),
        D(2000, 12, 1),
        D(2000, 11, 30),
        D(2020, 2, 29),
    ):
        for recorded in (
            None,
            (8, D(2025, 10, 1)),
            (9, D(2026, 10, 1)),
            (8, D(2026, 9, 2)),
            (7, D(2024, 8, 31)),
        ):
            child = f.ChildFactory(
                local_authority=area.local_authority,
                date_of_birth=born,
                looked_after=born.month == 8,
                continuing_care=born.day == 1,
            )
            if recorded:
                Child.objects.filter(pk=child.pk).update(
                    year_group=recorded[0], year_group_recorded_on=recorded[1]
                )
            children.append(child.pk)
    rows = Child.objects.filter(pk__in=children).values_list("pk", "date_of_birth", *groups.FIELDS)
    expected = {pk: set(groups.groups_of(born, TODAY, *rest)) for pk, born, *rest in rows}
    for key in groups.GROUPS:
        found = set(Child.objects.filter(groups.condition(key, TODAY)).values_list("pk", flat=True))
        assert found == {pk for pk, keys in expected.items() if key in keys}, key
        assert found or key in (groups.HOME_EDUCATED, groups.YOUTH_JUSTICE), key


def test_an_unknown_group_is_a_key_error():
    with pytest.raises(KeyError):
        groups.condition("adults", TODAY)


# --- The lists -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_worklist_and_children_list_filter_by_group(client, area):
    today = datetime.date.today()
    cared = f.ChildFactory(
        local_authority=area.local_authority,
        continuing_care=True,
        date_of_birth=today.replace(year=today.year - 8),
    )
    other = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=today.replace(year=today.year - 8)
    )
    cared_request = f.HealthAdviceRequestFactory(child=cared, sent_on=today, received_on=today)
    other_request = f.HealthAdviceRequestFactory(child=other, sent_on=today, received_on=today)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"group": "continuing_care"}).content.decode()
    assert cared_request.reference in page and other_request.reference not in page
    page = client.get(reverse("ehc:child_list"), {"group": "continuing_care"}).content.decode()
    assert cared.get_absolute_url() in page and other.get_absolute_url() not in page
    assert "in the group eligible for continuing care" in page
    for name in ("ehc:request_list", "ehc:child_list"):
        response = client.get(reverse(name), {"group": "grown_ups"})
        assert response.status_code == 400
        assert "Choose" in response.content.decode()


@pytest.mark.django_db
def test_the_worklist_keeps_its_queries_with_a_group_filter(client, area, cache_in_memory):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2011, 1, 1))
    f.HealthAdviceRequestFactory(child=child)
    login(client, area.officer)
    url = reverse("ehc:request_list")
    client.get(url, {"group": "year_9"})
    with CaptureQueriesContext(connection) as by_age:  # a filter of the same kind
        client.get(url, {"age_group": "11_15"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"group": "year_9"})
    for _ in range(3):
        child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2011, 1, 1))
        f.HealthAdviceRequestFactory(child=child)
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"group": "year_9"})
    assert len(few) == len(more) == len(by_age)
