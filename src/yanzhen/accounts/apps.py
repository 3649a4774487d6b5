from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yanzhen.accounts"
    label = "accounts"
    verbose_name = "账户与安全"
    url_prefix = "accounts/"

    def ready(self) -> None:
        # The receivers use the models: imported once the app registry is ready.
        from yanzhen.accounts import signals

        signals.connect()
