"""Two factors (TOTP, RFC 6238) with django-otp: enrolment with a QR code drawn here (no
network), verification that refuses a replayed code, and a lock after 5 wrong codes within 15
minutes (30 minutes, like the password lock).

A user enrols only while they have no confirmed device. Once a device is confirmed, the
password alone never leads to an enrolment: a new device replaces the old one only with a
code of the old one (:func:`rebind`), or after a security administrator has reset the user's
factor (``services.otp_reset``: logged, all sessions ended)."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.accounts import lockout
from yanzhen.audit.services import record
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User
from yanzhen.core.trail import EventKind

ISSUER = "雁阵"
LOCKED = "动态口令错误次数过多，已锁定，请30分钟后再试"
WRONG = "动态口令不正确或已使用过"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, made here (the intranet has no QR service)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
    return buffer.getvalue().decode()


def otp_locked_until(username: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    return lockout.event_locked_until(username, lock_kind=EventKind.OTP_LOCKOUT, now=now)


def _check(request: HttpRequest, user: User, device: TOTPDevice, token: str, *, field: str) -> None:
    """Verify ``token`` on ``device``; a wrong or replayed code counts towards the lock."""
    cleaned = "".join(token.split())
    if cleaned.isdigit() and device.verify_token(cleaned):
        return
    if lockout.event_failure(
        request, user, fail_kind=EventKind.OTP_FAILED, lock_kind=EventKind.OTP_LOCKOUT
    ):
        message = "动态口令错误次数过多，已锁定30分钟"
        raise DomainError("otp_locked", message, {field: message})
    raise DomainError("otp_wrong", WRONG, {field: WRONG})


def _refuse_if_locked(user: User, field: str = "token") -> None:
    if otp_locked_until(user.username) is not None:
        raise DomainError("otp_locked", LOCKED, {field: LOCKED})


def verify(request: HttpRequest, user: User, token: str) -> None:
    """Check a code of the user's confirmed device; on success the session counts as
    verified (django-otp)."""
    _refuse_if_locked(user)
    device = confirmed_device(user)
    if device is None:
        raise DomainError("otp_missing", "尚未绑定动态口令", {"token": "请先绑定"})
    _check(request, user, device, token, field="token")
    otp_login(request, device)


def enrol(request: HttpRequest, user: User, token: str) -> None:
    """Confirm the first device of a user who has none (the code proves the app has the
    secret); the session counts as verified."""
    _refuse_if_locked(user)
    with transaction.atomic():
        if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            message = "已绑定动态口令：更换设备须输入原设备的动态口令"
            raise DomainError("otp_enrolled", message, {"token": message}, status=403)
        device = pending_device(user)
    _check(request, user, device, token, field="token")
    _confirm(request, user, device, replaced=False)


def rebind(request: HttpRequest, user: User, old_token: str, token: str) -> None:
    """Replace the confirmed device by the pending one: a code of each is needed."""
    _refuse_if_locked(user, "old_token")
    old = confirmed_device(user)
    if old is None:
        raise DomainError("otp_missing", "尚未绑定动态口令", {"old_token": "请先绑定"})
    _check(request, user, old, old_token, field="old_token")
    new = pending_device(user)
    _check(request, user, new, token, field="token")
    _confirm(request, user, new, replaced=True)


def _confirm(request: HttpRequest, user: User, device: TOTPDevice, *, replaced: bool) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(EventKind.OTP_ENROLLED, request=request, user=user, detail={"replaced": replaced})
    otp_login(request, device)
