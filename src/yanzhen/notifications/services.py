"""Sending notifications: in the platform, by e-mail, and to WeCom / DingTalk group robots.

``notify`` writes one notification per recipient (the users of the given units, plus the given
users), once per ``key``; ``dispatch`` sends the new ones through the configured channels and
records every attempt. Webhook URLs carry secrets: only their host is ever recorded.

Robots are an outbound request the operator configures, so they are held to an allow-list
(server-side request forgery): HTTPS to WeCom or DingTalk or a host named in
``YANZHEN_WEBHOOK_HOSTS``, never to a private, loopback, link-local or otherwise non-public
address — the host is resolved when sending, every address checked, and the connection made
to the checked address (no second lookup, no redirect). Hosts named in
``YANZHEN_WEBHOOK_PRIVATE_HOSTS`` may be on the intranet (and use plain HTTP).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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


# The group robots of WeCom (企业微信) and DingTalk (钉钉).
DEFAULT_WEBHOOK_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com")


class WebhookNotAllowedError(Exception):
    """A robot address outside the allow-list: nothing is sent (the message says why)."""


@dataclass(frozen=True)
class WebhookTarget:
    scheme: str
    host: str
    port: int
    address: str  # the checked address the connection goes to


def _host_set(name: str) -> set[str]:
    return {h.lower().rstrip(".") for h in getattr(settings, name, ())}


def check_webhook_url(url: str) -> tuple[str, str, int, bool]:
    """``(scheme, host, port, may_be_private)`` of a robot address on the allow-list, or
    :class:`WebhookNotAllowedError` (without the address: it carries the robot's key)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    private = host in _host_set("YANZHEN_WEBHOOK_PRIVATE_HOSTS")
    public = host in {*DEFAULT_WEBHOOK_HOSTS, *_host_set("YANZHEN_WEBHOOK_HOSTS")}
    if parts.username is not None or parts.password is not None:
        raise WebhookNotAllowedError("机器人地址不能包含用户名或密码")
    if not (private or public):
        raise WebhookNotAllowedError(
            f"机器人主机“{host or '（空）'}”不在允许范围内"
            "（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）"
        )
    allowed = ("http", "https") if private else ("https",)
    if parts.scheme not in allowed:
        raise WebhookNotAllowedError(f"机器人地址须使用 HTTPS（{host}）")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookNotAllowedError(f"机器人地址的端口不正确（{host}）") from None
    return parts.scheme, host, port, private


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve_webhook(url: str) -> WebhookTarget:
    """The checked target of a robot address: on the allow-list, and every address its host
    resolves to public (unless the host is a configured private one)."""
    scheme, host, port, private = check_webhook_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise RuntimeError(f"无法解析机器人主机“{host}”：{error}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise RuntimeError(f"无法解析机器人主机“{host}”")
    if not private:
        blocked = [a for a in addresses if not _public(a)]
        if blocked:
            raise WebhookNotAllowedError(
                f"机器人主机“{host}”解析到内网、本机或链路本地地址（{blocked[0]}），已拒绝发送"
            )
    return WebhookTarget(scheme, host, port, addresses[0])


def _connection(target: WebhookTarget) -> http.client.HTTPConnection:
    """A connection to ``target``'s checked address (the host is not looked up again),
    speaking TLS for the host's name."""
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT_SECONDS)

    def pinned(address: Any, timeout: Any = TIMEOUT_SECONDS, source: Any = None) -> socket.socket:
        return socket.create_connection((target.address, target.port), timeout, source)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    return conn


def _robot_text(notifications: Sequence[Notification]) -> str:
    titles = sorted({n.title for n in notifications})
    lines = [f"【雁阵】{len(titles)} 条提醒"] + [f"· {t}" for t in titles[:30]]
    if len(titles) > 30:
        lines.append(f"……另有 {len(titles) - 30} 条，请登录平台查看")
    return "\n".join(lines)


def _post(hook: Webhook, text: str) -> None:
    target = resolve_webhook(hook.url)
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}).encode()
    signed = urllib.parse.urlsplit(hook.signed_url())
    path = signed.path or "/"
    if signed.query:
        path = f"{path}?{signed.query}"
    conn = _connection(target)
    try:
        conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"机器人返回 HTTP {response.status}")
    answer = json.loads(body or b"{}")
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
