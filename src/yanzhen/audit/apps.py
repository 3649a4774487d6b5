from __future__ import annotations

from django.apps import AppConfig

from yanzhen.audit.checks import check_audit_key
from yanzhen.core import trail
from yanzhen.core.checks import key_checks


class AuditConfig(AppConfig):
    name = "yanzhen.audit"
    label = "audit"
    verbose_name = "安全审计"
    url_prefix = "audit/"

    def ready(self) -> None:
        # The services and receivers use the models: imported once the app registry is ready.
        from yanzhen.audit import services, signals

        signals.connect()
        key_checks(check_audit_key)
        trail.audit_trail.install(services)
