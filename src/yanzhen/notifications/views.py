"""The user's own notifications and choices; a unit's group robots; the failed deliveries
(system administrator)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.listing import paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.pages import Action, Col, TablePage, initial_of, render_table, url
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm
from yanzhen.notifications import selectors, services
from yanzhen.notifications.events import Event
from yanzhen.notifications.forms import (
    PreferenceForm,
    RobotForm,
    email_field,
    robot_field,
)
from yanzhen.notifications.models import Delivery, DeliveryState, Robot


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    notices = selectors.notification_list(user=request.user, unread=unread)
    context = {"page": paginate(request, notices), "unread": unread}
    return render_list(request, "notifications/list.html", context)


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one's notification: it is marked read and its page shown."""
    notice = selectors.notification_get(request.user, pk)
    services.mark_read(user=_user(request), ids=[notice.pk])
    safe = url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notice.url if notice.url and safe else "notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=_user(request))
    return redirect("notifications:list")


def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows, digest = selectors.preference_rows(user)
    if not user.has_perm("notifications.view_delivery"):
        rows = [r for r in rows if r.kind != Event.DELIVERY_FAILED]
    form = PreferenceForm(request.POST or None, rows=rows, initial={"digest": digest})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choices = {
            r.kind: services.Choice(
                email=data[email_field(r.kind)], robot=data[robot_field(r.kind)]
            )
            for r in rows
        }
        services.preferences_save(user=user, choices=choices, digest=data["digest"])
        messages.success(request, _("已保存提醒设置"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Robots of the units ------------------------------------------------------------------------------


def robot_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notifications.view_robot")
    user = request.user
    form = filter_form(selectors.RobotFilters)(request.GET or None)
    columns: list[Col[Robot]] = [
        Col(_("单位"), lambda r: r.unit.name, width=24),
        Col(_("名称"), lambda r: r.name, width=24),
        Col(_("类型"), lambda r: r.get_kind_display(), width=12),
        Col(_("主机"), lambda r: r.host, width=24),
        Col(
            _("状态"),
            lambda r: _("启用") if r.is_active else _("停用"),
            tag=lambda r: "" if r.is_active else "gap",
            width=8,
        ),
    ]
    if user.has_perm("notifications.change_robot"):
        columns.append(
            Col(
                "",
                lambda r: _("编辑"),
                lambda r: url("notifications:robot_edit", r.pk),
                export=False,
            )
        )
    actions = []
    if user.has_perm("notifications.add_robot"):
        actions.append(Action(_("新增群机器人"), url("notifications:robot_create"), primary=True))
    return render_table(
        request,
        TablePage(
            title=_("群机器人"),
            columns=columns,
            rows=selectors.robot_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            empty=_("尚未配置群机器人"),
            note=_(
                "发给某单位人员的提醒，会发到该单位的群机器人；"
                "该单位没有时，发到上级单位（至本县）的群机器人。"
            ),
        ),
    )


def _robot_form(request: HttpRequest, robot: Robot | None) -> HttpResponse:
    user = _user(request)
    units = unit_qs(user).order_by("sort_order", "id")
    initial: dict[str, object] = {"unit": request.GET.get("unit"), "is_active": True}
    if robot is not None:
        initial = initial_of(robot, "unit", "name", "kind", "is_active")
    form = RobotForm(request.POST or None, units=units, editing=robot is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.robot_save(
                actor=user,
                robot=robot,
                unit=data["unit"],
                name=data["name"],
                kind=data["kind"],
                url=data["url"],
                secret=data["secret"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存群机器人“%(name)s”") % {"name": saved.name})
            return redirect("notifications:robot_list")
    return render(request, "notifications/robot_form.html", {"form": form, "robot": robot})


def robot_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notifications.add_robot")
    return _robot_form(request, None)


def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "notifications.change_robot")
    return _robot_form(request, selectors.robot_get(request.user, pk))


@require_POST
def robot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    robot = selectors.robot_get(request.user, pk)
    require_perm(request, "notifications.delete_robot")
    services.robot_delete(actor=_user(request), robot=robot)
    messages.success(request, _("已删除群机器人“%(name)s”") % {"name": robot.name})
    return redirect("notifications:robot_list")


# Failed deliveries (system administrator) --------------------------------------------------------


def _when(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def delivery_list(request: HttpRequest) -> HttpResponse:
    """Deliveries that failed or wait for a retry: channel, host, error, attempts, times —
    never what was to be sent."""
    require_perm(request, "notifications.view_delivery")
    form = filter_form(selectors.DeliveryFilters)(request.GET or None)
    columns: list[Col[Delivery]] = [
        Col(_("渠道"), lambda d: d.get_channel_display(), width=10),
        Col(_("主机"), lambda d: d.host, width=24),
        Col(
            _("状态"),
            lambda d: d.get_state_display(),
            tag=lambda d: "gap" if d.state == DeliveryState.FAILED else "",
            width=10,
        ),
        Col(_("已尝试次数"), lambda d: d.attempts, kind="int", width=10),
        Col(_("错误"), lambda d: d.error, width=40),
        Col(_("最近尝试"), lambda d: _when(d.last_attempt_at), width=18),
        Col(_("下次尝试"), lambda d: _when(d.next_attempt_at), width=18),
    ]
    return render_table(
        request,
        TablePage(
            title=_("发送失败记录"),
            columns=columns,
            rows=selectors.delivery_list(filters=form.filters()),
            form=form,
            empty=_("没有发送失败的记录"),
            note=_(
                "邮件和群机器人消息发送失败时自动重试（间隔逐次加倍），多次失败后放弃。"
                "此处只列渠道、主机、错误、次数和时间，不显示消息内容。"
            ),
        ),
    )
