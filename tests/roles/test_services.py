"""roles.services, called directly with plain values: each function's
effect, its rule errors (keyed by field) and that the acting user ``by`` is
recorded (on the audit log, and as ``published_by`` when publishing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog import get_logentry_model
from auditlog.context import set_extra_data
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from roles import services
from roles.models import CPDEntry, Duty, Membership, TemplateStatus, TrainingSession
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 2)


@pytest.fixture
def published():
    return f.published_template()


@pytest.fixture
def admin():
    return f.AdministratorFactory()


@pytest.fixture
def officer():
    return f.DesignatedOfficerFactory()


@pytest.fixture
def post(published, officer):
    return f.PostFactory(template=published, holder=officer)


def actor_of(obj, action=None):
    """Who the audit log names for the latest entry on ``obj``."""
    LogEntry = get_logentry_model()
    entries = LogEntry.objects.get_for_object(obj)
    if action is not None:
        entries = entries.filter(action=action)
    return entries.order_by("-pk").first().actor


def messages_for(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Template versions ----------------------------------------------------------------


def test_editing_a_published_template_starts_a_new_draft_version(published):
    user = f.AdministratorFactory()
    draft = services.start_new_version(template=published, by=user)
    assert (draft.family, draft.version, draft.status) == (published.family, 2, "draft")
    assert draft.based_on == published
    # Contents copied with their keys, so versions can be compared.
    assert [s.key for s in draft.sections.all()] == [s.key for s in published.sections.all()]
    assert sorted(d.key for d in Duty.objects.filter(section__template=draft)) == sorted(
        d.key for d in Duty.objects.filter(section__template=published)
    )
    assert draft.criteria.count() == published.criteria.count()
    # The draft can change; the published version is untouched.
    duty = Duty.objects.filter(section__template=draft).first()
    duty.text = "Reworded in version 2"
    duty.save()
    assert not Duty.objects.filter(section__template=published, text=duty.text).exists()
    # Asking again returns the same draft: one draft per family.
    assert services.start_new_version(template=published, by=user) == draft


def test_publish_and_retire(published):
    user = f.AdministratorFactory()
    draft = services.start_new_version(template=published, by=user)
    done = services.publish(template=draft, by=user)
    assert done.status == "published" and done.published_by == user
    # The earlier version stays published until retired: posts may use it.
    published.refresh_from_db()
    assert published.status == "published"
    retired = services.retire(template=published, by=user)
    assert retired.status == "retired"
    with pytest.raises(ValidationError):
        services.publish(template=retired, by=user)
    with pytest.raises(ValidationError):
        services.retire(template=retired, by=user)


def test_empty_draft_cannot_be_published():
    with pytest.raises(ValidationError):
        services.publish(template=f.JobTemplateFactory(), by=None)


def test_copy_for_local_adaptation_starts_a_new_family(published):
    user = f.AdministratorFactory()
    copy = services.copy_for_local_adaptation(
        template=published, name="Testshire DCO", source="", by=user
    )
    assert copy.family != published.family and copy.version == 1
    assert copy.status == "draft" and copy.based_on == published
    assert "Adapted from" in copy.source
    again = services.copy_for_local_adaptation(
        template=published, name="Testshire DCO", source="", by=user
    )
    assert again.family != copy.family
    with pytest.raises(ValidationError):
        services.copy_for_local_adaptation(template=published, name="  ", source="", by=user)


def test_start_new_version_records_by_on_the_audit_log(published, admin):
    draft = services.start_new_version(template=published, by=admin)
    LogEntry = get_logentry_model()
    assert actor_of(draft, LogEntry.Action.CREATE) == admin
    copied = Duty.objects.filter(section__template=draft).first()
    assert actor_of(copied.section, LogEntry.Action.CREATE) == admin


def test_copy_for_local_adaptation_keeps_a_given_source_and_records_by(published, admin):
    copy = services.copy_for_local_adaptation(
        template=published, name="  Testshire DMO ", source=" Testshire ICB, 2025 ", by=admin
    )
    assert (copy.name, copy.source, copy.family) == (
        "Testshire DMO",
        "Testshire ICB, 2025",
        "testshire-dmo",
    )
    assert copy.sections.count() == published.sections.count()
    assert actor_of(copy) == admin


def test_copy_for_local_adaptation_needs_a_name_keyed_by_field(published, admin):
    with pytest.raises(ValidationError) as error:
        services.copy_for_local_adaptation(template=published, name="", source="", by=admin)
    assert messages_for(error) == {"name": ["Enter a name for the local template."]}


def test_publish_stamps_when_and_by_whom(published, admin):
    draft = services.start_new_version(template=published, by=admin)
    when = timezone.make_aware(datetime.datetime(2025, 6, 2, 9, 30))
    done = services.publish(template=draft, by=admin, now=when)
    done.refresh_from_db()
    assert (done.status, done.published_at, done.published_by) == (
        TemplateStatus.PUBLISHED,
        when,
        admin,
    )
    assert actor_of(done, get_logentry_model().Action.UPDATE) == admin


def test_publish_refusals_are_keyed(published, admin):
    with pytest.raises(ValidationError) as error:
        services.publish(template=published, by=admin)
    assert messages_for(error) == {"status": ["Only a draft can be published."]}
    with pytest.raises(ValidationError) as error:
        services.publish(template=f.JobTemplateFactory(), by=admin)
    assert messages_for(error) == {
        NON_FIELD_ERRORS: ["Add at least one section before publishing."]
    }


def test_publish_without_a_user_leaves_published_by_empty(published):
    draft = services.start_new_version(template=published, by=None)
    assert services.publish(template=draft, by=None).published_by is None


def test_retire_records_by_and_refuses_a_draft_keyed_by_status(published, admin):
    retired = services.retire(template=published, by=admin)
    assert retired.status == TemplateStatus.RETIRED
    assert actor_of(retired, get_logentry_model().Action.UPDATE) == admin
    with pytest.raises(ValidationError) as error:
        services.retire(template=f.JobTemplateFactory(), by=admin)
    assert messages_for(error) == {"status": ["Only a published version can be retired."]}


# --- The post-holder's record ---------------------------------------------------------


def test_add_membership(post, officer):
    entry = services.add_membership(
        post=post,
        by=officer,
        kind="send_partnership",
        name="SEND partnership board",
        role_on_board="Adviser",
        since=datetime.date(2024, 1, 1),
    )
    assert Membership.objects.get(post=post) == entry
    assert (entry.name, entry.role_on_board, entry.until) == (
        "SEND partnership board",
        "Adviser",
        None,
    )
    assert actor_of(entry) == officer


def test_add_membership_refusals_are_keyed(post, officer):
    with pytest.raises(ValidationError) as error:
        services.add_membership(post=post, by=officer, kind="nonsense", name="")
    assert set(messages_for(error)) == {"kind", "name"}
    with pytest.raises(ValidationError) as error:
        services.add_membership(
            post=post,
            by=officer,
            kind="panel",
            name="Panel",
            since=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 1, 1),
        )
    # Keyed to the field since the rule moved from the form into the model.
    assert messages_for(error) == {"until": ["The end date must be on or after the start date"]}
    with pytest.raises(ValidationError) as error:
        services.add_membership(
            post=post, by=officer, kind="panel", name="Panel", since=datetime.date(2009, 12, 31)
        )
    assert messages_for(error) == {"since": ["Enter a date from 2010 onwards"]}
    assert not Membership.objects.exists()


def test_record_rules_hold_without_a_form(post, officer):
    """The 2010 floor and half points are the record's rules, not the form's."""
    with pytest.raises(ValidationError) as error:
        services.add_cpd(
            post=post,
            by=officer,
            activity="Course",
            completed_on=datetime.date(2009, 6, 1),
            points=Decimal("1.2"),
        )
    assert messages_for(error) == {
        "completed_on": ["Enter a date from 2010 onwards"],
        "points": ["Enter the points in halves, for example 1 or 1.5"],
    }
    with pytest.raises(ValidationError) as error:
        services.add_training(
            post=post,
            by=officer,
            title="Talk",
            audience="SENCOs",
            delivered_on=datetime.date(2009, 1, 1),
            attendees=3,
        )
    assert messages_for(error) == {"delivered_on": ["Enter a date from 2010 onwards"]}
    with pytest.raises(ValidationError) as error:
        services.record_appraisal(
            post=post, by=officer, last_appraisal_on=datetime.date(2005, 1, 1)
        )
    assert messages_for(error) == {"last_appraisal_on": ["Enter a date from 2010 onwards"]}


def test_add_training(post, officer):
    entry = services.add_training(
        post=post, by=officer, title="Health advice", audience="GPs", delivered_on=DAY, attendees=12
    )
    assert list(TrainingSession.objects.filter(post=post)) == [entry]
    assert (entry.delivered_on, entry.attendees) == (DAY, 12)
    assert actor_of(entry) == officer


def test_add_training_refusal_is_keyed(post, officer):
    with pytest.raises(ValidationError) as error:
        services.add_training(
            post=post, by=officer, title="Big", audience="All", delivered_on=DAY, attendees=100_001
        )
    assert set(messages_for(error)) == {"attendees"}
    assert not TrainingSession.objects.exists()


def test_add_cpd(post, officer):
    entry = services.add_cpd(
        post=post, by=officer, activity="Course", completed_on=DAY, points=Decimal("1.5")
    )
    assert list(CPDEntry.objects.filter(post=post)) == [entry]
    assert entry.points == Decimal("1.5")
    assert actor_of(entry) == officer


def test_add_cpd_refusal_is_keyed(post, officer):
    with pytest.raises(ValidationError) as error:
        services.add_cpd(post=post, by=officer, activity="x", completed_on=DAY, points=Decimal(0))
    assert set(messages_for(error)) == {"points"}
    assert not CPDEntry.objects.exists()


def test_record_appraisal(post, officer):
    done = services.record_appraisal(post=post, by=officer, last_appraisal_on=DAY)
    post.refresh_from_db()
    assert done.last_appraisal_on == post.last_appraisal_on == DAY
    assert actor_of(post, get_logentry_model().Action.UPDATE) == officer


def test_record_appraisal_needs_a_date_keyed_by_field(post, officer):
    with pytest.raises(ValidationError) as error:
        services.record_appraisal(post=post, by=officer, last_appraisal_on=None)
    assert set(messages_for(error)) == {"last_appraisal_on"}


# --- The local agreement on a post's time ---------------------------------------------


def test_record_local_agreement_records_changes_and_clears(post, officer):
    done = services.record_local_agreement(
        post=post,
        by=officer,
        local_agreement_on=DAY,
        local_agreement_parties="  NHS Testshire ICB and Testshire Trust ",
        local_agreement_pas=Decimal("3"),
    )
    post.refresh_from_db()
    assert (post.local_agreement_on, post.local_agreement_parties, post.local_agreement_pas) == (
        DAY,
        "NHS Testshire ICB and Testshire Trust",
        Decimal("3"),
    )
    assert done.has_local_agreement and post.has_local_agreement
    assert actor_of(post, get_logentry_model().Action.UPDATE) == officer

    services.record_local_agreement(
        post=post,
        by=officer,
        local_agreement_on=DAY,
        local_agreement_parties="NHS Testshire ICB and Testshire Trust",
        local_agreement_pas=Decimal("3.5"),
    )
    post.refresh_from_db()
    assert post.local_agreement_pas == Decimal("3.5")

    services.record_local_agreement(
        post=post,
        by=officer,
        local_agreement_on=None,
        local_agreement_parties="",
        local_agreement_pas=None,
    )
    post.refresh_from_db()
    assert not post.has_local_agreement
    assert post.local_agreement_on is None and post.local_agreement_parties == ""


@pytest.mark.parametrize(
    ("values", "keys"),
    [
        ({"local_agreement_on": None}, {"local_agreement_on"}),
        ({"local_agreement_parties": " "}, {"local_agreement_parties"}),
        ({"local_agreement_pas": None}, {"local_agreement_pas"}),
        ({"local_agreement_pas": Decimal("0")}, {"local_agreement_pas"}),
        ({"local_agreement_pas": Decimal("10.5")}, {"local_agreement_pas"}),
        ({"local_agreement_on": datetime.date(2999, 1, 1)}, {"local_agreement_on"}),
    ],
)
def test_record_local_agreement_refusals_are_keyed(post, officer, values, keys):
    answers = {
        "local_agreement_on": DAY,
        "local_agreement_parties": "ICB and Trust",
        "local_agreement_pas": Decimal("3"),
        **values,
    }
    with pytest.raises(ValidationError) as error:
        services.record_local_agreement(post=post, by=officer, **answers)
    assert set(messages_for(error)) == keys
    post.refresh_from_db()
    assert not post.has_local_agreement


# --- by inside a request ----------------------------------------------------------------


def test_by_wins_inside_a_request_whose_context_is_then_restored(post, officer, admin):
    """The audit log middleware names the signed-in user for the request;
    a service names its ``by`` for its own writes, keeps the request's
    address, and leaves the request's actor in place for later writes."""
    with set_extra_data({"actor": admin, "remote_addr": "192.0.2.7", "remote_port": None}):
        entry = services.add_cpd(
            post=post, by=officer, activity="Course", completed_on=DAY, points=Decimal("1")
        )
        post.title = "Renamed afterwards"
        post.save()
    LogEntry = get_logentry_model()
    logged = LogEntry.objects.get_for_object(entry).get()
    assert (logged.actor, logged.remote_addr) == (officer, "192.0.2.7")
    assert actor_of(post, LogEntry.Action.UPDATE) == admin


def test_by_none_keeps_the_request_actor(post, admin):
    with set_extra_data({"actor": admin, "remote_addr": None, "remote_port": None}):
        entry = services.add_cpd(
            post=post, by=None, activity="Course", completed_on=DAY, points=Decimal("1")
        )
    assert actor_of(entry) == admin
