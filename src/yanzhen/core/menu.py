"""The menu of the platform, declared in one place: the left sidebar's groups by work area, each
entry a page (URL name without arguments), its label and the permission it needs (``None``:
every logged-in user the page admits). A new page gets its menu entry by one line here.

What a user sees is filtered twice: by the permission, and by ``may_open`` — the caller's
answer to whether the user may open the page at all (三员分立: administrators open no
business page, ``accounts.context_processors``). A user is never shown an entry that refuses
them. The breadcrumbs follow the same declaration: home › group › the entry the current page
belongs to (its own URL name, or a page of the same namespace and noun, e.g.
``cooperation:cooperation_detail`` under ``cooperation:cooperation_list``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf, reverse

from yanzhen.core.models import User


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    perm: str | None = None


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...]


MENU: tuple[Group, ...] = (
    Group(
        "工作台",
        (
            Entry("reports:dashboard", "工作看板"),
            Entry("reports:overview", "年度总览"),
            Entry("reports:briefing_list", "工作简报", "reports.view_briefing"),
            Entry("reports:info_list", "信息报送", "reports.view_workinfo"),
            Entry("reports:outgoing_list", "专报记录", "reports.view_outgoingreport"),
            Entry("reports:search", "全局搜索"),
        ),
    ),
    Group(
        "省校合作",
        (
            Entry("cooperation:cooperation_list", "合作台账", "cooperation.view_cooperation"),
            Entry("cooperation:base_list", "合作基地", "cooperation.view_base"),
            Entry("cooperation:base_type_list", "基地类型", "cooperation.view_base"),
            Entry("cooperation:partner_list", "合作高校", "cooperation.view_cooperation"),
            Entry("cooperation:activity_list", "对接活动", "cooperation.view_activity"),
            Entry("cooperation:secondment_list", "挂职交流", "cooperation.view_secondment"),
            Entry("cooperation:followup_list", "落地项目跟踪", "cooperation.view_followup"),
            Entry("signing:agreement_list", "协议台账", "signing.view_agreement"),
            Entry("signing:ceremony_list", "集中云签约", "signing.view_agreement"),
            Entry("signing:verify", "验证电子签名"),
            Entry("portal:registration_list", "门户注册", "portal.review_registration"),
            Entry("portal:need_hall", "需求大厅", "portal.review_registration"),
            Entry("portal:event_list", "云对接会", "portal.view_matchevent"),
            Entry("portal:call_list", "揭榜挂帅", "portal.view_call"),
            Entry("portal:thread_list", "对接洽谈", "portal.review_registration"),
        ),
    ),
    Group(
        "人才需求",
        (
            Entry("demand:demand_map", "需求图谱", "demand.view_talentneed"),
            Entry("demand:need_list", "人才需求", "demand.view_talentneed"),
            Entry("demand:campaign_list", "需求调查", "demand.view_surveycampaign"),
            Entry("demand:supply", "高校学科实力"),
            Entry("demand:expert_list", "专家库", "demand.view_expert"),
            Entry("demand:recommend", "高校专家推荐", "demand.view_talentneed"),
            Entry("demand:visit_list", "对接走访清单", "demand.view_talentneed"),
            Entry("demand:held_list", "待确认导入", "demand.view_heldrow"),
            Entry("demand:trash", "已删除的需求和专家", "demand.delete_talentneed"),
        ),
    ),
    Group(
        "人才工作",
        (
            Entry("talent:talent_list", "人才库", "talent.view_talent"),
            Entry("talent:talent_stats", "人才统计", "talent.view_talent"),
            Entry("talent:campaign_list", "招聘活动", "talent.view_campaign"),
            Entry("talent:applicant_list", "报名人员", "talent.view_applicant"),
            Entry("talent:programme_list", "分配项目", "placement.view_programme"),
            Entry("talent:internship_list", "实习实训", "placement.view_internship"),
            Entry("talent:college_list", "培训学院", "college.view_college"),
            Entry("talent:benefit_list", "待遇目录", "benefits.view_benefit"),
            Entry("talent:entitlement_list", "人才待遇", "benefits.view_entitlement"),
            Entry("talent:delivery_list", "待遇兑现", "benefits.view_delivery"),
            Entry("talent:payment_list", "补贴发放表", "benefits.view_delivery"),
            Entry("talent:reminder_list", "待办提醒", "benefits.view_entitlement"),
            Entry("talent:apartment_list", "人才公寓", "benefits.view_apartment"),
        ),
    ),
    Group(
        "闭环管理",
        (
            Entry("supervision:board", "基地推进总览", "supervision.view_milestone"),
            Entry("supervision:leader", "领导工作台", "supervision.view_milestone"),
            Entry("supervision:milestone_list", "工作方案节点", "supervision.view_milestone"),
            Entry("supervision:round_list", "工作调度", "supervision.view_round"),
            Entry("supervision:problem_list", "问题清单", "supervision.view_problem"),
            Entry("supervision:action_item_list", "会议决定事项", "supervision.view_actionitem"),
            Entry("reporting:task_list", "数据填报", "reporting.view_task"),
        ),
    ),
    Group(
        "量化考核",
        (
            Entry("assessment:period_list", "考核结果", "assessment.view_period"),
            Entry("assessment:trend", "得分趋势", "assessment.view_period"),
            Entry("assessment:appeal_list", "考核申诉", "assessment.view_score"),
            Entry("assessment:system_list", "指标体系", "assessment.view_indicatorsystem"),
        ),
    ),
    Group(
        "单位与人员",
        (
            Entry("core:unit_list", "单位", "core.view_unit"),
            Entry("core:person_list", "人员", "core.view_person"),
            Entry("core:duplicate_list", "重复人员", "core.resolve_duplicate_person"),
            Entry("core:county_settings", "县级设置", "core.change_countysettings"),
            Entry("reference:university_list", "高校库"),
        ),
    ),
    Group(
        "消息",
        (
            Entry("notifications:list", "我的消息"),
            Entry("notifications:preferences", "提醒设置"),
            Entry("core:export_job_list", "我的导出"),
            Entry("notifications:robot_list", "群机器人", "notifications.view_robot"),
            Entry("notifications:delivery_list", "发送失败记录", "notifications.view_delivery"),
        ),
    ),
    Group(
        "系统管理",
        (
            Entry("accounts:user_list", "账户管理", "core.view_user"),
            Entry("accounts:role_list", "角色与权限", "core.view_role"),
            Entry("accounts:request_list", "审批申请", "core.view_approvalrequest"),
            Entry("accounts:lockout_list", "锁定账户", "axes.view_accessattempt"),
            Entry("accounts:pii_request_list", "完整个人信息审批", "core.approve_personal_data"),
            Entry("accounts:pii_request_list", "完整个人信息申请", "core.view_personal_data"),
            Entry("accounts:security", "我的账户安全"),
        ),
    ),
    Group(
        "安全审计",
        (
            Entry("audit:event_list", "安全日志", "audit.view_securityevent"),
            Entry("audit:access_list", "个人信息访问日志", "audit.view_accesslog"),
            Entry("audit:export_list", "导出记录", "audit.view_exportlog"),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class ShownGroup:
    title: str
    links: tuple[Link, ...]
    current: bool


def stem(url_name: str) -> tuple[str, str]:
    """``cooperation:cooperation_detail`` → (``cooperation``, ``cooperation``): the namespace
    and the noun a page is about."""
    namespace, _, name = url_name.rpartition(":")
    return namespace, name.split("_")[0]


@dataclass(frozen=True)
class Frame:
    """The frame of users whose pages are an app's own (the portal's universities and experts):
    who they are, the base template of their pages and the pages they may open. The app above
    core installs it (:func:`install_frame`); the sidebar then shows them no other page, and
    core's error pages are drawn in their frame, never with the intranet's header."""

    applies: Callable[[User], bool]
    template: str
    may_open: Callable[[str], bool]


_frames: dict[str, Frame] = {}


def install_frame(frame: Frame) -> None:
    _frames[frame.template] = frame


def frame_of(user: User | AnonymousUser) -> Frame | None:
    """The frame ``user``'s pages are drawn in, when an app has one for them."""
    if not isinstance(user, User):
        return None
    return next((f for f in _frames.values() if f.applies(user)), None)


