"""Notifying: :func:`notify` is the one way to tell users that something waits for them.

It writes one in-platform notification per recipient — at most once per recipient and event
(kind, the record it is about, the occasion) — and queues what goes out of the platform: an
e-mail to each recipient who wants this kind by e-mail, and one message to each group robot
the recipients' units post to (their own, else the nearest unit above up to their county).
The worker (``yanzhen run_worker``) sends them, never the request; a failed delivery is
retried with exponential backoff and, after the last attempt, shown to the system
administrator by channel, host, error, attempts and time only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.counties import email_sender
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ADMIN_KINDS, Unit, UnitClosure, UnitKind, User
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.jobs.retry import Backoff
from yanzhen.notifications.events import DEFAULTS, Event
from yanzhen.notifications.models import (
    DIGEST,
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    Preference,
    Robot,
    RobotKind,
)
from yanzhen.notifications.robots import Webhook, WebhookNotAllowedError, check_webhook_url, post

# Six attempts: after 2, 4, 8, 16 and 32 minutes; given up about an hour after the first.
DELIVERY_BACKOFF = Backoff(attempts=6, first=dt.timedelta(minutes=2))
DIGEST_MAX_ITEMS = 50
ROBOT_MAX_BODY = 1500
ROBOT_MAX_TITLES = 30
# A unit's notices go to its robots, else to those of the nearest unit above it with one, up
# to its county (or city, or province): never across to another county's group.
TOP_KINDS = (UnitKind.COUNTY, UnitKind.CITY, UnitKind.PROVINCE)


def subject_of(about: models.Model) -> str:
    return f"{about._meta.label_lower}:{about.pk}"


def notify(
    *,
    event: str,
    about: models.Model,
    title: str,
    body: str = "",
    url: str = "",
    users: Iterable[User] = (),
    units: Iterable[Unit] = (),
    occasion: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Tell the active users given and the users of the units given about ``event`` (an
    :class:`~yanzhen.notifications.events.Event`) of the record ``about``.

    Each recipient gets it once per ``event``, ``about`` and ``occasion`` (a deadline, a
    date, a level: what makes it a new event of the same record); calling again changes
    nothing. ``actor`` — who did what is being notified — is not told of it. The users of a
    unit do not include its administrators (系统管理员、安全管理员、安全审计员 see no
    business data); they are reached only when named in ``users``. E-mails and robot
    messages are queued for the worker. Returns the notifications written now."""
    if event not in Event.values:
        raise ValueError(f"unknown notification event {event!r}")
    subject = subject_of(about)
    occasion = occasion[:80]
    unit_ids = [u.pk for u in units]
    user_ids = [u.pk for u in users]
    by_unit = Q(unit_id__in=unit_ids) & ~Q(roles__kind__in=ADMIN_KINDS)
    recipients = (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=user_ids) | by_unit)
        .distinct()
        .select_related("unit")
        .order_by("pk")
    )
    if actor is not None:
        recipients = recipients.exclude(pk=actor.pk)
    people = list(recipients)
    told: set[int] = set()
    for start in range(0, len(people), 500):  # the unique index, by recipient
        told.update(
            Notification.objects.filter(
                recipient_id__in=[u.pk for u in people[start : start + 500]],
                kind=event,
                subject=subject,
                occasion=occasion,
            ).values_list("recipient_id", flat=True)
        )
    created: list[Notification] = []
    for recipient in people:
        if recipient.pk in told:
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=recipient,
                    kind=event,
                    subject=subject,
                    occasion=occasion,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                )
        except IntegrityError:  # written by a concurrent call in the meantime
            continue
        created.append(notice)
    if created:
        _queue(event, created)
    return created


# Preferences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    email: bool
    robot: bool


def preferences_of(user_ids: Sequence[int], kind: str) -> dict[int, Choice]:
    """Each user's choice for ``kind`` (the kind's defaults where they made none)."""
    default = DEFAULTS[kind]
    out = {pk: Choice(email=default.email, robot=default.robot) for pk in user_ids}
    for pref in Preference.objects.filter(user_id__in=user_ids, kind=kind):
        out[pref.user_id] = Choice(email=pref.email, robot=pref.robot)
    return out


