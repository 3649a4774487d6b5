from __future__ import annotations

from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "yanzhen.signing"
    label = "signing"
    verbose_name = "云签约"
    nav_group = "省校合作"
    nav_order = 10
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("signing:agreement_list", "协议台账", "signing.view_agreement"),
        ("signing:ceremony_list", "集中云签约", "signing.view_agreement"),
        ("signing:verify", "验证电子签名", None),
    )
