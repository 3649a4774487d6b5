"""Core writes the audit trail and sends notifications through ports the apps above it
install at start (``core.registry.Port``): core imports no app."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from yanzhen.audit import services as audit_services
from yanzhen.core.notify import Notifier, notifier
from yanzhen.core.registry import Port
from yanzhen.core.trail import Trail, audit_trail
from yanzhen.notifications import services as notification_services


def test_the_apps_install_their_services_at_start() -> None:
    assert audit_trail() is audit_services
    assert notifier() is notification_services


def test_a_port_with_nothing_installed_refuses_in_chinese() -> None:
    trail: Port[Trail] = Port("安全审计应用未启用")
    with pytest.raises(ImproperlyConfigured, match=r"^安全审计应用未启用$"):
        trail()
    notices: Port[Notifier] = Port("消息提醒应用未启用")
    notices.install(notification_services)
    notices.install(notification_services)  # installing again replaces, never stacks
    assert notices() is notification_services