def _visible(
    user: User | AnonymousUser, may_open: Callable[[str], bool]
) -> list[tuple[Group, list[Entry]]]:
    shown: list[tuple[Group, list[Entry]]] = []
    frame = frame_of(user)
    for group in MENU:
        entries: list[Entry] = []
        seen: set[str] = set()
        for entry in group.entries:
            # A page listed under several permissions is shown once, by its first label.
            if entry.url_name in seen:
                continue
            framed = frame is None or frame.may_open(entry.url_name)
            if (
                (entry.perm is None or user.has_perm(entry.perm))
                and framed
                and may_open(entry.url_name)
            ):
                entries.append(entry)
                seen.add(entry.url_name)
        if entries:
            shown.append((group, entries))
    return shown


def _current(view_name: str, shown: list[tuple[Group, list[Entry]]]) -> Entry | None:
    entries = [e for _group, es in shown for e in es]
    for entry in entries:
        if entry.url_name == view_name:
            return entry
    noun = stem(view_name)
    for entry in entries:
        if stem(entry.url_name) == noun:
            return entry
    return None


@lru_cache(maxsize=1024)
def _reversed(resolver: URLResolver, prefix: str, url_name: str) -> str:
    return reverse(url_name)


def _href(url_name: str) -> str:
    """The address of a menu page (no arguments), reversed once per URL conf and script
    prefix: every page draws the whole sidebar."""
    return _reversed(get_resolver(get_urlconf()), get_script_prefix(), url_name)


def menu_for(
    user: User | AnonymousUser, view_name: str, may_open: Callable[[str], bool]
) -> tuple[list[ShownGroup], list[Link]]:
    """The sidebar's groups the user may open and the breadcrumbs of the page ``view_name``."""
    shown = _visible(user, may_open)
    current = _current(view_name, shown)
    groups = []
    crumbs: list[Link] = []
    for group, entries in shown:
        links = tuple(
            Link(e.label, _href(e.url_name), current=e is current and e.url_name == view_name)
            for e in entries
        )
        in_group = current is not None and current in entries
        groups.append(ShownGroup(group.title, links, in_group))
        if in_group and current is not None:
            crumbs = [Link(group.title, "")]
            crumbs.append(
                Link(current.label, _href(current.url_name), view_name == current.url_name)
            )
    return groups, crumbs
