"""Two-factor sign-in (TOTP with an authenticator app, plus one-time recovery codes)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections import authcache, policies
from inspections.errors import DomainError, Problem
from inspections.policies import Actor
from inspections.services.accounts import profile_of
from inspections.services.audit import record_event

RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery"


def totp_pending(*, user: Actor) -> TOTPDevice:
    """The device being enrolled: the same secret across reloads until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: Actor, device: TOTPDevice, code: str) -> list[str]:
    """The first good code confirms the device; returns fresh recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("Thiết bị không hợp lệ."), problem=Problem.WRONG_STATE)
    if not device.verify_token(_clean(code)):
        raise DomainError(
            _("Mã chưa đúng."),
            fields={"code": [_("Mã chưa đúng: hãy nhập 6 chữ số đang hiện trong ứng dụng.")]},
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _mark(user, enabled=True)
    record_event(actor=user, action="two_factor_enrolled", target=user)
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: Actor) -> list[str]:
    """Ten new one-time codes for a lost phone; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record_event(actor=user, action="recovery_codes_renewed", target=user)
    return codes


def second_factor_check(*, user: Actor, code: str) -> Device | None:
    """The device this code belongs to (a recovery code is used up), or None."""
    token = _clean(code)
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def two_factor_disable(*, user: Actor) -> None:
    """Optional accounts may turn it off; Internal Affairs and the admin may not."""
    if policies.needs_two_factor(user):
        raise DomainError(
            _("Tài khoản của bạn bắt buộc xác thực hai bước."), problem=Problem.FORBIDDEN
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _mark(user, enabled=False)
    record_event(actor=user, action="two_factor_disabled", target=user)


def totp_enrol_with_key(*, user: Actor, key: str) -> TOTPDevice:
    """A confirmed device with a known secret (hex): the demo's Internal Affairs account."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="totp", defaults={"key": key, "confirmed": True}
    )
    _mark(user, enabled=True)
    return device


def has_second_factor(user: Actor) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def _mark(user: Actor, *, enabled: bool) -> None:
    profile = profile_of(user)
    profile.two_factor_enabled = enabled
    profile.save(update_fields=["two_factor_enabled"])
    authcache.forget_person(user.pk)


def _clean(code: str) -> str:
    return "".join(str(code).split()).replace("-", "")[:32]
