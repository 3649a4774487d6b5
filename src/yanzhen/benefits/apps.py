from __future__ import annotations

from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    """The services that keep talents (服务留人): the catalogue of benefits with eligibility
    rules as data, each talent's entitlements, their deliveries and the monthly payment lists,
    reminders, and talent apartments. Its pages keep the talent app's paths and URL names
    (``/talent/benefits/``, ``talent:benefit_list``) and its tables their ``talent_`` names."""

    name = "yanzhen.benefits"
    label = "benefits"
    verbose_name = "人才服务"
    url_prefix = "talent/"
    nav_group = "人才工作"
    nav_order = 30
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("talent:benefit_list", "待遇目录", "benefits.view_benefit"),
        ("talent:entitlement_list", "人才待遇", "benefits.view_entitlement"),
        ("talent:delivery_list", "待遇兑现", "benefits.view_delivery"),
        ("talent:payment_list", "补贴发放表", "benefits.view_delivery"),
        ("talent:reminder_list", "待办提醒", "benefits.view_entitlement"),
        ("talent:apartment_list", "人才公寓", "benefits.view_apartment"),
    )
