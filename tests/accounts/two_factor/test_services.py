"""The two-factor services, called directly with plain values, as any way
in (a page, an admin, a command) would call them."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import services
from tests.two_factor import app_code, set_up_app

REASON = "Lost phone; identity checked by calling the number on file"

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict[field]


def test_enrolment_with_a_code_computed_from_the_key(area):
    user = area.officer
    waiting = services.start_enrolment(user=user, by=user)
    assert not waiting.confirmed
    # What an authenticator app computes from the key the page shows.
    code = f"{totp(waiting.bin_key, waiting.step, waiting.t0, waiting.digits):06d}"

    device, codes = services.confirm_enrolment(user=user, token=code, by=user)

    assert device.pk == waiting.pk
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == services.RECOVERY_CODE_COUNT == len(set(codes))
    stored = StaticToken.objects.filter(device__user=user, device__confirmed=True)
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)


def test_the_waiting_app_is_the_same_until_confirmed(area):
    user = area.la_officer
    first = services.start_enrolment(user=user, by=user)
    assert services.start_enrolment(user=user, by=user).pk == first.pk
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_is_refused_and_counted(area):
    user = area.officer
    waiting = services.start_enrolment(user=user, by=user)
    wrong = f"{(int(app_code(waiting)) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError) as error:
        services.confirm_enrolment(user=user, token=wrong, by=user)
    assert messages_of(error, "token") == [services.WRONG_APP_CODE]
    waiting.refresh_from_db()
    assert not waiting.confirmed
    # The failure was kept although the service raised: the next try must wait.
    assert waiting.throttling_failure_count == 1
    with pytest.raises(ValidationError) as error:
        services.confirm_enrolment(user=user, token=app_code(waiting), by=user)
    assert messages_of(error, "token") == ["Too many wrong codes: wait 1 second, then try again"]


def test_confirming_with_nothing_waiting_says_start_again(area):
    with pytest.raises(ValidationError) as error:
        services.confirm_enrolment(user=area.officer, token="123456", by=area.officer)
    assert messages_of(error, "token") == [services.NOTHING_WAITING]


def test_an_app_code_verifies_once(area):
    user = area.officer
    device, _codes = set_up_app(user)
    code = app_code(device)
    verified = services.verify(user=user, code=code, by=user)
    assert verified.device == device
    assert verified.recovery_codes_left is None
    with pytest.raises(ValidationError) as error:
        services.verify(user=user, code=code, by=user)
    assert messages_of(error, "code") == [services.WRONG_CODE]


def test_a_recovery_code_works_once(area):
    user = area.practitioner
    _device, codes = set_up_app(user)
    # Typed as shown (two halves) and in capitals: still the code.
    typed = f"{codes[0][:4]} {codes[0][4:]}".upper()
    verified = services.verify(user=user, code=typed, by=user)
    assert isinstance(verified.device, StaticDevice)
    assert verified.recovery_codes_left == services.RECOVERY_CODE_COUNT - 1
    # Another unused code still works; the used one no longer does.
    assert services.verify(user=user, code=codes[1], by=user).recovery_codes_left == 8
    with pytest.raises(ValidationError) as error:
        services.verify(user=user, code=codes[0], by=user)
    assert messages_of(error, "code") == [services.WRONG_CODE]


def test_another_users_codes_do_not_verify(area):
    _device, codes = set_up_app(area.officer)
    other_device, _ = set_up_app(area.la_officer)
    with pytest.raises(ValidationError):
        services.verify(user=area.la_officer, code=codes[0], by=area.la_officer)
    assert StaticToken.objects.filter(token=codes[0]).exists()


def test_new_recovery_codes_replace_the_old_ones(area):
    user = area.officer
    _device, old = set_up_app(user)
    new = services.new_recovery_codes(user=user, by=user)
    assert set(new).isdisjoint(old)
    assert services.verify(user=user, code=new[0], by=user).recovery_codes_left == 9
    with pytest.raises(ValidationError):
        services.verify(user=user, code=old[0], by=user)


def test_new_recovery_codes_need_an_app(area):
    with pytest.raises(ValidationError):
        services.new_recovery_codes(user=area.commissioner, by=area.commissioner)


def test_setting_up_a_new_app_replaces_the_old_one(area):
    user = area.officer
    old, old_codes = set_up_app(user)
    new, new_codes = set_up_app(user)
    assert new.pk != old.pk
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert StaticToken.objects.filter(token__in=old_codes).count() == 0
    assert StaticToken.objects.filter(token__in=new_codes).count() == 10


@pytest.mark.parametrize(
    "call",
    [
        lambda user, by: services.start_enrolment(user=user, by=by),
        lambda user, by: services.confirm_enrolment(user=user, token="123456", by=by),
        lambda user, by: services.verify(user=user, code="123456", by=by),
        lambda user, by: services.new_recovery_codes(user=user, by=by),
    ],
)
def test_only_the_user_sets_up_or_uses_their_own(area, call):
    with pytest.raises(PermissionDenied):
        call(area.officer, area.administrator)


def test_reset_by_an_administrator_removes_everything_and_is_audited(area):
    user = area.officer
    device, _codes = set_up_app(user)
    assert services.reset(user=user, by=area.administrator, reason=REASON) is True

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    removed = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(TOTPDevice),
        object_pk=str(device.pk),
        action=LogEntry.Action.DELETE,
    )
    assert removed.actor == area.administrator
    on_user = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_pk=str(user.pk)
    ).latest("timestamp")
    assert on_user.actor == area.administrator
    assert on_user.changes_dict == {"two-factor sign-in": ["set up", "reset"]}
    assert on_user.additional_data == {"reason": REASON}


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reset_needs_a_reason_of_sensible_length(area, reason):
    set_up_app(area.officer)
    with pytest.raises(ValidationError) as refused:
        services.reset(user=area.officer, by=area.administrator, reason=reason)
    assert "reason" in refused.value.message_dict
    assert TOTPDevice.objects.filter(user=area.officer).exists()


def test_reset_of_someone_with_nothing_set_up(area):
    assert services.reset(user=area.commissioner, by=area.administrator, reason=REASON) is False


@pytest.mark.parametrize("role", ["officer", "practitioner", "commissioner", "la_officer"])
def test_only_an_administrator_resets(area, role):
    set_up_app(area.officer)
    with pytest.raises(PermissionDenied):
        services.reset(user=area.officer, by=area.user(role), reason=REASON)
    assert TOTPDevice.objects.filter(user=area.officer).exists()


def test_the_audit_log_never_holds_a_key_or_a_code(area):
    user = area.officer
    device, codes = set_up_app(user)
    services.verify(user=user, code=codes[0], by=user)
    services.reset(user=user, by=area.administrator, reason=REASON)
    logged = " ".join(str(entry.changes) for entry in LogEntry.objects.all())
    assert device.key not in logged
    assert not any(code in logged for code in codes)
    totp_type = ContentType.objects.get_for_model(TOTPDevice)
    actions = list(
        LogEntry.objects.filter(content_type=totp_type)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    # Set up (waiting), confirmed, removed: each sign-in's bookkeeping is not logged.
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
