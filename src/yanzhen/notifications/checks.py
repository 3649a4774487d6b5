"""Start-up check of the configured group robots (``yanzhen check``): an address outside the
allow-list is reported before any reminder is sent to it (sending refuses it in any case)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from yanzhen.notifications.services import (
    WebhookNotAllowedError,
    check_webhook_url,
    configured_webhooks,
)


@register()
def webhooks_allowed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:

    problems: list[CheckMessage] = []
    for index, hook in enumerate(configured_webhooks(), start=1):
        try:
            check_webhook_url(hook.url)
        except WebhookNotAllowedError as refused:
            problems.append(
                Warning(
                    f"YANZHEN_WEBHOOK_URLS 第 {index} 个机器人地址不会被使用：{refused}",
                    hint="改用企业微信或钉钉的机器人地址，或把主机加入 YANZHEN_WEBHOOK_HOSTS"
                    "（内网中转机加入 YANZHEN_WEBHOOK_PRIVATE_HOSTS）",
                    id="yanzhen.W010",
                )
            )
    return problems
