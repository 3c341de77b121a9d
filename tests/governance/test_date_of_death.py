"""A child's date of death (issue 15): recorded on the child's edit form by a
designated officer or an administrator, refused in the future or before the
date of birth, audited like the other details, and read by the retention
schedule (8 years after the death in place of the birthday rule)."""

from __future__ import annotations

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ehc import services as ehc_services
from governance import selectors
from governance.retention import Rule
from tests import factories as f
from tests.ehc.helpers import child_post, date_data, login
from tests.governance.helpers import set_last_edit

pytestmark = pytest.mark.django_db

D = datetime.date


def edit_post(area, child, died_on) -> dict:
    data = child_post(
        area,
        given_name=child.given_name,
        family_name=child.family_name,
        nhs_number="",
        la_reference="",
        version=child.version,
    )
    data.update(date_data("date_of_birth", child.date_of_birth))
    data.update(date_data("date_of_death", died_on))
    return data


def test_an_officer_records_a_date_of_death_audited_and_shown(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2015, 5, 1))
    login(client, area.officer)
    url = reverse("ehc:child_edit", args=[child.pk])
    assert 'name="date_of_death_0"' in client.get(url).content.decode()

    response = client.post(url, edit_post(area, child, D(2024, 2, 29)))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_death == D(2024, 2, 29)
    entry = LogEntry.objects.get_for_object(child).latest("timestamp")
    assert entry.actor == area.officer
    assert entry.changes_dict["date_of_death"] == ["None", "2024-02-29"]
    assert "29 February 2024" in client.get(child.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "died_on, message",
    [
        (timezone.localdate() + datetime.timedelta(days=7), "The date cannot be in the future"),
        (D(2015, 4, 30), "The date of death cannot be before the date of birth"),
    ],
)
def test_an_impossible_date_is_a_message_beside_the_field(client, area, died_on, message):
    child = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=D(2015, 5, 1), given_name="Kept"
    )
    login(client, area.officer)
    data = edit_post(area, child, died_on)
    data["given_name"] = "Changed"
    response = client.post(reverse("ehc:child_edit", args=[child.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'href="#id_date_of_death"' in page  # the error summary
    assert re.search(r'id="id_date_of_death[_0-9]*_error" class="govuk-error-message"', page)
    child.refresh_from_db()
    assert child.date_of_death is None
    assert child.given_name == "Kept"


def test_the_service_refuses_a_death_before_birth_or_ahead(area):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2015, 5, 1))
    for died_on in (D(2015, 4, 30), timezone.localdate() + datetime.timedelta(days=7)):
        with pytest.raises(ValidationError) as refused:
            ehc_services.update_child(
                child=child,
                values={"date_of_death": died_on},
                by=area.officer,
                expected_version=child.version,
            )
        assert "date_of_death" in refused.value.message_dict
    # The day of birth itself is possible.
    ehc_services.update_child(
        child=child,
        values={"date_of_death": D(2015, 5, 1)},
        by=area.officer,
        expected_version=child.version,
    )
    child.refresh_from_db()
    assert child.date_of_death == D(2015, 5, 1)


def test_only_officers_and_administrators_record_it(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2015, 5, 1))
    login(client, area.la_officer)
    url = reverse("ehc:child_edit", args=[child.pk])
    assert "date_of_death" not in client.get(url).content.decode()
    # Posted anyway: the LA officer's form has no such field, so it is ignored.
    response = client.post(url, edit_post(area, child, D(2024, 1, 1)))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_death is None
    with pytest.raises(ValidationError, match="Only a designated officer"):
        ehc_services.update_child(
            child=child,
            values={"date_of_death": D(2024, 1, 1)},
            by=area.la_officer,
            expected_version=child.version,
        )
    ehc_services.update_child(
        child=child,
        values={"date_of_death": D(2024, 1, 1)},
        by=area.administrator,
        expected_version=child.version,
    )
    child.refresh_from_db()
    assert child.date_of_death == D(2024, 1, 1)


def test_adding_a_child_does_not_ask_for_it(client, area):
    login(client, area.officer)
    assert "date_of_death" not in client.get(reverse("ehc:child_create")).content.decode()


def test_retention_keeps_records_eight_years_after_a_death(area, settings):
    """A child who died at 3 falls due 8 years after the death (at 11), long
    before the 25th birthday; the same child alive would not be looked at."""
    today = D(2031, 6, 1)
    died = f.ChildFactory(
        local_authority=area.local_authority,
        date_of_birth=D(2020, 1, 10),
        date_of_death=D(2023, 5, 31),
    )
    recent = f.ChildFactory(
        local_authority=area.local_authority,
        date_of_birth=D(2020, 1, 10),
        date_of_death=D(2023, 6, 2),
    )
    alive = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2020, 1, 10))
    for child in (died, recent, alive):
        set_last_edit(child, D(2023, 5, 1))

    review = selectors.retention_review(today=today)
    due = {candidate.child.pk: candidate.due for candidate in review.due}
    assert set(due) == {died.pk}
    assert due[died.pk].rule == Rule.DEATH
    assert due[died.pk].on == D(2031, 5, 31)
    assert due[died.pk].reason == "8 years after death"

    # The later rule still wins: activity after the death keeps the records longer.
    set_last_edit(died, D(2024, 1, 1))
    assert selectors.retention_review(today=today).due == []
    dates = selectors.due_for([died])
    assert dates[died.pk][0].rule == Rule.ACTIVITY
