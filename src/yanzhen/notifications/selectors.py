"""Reads of notifications: a user sees only their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from yanzhen.core.filters import Filters, flag
from yanzhen.core.models import User
from yanzhen.notifications.models import Notification


@dataclass(frozen=True)
class NotificationFilters(Filters):
    unread: bool = flag("只看未读")


def notification_list(
    *, user: User | AnonymousUser, unread: bool = False
) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User | AnonymousUser) -> int:
    return notification_list(user=user, unread=True).count()
