"""The home page of each role (工作台): the reader's to-dos first — reviews waiting, reporting
tasks due from their unit, problems assigned to it, overdue milestones, unread notices — then
what the role works on: an enterprise its needs, applications waiting for review and
cooperations; a town (street) its tasks and villages; the leader the year at a glance
(``/overview/``). Each figure opens the records it counts; a to-do the reader's role cannot
have (no permission for its kind) is not listed. A constant number of queries per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.models import UnitKind, User
from yanzhen.core.selectors import unit_qs
from yanzhen.core.workflow import flows, inbox_count
from yanzhen.demand.selectors import need_qs
from yanzhen.notifications.selectors import unread_count
from yanzhen.reporting.models import MISSING_STATES
from yanzhen.reporting.selectors import submission_qs
from yanzhen.supervision.models import OPEN_PROBLEM_STATES, MilestoneStatus
from yanzhen.supervision.selectors import milestone_qs, problem_qs

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

TOWN_KINDS = (UnitKind.TOWN, UnitKind.STREET)
INBOX, UNREAD = "待我审核", "未读消息"


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Home:
    todos: list[Item]
    section: str  # "", "enterprise", "town" or "leader": what follows the to-dos
    own: list[Item]

    def header_counts(self) -> dict[str, int | None]:
        """The header's counts (``core`` and ``notifications``' context processors) as the
        to-dos counted them: the page does not count them again."""
        by_label = {item.label: item.count for item in self.todos}
        return {
            "pending_reviews": by_label.get(INBOX),
            "unread_notifications": by_label[UNREAD],
        }


def _url(name: str, **query: str | int) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def todos(*, user: User, today: dt.date) -> list[Item]:
    items: list[Item] = []
    if any(user.has_perm(f.permission) for f in flows()):
        items.append(Item(INBOX, inbox_count(user), _url("core:review_list")))
    if user.unit_id is not None and user.has_perm("reporting.view_task"):
        due = submission_qs(user).filter(unit_id=user.unit_id, state__in=MISSING_STATES)
        items.append(Item("待填报任务", due.count(), _url("reporting:task_list")))
    if user.unit_id is not None and user.has_perm("supervision.view_problem"):
        mine = problem_qs(user).filter(
            responsible_unit_id=user.unit_id, state__in=OPEN_PROBLEM_STATES
        )
        url = _url("supervision:problem_list", state="open", unit=user.unit_id)
        items.append(Item("交办给本单位的问题", mine.count(), url))
    if user.has_perm("supervision.view_milestone"):
        late = milestone_qs(user).exclude(status=MilestoneStatus.DONE).filter(due_date__lt=today)
        items.append(Item("逾期节点", late.count(), _url("supervision:milestone_list", overdue=1)))
    items.append(Item(UNREAD, unread_count(user), _url("notifications:list", unread=1)))
    return items


def _enterprise(user: AnyUser) -> list[Item]:
    items = []
    if user.has_perm("demand.view_talentneed"):
        items.append(Item("本单位人才需求", need_qs(user).count(), _url("demand:need_list")))
    if user.has_perm("cooperation.view_cooperation"):
        cooperations = cooperation_qs(user)
        pending = cooperations.filter(approved=False).count()
        items.append(
            Item(
                "待审核的合作申报", pending, _url("cooperation:cooperation_list", review="pending")
            )
        )
        items.append(
            Item("本单位合作项目", cooperations.count(), _url("cooperation:cooperation_list"))
        )
    return items


def _town(user: AnyUser) -> list[Item]:
    items = []
    if user.has_perm("core.view_unit"):
        villages = unit_qs(user).filter(kind=UnitKind.VILLAGE).count()
        items.append(
            Item("所辖村（社区）", villages, _url("core:unit_list", kind=UnitKind.VILLAGE))
        )
    if user.has_perm("cooperation.view_cooperation"):
        count = cooperation_qs(user).count()
        items.append(Item("本镇合作项目", count, _url("cooperation:cooperation_list")))
    return items


def home(*, user: User, today: dt.date) -> Home:
    unit_kind = user.unit.kind if user.unit is not None else ""
    if unit_kind == UnitKind.ENTERPRISE:
        section, own = "enterprise", _enterprise(user)
    elif unit_kind in TOWN_KINDS:
        section, own = "town", _town(user)
    elif user.has_perm("reports.sign_briefing"):  # the leaders who sign the briefings
        section, own = "leader", []
    else:
        section, own = "", []
    return Home(todos(user=user, today=today), section, own)
