"""The worker's task of the notifications: one attempt at a delivery."""

from __future__ import annotations

from django_tasks import task

from yanzhen.notifications.services import delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    """Send the delivery ``delivery_id`` (queued again with backoff when it fails)."""
    return delivery_attempt(delivery_id=delivery_id)