def preferences_save(*, user: User, choices: dict[str, Choice], digest: bool) -> None:
    """Save the user's choice for each kind and for the daily digest."""
    unknown = sorted(set(choices) - set(Event.values))
    if unknown:
        raise DomainError("invalid", f"未知的消息类别：{'、'.join(unknown)}")
    with transaction.atomic():
        for kind, choice in {**choices, DIGEST: Choice(email=digest, robot=False)}.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": choice.email, "robot": choice.robot}
            )


def wants_digest(user_ids: Sequence[int]) -> set[int]:
    off = set(
        Preference.objects.filter(user_id__in=user_ids, kind=DIGEST, email=False).values_list(
            "user_id", flat=True
        )
    )
    return {pk for pk in user_ids if pk not in off}


# Robots of each unit ----------------------------------------------------------------------------


def robots_for(units: Iterable[Unit]) -> dict[int, list[Robot]]:
    """The active robots each unit's notices go to: its own, else the nearest unit's above it
    up to its county."""
    unit_ids = {u.pk for u in units}
    chains: dict[int, list[tuple[int, str]]] = {pk: [] for pk in unit_ids}
    rows = (
        UnitClosure.objects.filter(descendant_id__in=unit_ids)
        .order_by("descendant_id", "depth")
        .values_list("descendant_id", "ancestor_id", "ancestor__kind")
    )
    for descendant, ancestor, kind in rows:
        chains[descendant].append((ancestor, kind))
    ancestors = {a for chain in chains.values() for a, _ in chain}
    robots: dict[int, list[Robot]] = {}
    for robot in Robot.objects.filter(unit_id__in=ancestors, is_active=True).order_by("pk"):
        robots.setdefault(robot.unit_id, []).append(robot)
    out: dict[int, list[Robot]] = {}
    for unit_id, chain in chains.items():
        out[unit_id] = []
        for ancestor, kind in chain:
            if ancestor in robots:
                out[unit_id] = robots[ancestor]
                break
            if kind in TOP_KINDS:
                break
    return out


def robot_save(
    *,
    actor: User,
    robot: Robot | None,
    unit: Unit,
    name: str,
    kind: str,
    url: str,
    secret: str,
    is_active: bool,
) -> Robot:
    """Add or change a unit's robot. The address must be on the allow-list (checked again
    each time a message is sent); an empty ``url`` or ``secret`` on a change keeps the one
    saved."""
    require_unit_in_scope(actor, unit, field="unit", label="所属单位")
    instance = robot or Robot(created_by=actor)
    url = url.strip() or (instance.url if robot is not None else "")
    secret = secret.strip() or (instance.secret if robot is not None else "")
    if not url:
        raise DomainError("invalid", "请填写机器人地址", {"url": "请填写机器人地址"})
    try:
        check_webhook_url(url)
    except WebhookNotAllowedError as refused:
        raise DomainError("invalid", str(refused), {"url": str(refused)}) from None
    if secret and kind != RobotKind.DINGTALK:
        message = "只有钉钉机器人有加签密钥"
        raise DomainError("invalid", message, {"secret": message})
    instance.unit = unit
    instance.name = name.strip()
    instance.kind = kind
    instance.url = url
    instance.secret = secret
    instance.is_active = is_active
    instance.updated_by = actor
    validate(instance)
    instance.save()
    return instance


def robot_delete(*, actor: User, robot: Robot) -> None:
    require_unit_in_scope(actor, robot.unit, field="unit", label="所属单位")
    robot.delete()


# Deliveries -------------------------------------------------------------------------------------


def _mail_host(address: str) -> str:
    return address.rpartition("@")[2][:200]


