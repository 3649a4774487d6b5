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
