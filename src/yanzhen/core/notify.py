"""Notifications as core sends them (a person registered twice goes to those who may resolve
it). The notifications app, above core, keeps and delivers them and installs itself at start
(``NotificationsConfig.ready``: ``notifier.install(notifications.services)``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from django.db import models

from yanzhen.core.registry import Port

if TYPE_CHECKING:
    from yanzhen.core.models import Unit, User


class Notifier(Protocol):
    """``yanzhen.notifications.services`` is the implementation."""

    def notify(
        self,
        *,
        event: str,
        about: models.Model,
        title: str,
        body: str = ...,
        url: str = ...,
        users: Iterable[User] = ...,
        units: Iterable[Unit] = ...,
        occasion: str = ...,
        actor: User | None = ...,
    ) -> object:
        """One notification per active recipient, at most once per recipient, event, record
        and occasion."""


# The event kind core sends (``notifications.events.Event.PERSON_DUPLICATE``).
PERSON_DUPLICATE = "person.duplicate"
# The review workflow's (``core.workflow``): ``Event.REVIEW_REQUESTED`` and ``REVIEW_DECIDED``.
REVIEW_REQUESTED = "review.requested"
REVIEW_DECIDED = "review.decided"
REVIEW_OVERDUE = "review.overdue"  # ``Event.REVIEW_OVERDUE``: the daily reminder of deciders


notifier: Port[Notifier] = Port("消息提醒应用（yanzhen.notifications）未启用：无法发送提醒")