def _queue(event: str, created: list[Notification]) -> None:
    """The deliveries of notifications just written, queued for the worker."""
    choices = preferences_of([n.recipient_id for n in created], event)
    deliveries: list[tuple[Delivery, list[Notification]]] = []
    for notice in created:
        address = notice.recipient.email
        if choices[notice.recipient_id].email and address:
            deliveries.append(
                (
                    Delivery(
                        channel=Channel.EMAIL, recipient=notice.recipient, host=_mail_host(address)
                    ),
                    [notice],
                )
            )
    robot_bound = [n for n in created if choices[n.recipient_id].robot and n.recipient.unit]
    routes = robots_for(n.recipient.unit for n in robot_bound if n.recipient.unit is not None)
    batch = _batch.get()
    per_robot: dict[int, tuple[Robot, list[Notification]]] = {} if batch is None else batch
    for notice in robot_bound:
        assert notice.recipient.unit_id is not None
        for robot in routes.get(notice.recipient.unit_id, []):
            per_robot.setdefault(robot.pk, (robot, []))[1].append(notice)
    for delivery, notices in deliveries:
        _save(delivery, notices)
    if batch is None:
        _queue_robots(per_robot)


def _save(delivery: Delivery, notices: list[Notification]) -> None:
    delivery.save()
    delivery.notifications.add(*notices)
    _enqueue(delivery)


def _queue_robots(per_robot: dict[int, tuple[Robot, list[Notification]]]) -> None:
    for robot, notices in per_robot.values():
        host = Webhook(robot.url).host
        _save(Delivery(channel=Channel.WEBHOOK, robot=robot, host=host), notices)


_batch: ContextVar[dict[int, tuple[Robot, list[Notification]]] | None] = ContextVar(
    "robot_batch", default=None
)


@contextmanager
def robot_batch() -> Iterator[None]:
    """Within it, each group robot gets one message for all the notices written (a daily
    run's reminders), queued at the end, instead of one message per event."""
    if _batch.get() is not None:  # already inside one
        yield
        return
    pending: dict[int, tuple[Robot, list[Notification]]] = {}
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    _queue_robots(pending)


def _enqueue(delivery: Delivery, when: dt.datetime | None = None) -> None:
    # The task module imports this one (it calls delivery_attempt); imported where used.
    from yanzhen.notifications.tasks import deliver

    task = deliver if when is None else deliver.using(run_after=when)
    task.enqueue(delivery.pk)


def _link(url: str) -> str:
    base = str(settings.YANZHEN_SITE_URL).rstrip("/")
    return f"{base}{url}" if url else ""


def _robot_text(notices: Sequence[Notification]) -> str:
    """One event: its title, body and link; several (a daily run): their titles."""
    titles = list(dict.fromkeys(n.title for n in notices))
    if len(titles) > 1:
        lines = [f"【雁阵】{len(titles)} 条提醒"] + [f"· {t}" for t in titles[:ROBOT_MAX_TITLES]]
        if len(titles) > ROBOT_MAX_TITLES:
            lines.append(f"……另有 {len(titles) - ROBOT_MAX_TITLES} 条，请登录平台查看")
        return "\n".join(lines)
    notice = notices[0]
    body = notice.body
    if len(body) > ROBOT_MAX_BODY:
        body = body[:ROBOT_MAX_BODY] + "……"
    lines = [f"【雁阵】{notice.title}"]
    if body:
        lines.append(body)
    if notice.url:
        lines.append(_link(notice.url))
    return "\n".join(lines)


def _digest_text(notices: Sequence[Notification], unread: int) -> str:
    lines = [f"您在雁阵平台有 {unread} 条未读消息："]
    lines += [
        f"· {timezone.localtime(n.created_at):%m-%d %H:%M} "
        f"〔{n.kind_label}〕{n.title}" + (f"  {_link(n.url)}" if n.url else "")
        for n in notices
    ]
    if unread > len(notices):
        lines.append(f"……另有 {unread - len(notices)} 条，请登录平台查看")
    return "\n".join(lines)


