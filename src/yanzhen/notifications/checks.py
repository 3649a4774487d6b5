"""Start-up check (``yanzhen check``): the deployment-wide robot list of earlier versions is no
longer read — robots are configured per unit, so that one county's reminders never reach
another county's group."""

from __future__ import annotations

import os
from typing import Any

from django.core.checks import CheckMessage, Warning, register


@register()
def webhooks_moved(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not os.environ.get("YANZHEN_WEBHOOK_URLS", "").strip():
        return []
    return [
        Warning(
            "YANZHEN_WEBHOOK_URLS 已不再使用：群机器人按单位在平台上配置（消息 → 群机器人），"
            "以免一个县的提醒发到另一个县的群",
            hint="在平台上为各单位新增群机器人后，删除环境变量 YANZHEN_WEBHOOK_URLS",
            id="yanzhen.W011",
        )
    ]
