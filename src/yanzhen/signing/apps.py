from __future__ import annotations

from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "yanzhen.signing"
    label = "signing"
    verbose_name = "云签约"