def _send(delivery: Delivery) -> None:
    """Send ``delivery`` once; an exception says why it failed."""
    if delivery.channel == Channel.WEBHOOK:
        robot = delivery.robot
        if robot is None or not robot.is_active:
            raise RuntimeError("机器人已删除或停用")
        notices = list(delivery.notifications.order_by("pk"))
        if not notices:
            raise RuntimeError("没有要发送的消息")
        hook = Webhook(robot.url, robot.secret)
        try:
            post(hook, _robot_text(notices))
        except Exception as error:
            raise RuntimeError(hook.scrub(str(error))) from None
        return
    recipient = delivery.recipient
    if recipient is None or not recipient.email:
        raise RuntimeError("接收人没有电子邮箱")
    notices = list(delivery.notifications.order_by("-created_at", "-pk"))
    sender = email_sender(recipient.unit)  # the county's own sender, else the platform's
    if delivery.channel == Channel.EMAIL:
        notice = notices[0]
        text = "\n\n".join(part for part in (notice.body, _link(notice.url)) if part)
        send_mail(f"【雁阵】{notice.title}", text, sender, [recipient.email])
        return
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
    subject = f"【雁阵】{delivery.occasion} 未读消息汇总（{unread} 条）"
    send_mail(subject, _digest_text(notices, unread), sender, [recipient.email])


def delivery_attempt(*, delivery_id: int) -> str:
    """One attempt at a queued delivery (the worker's task): sent; or failed and queued again
    after the backoff; or given up after the last attempt. The new state."""
    delivery = (
        Delivery.objects.filter(
            pk=delivery_id, state__in=(DeliveryState.PENDING, DeliveryState.RETRYING)
        )
        .select_related("robot", "recipient")
        .first()
    )
    if delivery is None:
        return "gone"
    now = timezone.now()
    try:
        _send(delivery)
    except Exception as error:  # any transport failure is recorded and retried
        error_text = str(error)[:300] or type(error).__name__
    else:
        error_text = ""
    attempts = delivery.attempts + 1
    fields: dict[str, object] = {"attempts": attempts, "last_attempt_at": now}
    retry_at = None
    if not error_text:
        fields.update(state=DeliveryState.SENT, sent_at=now, error="", next_attempt_at=None)
    else:
        retry_at = DELIVERY_BACKOFF.next_attempt(attempts, now)
        state = DeliveryState.RETRYING if retry_at else DeliveryState.FAILED
        fields.update(state=state, error=error_text, next_attempt_at=retry_at)
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            **fields
        )
        if not changed:  # attempted by another worker in the meantime
            return "gone"
        delivery.refresh_from_db()
        if retry_at is not None:
            _enqueue(delivery, retry_at)
        elif delivery.state == DeliveryState.FAILED:
            _tell_administrators(delivery)
    return str(delivery.state)


def _tell_administrators(delivery: Delivery) -> None:
    """A delivery given up: the system administrators are told once a day per robot or
    recipient — by channel and host, never by what was to be sent."""
    # Reads of who holds a permission live with the selectors.
    from yanzhen.notifications.selectors import holders

    about: models.Model | None = delivery.robot if delivery.robot else delivery.recipient
    if about is None:
        return
    today = timezone.localdate()
    notify(
        event=Event.DELIVERY_FAILED,
        about=about,
        occasion=f"{today:%Y-%m-%d}:{delivery.channel}",
        title=f"消息发送失败：{delivery.get_channel_display()} {delivery.host}",
        body=f"已尝试 {delivery.attempts} 次，最后一次错误：{delivery.error}",
        url=reverse("notifications:delivery_list"),
        users=holders("notifications.view_delivery"),
    )


def digest_send(*, now: dt.datetime | None = None) -> list[Delivery]:
    """The daily digest: one e-mail per user (with an address, who has not turned it off)
    listing their unread notifications, when any came in the last day. Once a day per
    user. The deliveries queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    since = now - dt.timedelta(days=1)
    users = list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(notifications__read_at__isnull=True, notifications__created_at__gte=since)
        .distinct()
        .order_by("pk")
    )
    wanted = wants_digest([u.pk for u in users])
    queued = []
    for user in users:
        if user.pk not in wanted:
            continue
        unread = list(
            Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
                "-created_at", "-pk"
            )[:DIGEST_MAX_ITEMS]
        )
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    channel=Channel.DIGEST,
                    recipient=user,
                    host=_mail_host(user.email),
                    occasion=f"{day:%Y-%m-%d}",
                )
                delivery.notifications.add(*unread)
                _enqueue(delivery)
        except IntegrityError:  # today's digest is queued already
            continue
        queued.append(delivery)
    return queued


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications ``ids`` (all when None) read; the number marked."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
