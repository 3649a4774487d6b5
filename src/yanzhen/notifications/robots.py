"""Posting to WeCom / DingTalk group robots, held to an allow-list.

Robots are an outbound request a unit's administrator configures, so they are held to an
allow-list (server-side request forgery): HTTPS to WeCom or DingTalk or a host named in
``YANZHEN_WEBHOOK_HOSTS``, never to a private, loopback, link-local or otherwise non-public
address — the host is resolved when sending, every address checked, and the connection made
to the checked address (no second lookup, no redirect). Hosts named in
``YANZHEN_WEBHOOK_PRIVATE_HOSTS`` may be on the intranet (and use plain HTTP). Robot addresses
carry keys: only their host is ever shown or recorded.
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
from dataclasses import dataclass
from typing import Any

from django.conf import settings

TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str = ""

    @property
    def host(self) -> str:
        """Host and port, never the user part or the path and query (they hold the key)."""
        return urllib.parse.urlsplit(self.url).netloc.rpartition("@")[2][:200]

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

    def scrub(self, text: str) -> str:
        """``text`` (an error) without the address or the secret."""
        for secret in (self.url, self.secret):
            if secret:
                text = text.replace(secret, self.host)
        return text


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


def post(hook: Webhook, text: str) -> None:
    """Send ``text`` to the robot; an exception says why it was not delivered."""
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
