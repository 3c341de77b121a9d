"""The enquiries log's services and rules (enquiries/services.py,
enquiries/models.py): scope, the child's area, dates, time spent, stale
edits, the audit trail and the table's constraints."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enquiries import services
from enquiries.models import MAX_MINUTES, Enquiry, EnquirySource, EnquiryStatus, EnquiryTopic
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def log(area, by=None, **overrides):
    values = {
        "by": by or area.officer,
        "local_authority": area.local_authority,
        "received_on": DAY,
        "source": EnquirySource.GP,
        "topic": EnquiryTopic.HEALTH_PROVISION,
        "question": "Who provides continence support?",
    }
    values.update(overrides)
    return services.log_enquiry(**values)


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_log_a_general_enquiry(area):
    enquiry = log(area, organisation="Elm Surgery", minutes_spent=20)
    assert enquiry.pk and enquiry.child is None
    assert enquiry.created_by == area.officer
    assert enquiry.status == EnquiryStatus.OPEN
    assert enquiry.minutes_spent == 20


def test_log_an_enquiry_about_a_child(area):
    child = f.ChildFactory(local_authority=area.local_authority)
    enquiry = log(area, child=child)
    assert enquiry.child == child


def test_the_child_must_be_of_the_enquirys_area(area):
    officer = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    second = f.LocalAuthorityFactory()
    officer.local_authorities.add(second)
    child = f.ChildFactory(local_authority=area.local_authority)
    with pytest.raises(ValidationError) as raised:
        log(area, by=officer, local_authority=second, child=child)
    assert "local_authority" in errors_of(raised)
    assert not Enquiry.objects.exists()


def test_an_officer_logs_only_for_their_own_areas(area, other_area):
    with pytest.raises(ValidationError) as raised:
        log(area, by=other_area.officer)
    assert errors_of(raised)["local_authority"] == ["Choose a local authority from the list"]


def test_a_child_outside_scope_is_refused(area, other_area):
    child = f.ChildFactory(local_authority=other_area.local_authority)
    with pytest.raises(ValidationError) as raised:
        log(area, child=child)
    assert "child" in errors_of(raised)


def test_administrators_log_for_any_area(area):
    assert log(area, by=area.administrator).created_by == area.administrator


def test_the_date_cannot_be_in_the_future(area):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        log(area, received_on=tomorrow)
    assert errors_of(raised)["received_on"] == ["The date cannot be in the future"]


def test_a_follow_up_comes_on_or_after_the_enquiry(area):
    with pytest.raises(ValidationError) as raised:
        log(area, follow_up_on=DAY - datetime.timedelta(days=1))
    assert "follow_up_on" in errors_of(raised)
    assert log(area, follow_up_on=DAY).follow_up_on == DAY


def test_time_spent_has_a_ceiling(area):
    with pytest.raises(ValidationError) as raised:
        log(area, minutes_spent=MAX_MINUTES + 1)
    assert "minutes_spent" in errors_of(raised)
    assert log(area, minutes_spent=MAX_MINUTES).minutes_spent == MAX_MINUTES


@pytest.mark.parametrize(
    "bad",
    [
        {"follow_up_on": DAY - datetime.timedelta(days=1)},
        {"minutes_spent": MAX_MINUTES + 1},
    ],
)
def test_the_table_refuses_what_the_rules_refuse(area, bad):
    row = {"local_authority": area.local_authority, "received_on": DAY, "source": "gp"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.create(topic="other", question="?", **row, **bad)


def test_update_records_the_advice_and_moves_the_version(area):
    enquiry = log(area)
    services.update_enquiry(
        enquiry=enquiry,
        values={"advice_given": "Refer to the continence service.", "status": "closed"},
        by=area.officer,
        expected_version=1,
    )
    enquiry.refresh_from_db()
    assert enquiry.advice_given == "Refer to the continence service."
    assert enquiry.status == EnquiryStatus.CLOSED and enquiry.version == 2


def test_a_stale_edit_is_refused(area):
    enquiry = log(area)
    services.update_enquiry(enquiry=enquiry, values={}, by=area.officer, expected_version=1)
    stale = Enquiry.objects.get(pk=enquiry.pk)
    stale.version = 1
    with pytest.raises(services.StaleEdit):
        services.update_enquiry(
            enquiry=stale, values={"advice_given": "x"}, by=area.officer, expected_version=1
        )
    assert Enquiry.objects.get(pk=enquiry.pk).advice_given == ""


def test_an_edit_cannot_move_the_enquiry_to_another_child_or_area(area):
    enquiry = log(area)
    child = f.ChildFactory(local_authority=area.local_authority)
    with pytest.raises(TypeError):
        services.update_enquiry(
            enquiry=enquiry, values={"child": child}, by=area.officer, expected_version=1
        )


def test_every_change_is_audited_with_its_author(area):
    enquiry = log(area)
    services.update_enquiry(
        enquiry=enquiry, values={"minutes_spent": 40}, by=area.officer, expected_version=1
    )
    entries = LogEntry.objects.get_for_object(enquiry).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == area.officer for e in entries)
    assert "minutes_spent" in entries.last().changes_dict


def test_who_sees_which_enquiries(area, other_area):
    mine = log(area)
    theirs = log(other_area)
    assert list(Enquiry.objects.visible_to(area.officer)) == [mine]
    assert set(Enquiry.objects.visible_to(area.administrator)) == {mine, theirs}
    for user in (area.la_officer, area.practitioner, area.commissioner):
        assert not Enquiry.objects.visible_to(user).exists()
