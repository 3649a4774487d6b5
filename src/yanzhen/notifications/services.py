"""Sending notifications: in the platform, by e-mail, and to WeCom / DingTalk group robots.

``notify`` writes one notification per recipient (the users of the given units, plus the given
users), once per ``key``; ``dispatch`` sends the new ones through the configured channels and
records every attempt. Webhook URLs carry secrets: only their host is ever recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yanzhen.core.models import Unit, User
from yanzhen.notifications.models import Channel, Delivery, Notification

TIMEOUT_SECONDS = 5


def notify(
    *,
    category: str,
    title: str,
    body: str = "",
    url: str = "",
    users: Iterable[User] = (),
    units: Iterable[Unit] = (),
    key: str = "",
) -> list[Notification]:
    """One notification per active recipient, skipping those who already had ``key``."""
    unit_ids = [u.pk for u in units]
    user_ids = [u.pk for u in users]
    recipients = User.objects.filter(is_active=True).filter(
        Q(pk__in=user_ids) | Q(unit_id__in=unit_ids)
    )
    created = []
    for recipient in recipients.order_by("pk"):
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=recipient,
                        category=category,
                        title=title[:200],
                        body=body,
                        url=url[:300],
                        key=key[:200],
                    )
                )
        except IntegrityError:  # sent by a concurrent run in the meantime
            continue
    return created


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str = ""

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc

    def signed_url(self) -> str:
        """DingTalk robots with 加签: timestamp and HMAC-SHA256 signature as parameters."""
        if not self.secret:
            return self.url
        timestamp = str(round(time.time() * 1000))
        digest = hmac.new(
            self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}timestamp={timestamp}&sign={sign}"


def configured_webhooks() -> list[Webhook]:
    """``YANZHEN_WEBHOOK_URLS``: space-separated ``url`` or ``url|secret`` entries."""
    hooks = []
    for entry in getattr(settings, "YANZHEN_WEBHOOK_URLS", ()):
        url, _, secret = entry.partition("|")
        hooks.append(Webhook(url, secret))
    return hooks


def _robot_text(notifications: Sequence[Notification]) -> str:
    titles = sorted({n.title for n in notifications})
    lines = [f"【雁阵】{len(titles)} 条提醒"] + [f"· {t}" for t in titles[:30]]
    if len(titles) > 30:
        lines.append(f"……另有 {len(titles) - 30} 条，请登录平台查看")
    return "\n".join(lines)


def _post(hook: Webhook, text: str) -> None:
    if urllib.parse.urlsplit(hook.url).scheme not in ("http", "https"):
        raise RuntimeError("机器人地址只能是 http 或 https")
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL comes from the operator's settings)
        hook.signed_url(), data=payload, headers={"Content-Type": "application/json"}
    )
    # The scheme is checked above; the URL comes from the operator's settings.
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"机器人返回错误 {answer.get('errcode')}: {answer.get('errmsg', '')}")


@dataclass
class DispatchReport:
    emails: int = 0
    webhooks: int = 0
    failures: int = 0


def dispatch(notifications: Sequence[Notification]) -> DispatchReport:
    """Send ``notifications`` by e-mail (to recipients with an address) and to each robot."""
    report = DispatchReport()
    if not notifications:
        return report
    for notification in notifications:
        address = notification.recipient.email
        if not address:
            continue
        delivery = Delivery(channel=Channel.EMAIL, target=address)
        try:
            send_mail(
                f"【雁阵】{notification.title}",
                f"{notification.body}\n\n{notification.url}".strip(),
                None,
                [address],
            )
            delivery.ok = True
            report.emails += 1
        except Exception as error:  # any transport failure is recorded, never raised
            delivery.error = str(error)[:300]
            report.failures += 1
        delivery.save()
        delivery.notifications.add(notification)
    for hook in configured_webhooks():
        delivery = Delivery(channel=Channel.WEBHOOK, target=hook.host)
        try:
            _post(hook, _robot_text(notifications))
            delivery.ok = True
            report.webhooks += 1
        except Exception as error:  # network errors, timeouts and robot errors alike
            delivery.error = str(error).replace(hook.url, hook.host)[:300]
            report.failures += 1
        delivery.save()
        delivery.notifications.add(*notifications)
    return report


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
