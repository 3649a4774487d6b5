"""Reads of notifications: a user sees only their own; robots in the user's data scope; the
deliveries that failed, for the system administrator (without titles or bodies)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, record
from yanzhen.core.models import Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.notifications.events import DEFAULTS, Event
from yanzhen.notifications.models import (
    DIGEST,
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    Preference,
    Robot,
)


def notification_list(
    *, user: User | AnonymousUser, unread: bool = False
) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get(user: User | AnonymousUser, pk: int) -> Notification:
    """One of the user's own notifications (404 for anyone else's)."""
    return get_object_or_404(notification_list(user=user), pk=pk)


def unread_count(user: User | AnonymousUser) -> int:
    return notification_list(user=user, unread=True).count()


def holders(perm: str, *, unit: Unit | None = None) -> list[User]:
    """Active users who hold ``perm`` (through a role, directly, or as superuser) and, when
    ``unit`` is given, whose data scope contains it: whom to tell of work that needs ``perm``
    on ``unit`` (e.g. ``supervision.assign_problem`` on the unit that raised a problem)."""
    app_label, codename = perm.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is None:
        return []
    candidates = (
        User.objects.filter(is_active=True)
        .filter(
            Q(roles__permissions=permission, roles__is_active=True)
            | Q(user_permissions=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in candidates
        if user.has_perm(perm) and (unit is None or scope_of(user).contains_unit(unit))
    ]


# Robots -----------------------------------------------------------------------------------------


def robot_qs(user: User | AnonymousUser) -> QuerySet[Robot]:
    """The robots of the units in the user's data scope."""
    return Robot.objects.filter(scope_of(user).q("unit", creator_lookup=None)).select_related(
        "unit"
    )


@dataclass(frozen=True)
class RobotFilters(Filters):
    unit: int | None = record("单位", hidden=True)


def robot_list(*, user: User | AnonymousUser, filters: RobotFilters) -> QuerySet[Robot]:
    """The robots of the units in ``user``'s scope (of one unit, ``unit``), unit by unit."""
    qs = robot_qs(user)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    return qs.order_by("unit__sort_order", "unit_id", "name", "id")


def robot_get(user: User | AnonymousUser, pk: int) -> Robot:
    return get_object_or_404(robot_qs(user), pk=pk)


# Deliveries -------------------------------------------------------------------------------------


# What the failure page shows of a delivery: never the notifications it carries.
DELIVERY_COLUMNS = (
    "channel", "host", "state", "attempts", "error", "created_at", "last_attempt_at",
    "next_attempt_at",
)  # fmt: skip


@dataclass(frozen=True)
class DeliveryFilters(Filters):
    state: str = choice(
        "状态",
        [
            (DeliveryState.FAILED, DeliveryState.FAILED.label),
            (DeliveryState.RETRYING, DeliveryState.RETRYING.label),
        ],
    )


def delivery_list(*, filters: DeliveryFilters) -> QuerySet[Delivery]:
    """Deliveries that failed or wait for a retry (``state`` narrows to one), newest first —
    for the page of the system administrator, which shows no title or body."""
    states: list[str] = [DeliveryState.FAILED, DeliveryState.RETRYING]
    if filters.state in states:
        states = [filters.state]
    return (
        Delivery.objects.filter(state__in=states)
        .only(*DELIVERY_COLUMNS)
        .order_by("-last_attempt_at", "-id")
    )


@dataclass(frozen=True)
class Queued:
    emails: int
    robots: int


def queued_deliveries(notices: list[Notification]) -> Queued:
    """How many e-mails and robot messages go out for ``notices`` (a command's summary)."""
    ids = [n.pk for n in notices]
    found: dict[str, set[int]] = {Channel.EMAIL: set(), Channel.WEBHOOK: set()}
    for start in range(0, len(ids), 500):
        rows = Delivery.objects.filter(notifications__in=ids[start : start + 500]).values_list(
            "channel", "pk"
        )
        for channel, pk in rows:
            found.setdefault(channel, set()).add(pk)
    return Queued(emails=len(found[Channel.EMAIL]), robots=len(found[Channel.WEBHOOK]))


# Preferences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    email: bool
    robot: bool


def preference_rows(user: User) -> tuple[list[PreferenceRow], bool]:
    """The user's choice for every kind (defaults where none was made), and the digest's."""
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind, label in Event.choices:
        pref = saved.get(kind)
        default = DEFAULTS[kind]
        rows.append(
            PreferenceRow(
                kind=kind,
                label=str(label),
                email=pref.email if pref else default.email,
                robot=pref.robot if pref else default.robot,
            )
        )
    digest = saved.get(DIGEST)
    return rows, digest.email if digest else True
