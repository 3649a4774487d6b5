"""API of the notifications: the user's own, and marking them read."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from yanzhen.core.api import page_of
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User
from yanzhen.core.schemas import ErrorOut, Page, PageNo, PageSize
from yanzhen.notifications import selectors, services
from yanzhen.notifications.models import Notification
from yanzhen.notifications.schemas import MarkReadIn, MarkReadOut, NotificationOut

router = Router(tags=["消息"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        kind=n.kind,
        kind_label=n.kind_label,
        title=n.title,
        body=n.body,
        url=n.url,
        read=n.read_at is not None,
        created_at=n.created_at,
    )


class NotificationQuery(Schema):
    unread: bool = False
    page: PageNo = 1
    page_size: PageSize = 50


@router.get("/notifications", response={200: Page[NotificationOut], **ERRORS})
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> dict[str, object]:
    """My notifications, newest first (``unread=true``: only those not yet read)."""
    qs = selectors.notification_list(user=request.user, unread=query.unread)
    page, size = query.page, query.page_size
    items = [_out(n) for n in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.post("/notifications/read", response={200: MarkReadOut, **ERRORS})
def mark_notifications_read(request: HttpRequest, body: MarkReadIn) -> MarkReadOut:
    """Mark my notifications ``ids`` read, or ``{"all": true}``: all of them. Another user's
    ids are ignored."""
    assert isinstance(request.user, User)
    if body.all == bool(body.ids):
        message = "请给出要标为已读的消息 ids，或 all: true（二者选一）"
        raise DomainError("invalid", message, {"ids": message}, status=422)
    marked = services.mark_read(user=request.user, ids=None if body.all else body.ids)
    return MarkReadOut(marked=marked, unread=selectors.unread_count(request.user))
