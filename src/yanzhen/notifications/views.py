"""The user's own notifications and choices; a unit's group robots; the failed deliveries
(system administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.listing import paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.schemas import as_id
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm
from yanzhen.notifications import selectors, services
from yanzhen.notifications.events import Event
from yanzhen.notifications.forms import (
    DeliveryFilterForm,
    PreferenceForm,
    RobotForm,
    email_field,
    robot_field,
)
from yanzhen.notifications.models import Robot


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
        messages.success(request, "已保存提醒设置")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Robots of the units ------------------------------------------------------------------------------


def robot_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notifications.view_robot")
    unit = as_id(request.GET.get("unit", ""))
    robots = selectors.robot_list(user=request.user, unit=unit)
    context = {
        "page": paginate(request, robots),
        "can_add": request.user.has_perm("notifications.add_robot"),
        "can_change": request.user.has_perm("notifications.change_robot"),
    }
    return render_list(request, "notifications/robot_list.html", context)


def _robot_form(request: HttpRequest, robot: Robot | None) -> HttpResponse:
    user = _user(request)
    units = unit_qs(user).order_by("sort_order", "id")
    initial: dict[str, object] = {"unit": request.GET.get("unit"), "is_active": True}
    if robot is not None:
        initial = {
            "unit": robot.unit_id,
            "name": robot.name,
            "kind": robot.kind,
            "is_active": robot.is_active,
        }
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
            messages.success(request, f"已保存群机器人“{saved.name}”")
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
    messages.success(request, f"已删除群机器人“{robot.name}”")
    return redirect("notifications:robot_list")


# Failed deliveries (system administrator) --------------------------------------------------------


def delivery_list(request: HttpRequest) -> HttpResponse:
    """Deliveries that failed or wait for a retry: channel, host, error, attempts, times —
    never what was to be sent."""
    require_perm(request, "notifications.view_delivery")
    form = DeliveryFilterForm(request.GET or None)
    deliveries = selectors.delivery_list(state=form.value("state") or "")
    context = {"form": form, "page": paginate(request, deliveries)}
    return render_list(request, "notifications/delivery_list.html", context)
