"""Two factors (TOTP, RFC 6238) with django-otp: enrolment with a QR code drawn here (no
network), verification that refuses a replayed code, and a lock after 5 wrong codes within 15
minutes (30 minutes, like the password lock)."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.accounts.lockout import policy
from yanzhen.audit.models import EventKind, SecurityEvent
from yanzhen.audit.services import record
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User

ISSUER = "雁阵"
LOCKED = "动态口令错误次数过多，已锁定，请30分钟后再试"


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
    _, _, lock = policy()
    now = now or timezone.now()
    last = (
        SecurityEvent.objects.filter(
            kind=EventKind.OTP_LOCKOUT, username=username, created_at__gt=now - lock
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last + lock if last is not None else None


def _fail(request: HttpRequest, user: User) -> DomainError:
    limit, window, _ = policy()
    record(EventKind.OTP_FAILED, request=request, user=user)
    since = timezone.now() - window
    failures = SecurityEvent.objects.filter(
        kind=EventKind.OTP_FAILED, username=user.username, created_at__gt=since
    ).count()
    if failures >= limit:
        record(EventKind.OTP_LOCKOUT, request=request, user=user)
        message = "动态口令错误次数过多，已锁定30分钟"
        return DomainError("otp_locked", message, {"token": message})
    message = "动态口令不正确或已使用过"
    return DomainError("otp_wrong", message, {"token": message})


def verify(request: HttpRequest, user: User, token: str, *, enrolling: bool = False) -> None:
    """Check a code; on success the session counts as verified (django-otp)."""
    if otp_locked_until(user.username) is not None:
        raise DomainError("otp_locked", LOCKED, {"token": LOCKED})
    device = pending_device(user) if enrolling else confirmed_device(user)
    if device is None:
        raise DomainError("otp_missing", "尚未绑定动态口令", {"token": "请先绑定"})
    cleaned = "".join(token.split())
    if not (cleaned.isdigit() and device.verify_token(cleaned)):
        raise _fail(request, user)
    if enrolling:
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(EventKind.OTP_ENROLLED, request=request, user=user)
    otp_login(request, device)
