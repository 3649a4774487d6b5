"""Pages of activities: the list (upcoming, overdue, held; filtered and exported), the
detail with minutes, participants, files and history, new, edit, delete, the trash and
restore, revert to a version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import activity_selectors, selectors
from yanzhen.cooperation.forms import ActivityForm, AttachmentForm, participants_text
from yanzhen.cooperation.models import Activity, ActivityTiming
from yanzhen.cooperation.services import activities as services
from yanzhen.cooperation.views.ledger import _file_response
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    delete_page,
    form_view,
    initial_of,
    render_table,
    restore_page,
    trash_columns,
    url,
)
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm, revert_to
from yanzhen.reference.selectors import university_resolver


def _timing(activity: Activity) -> str:
    return str(ActivityTiming(activity.timing).label)  # type: ignore[attr-defined]


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    form = filter_form(selectors.ActivityFilters)(request.GET or None)
    today = timezone.localdate()
    activities = selectors.activity_list(user=user, filters=form.filters(), today=today)
    columns: list[Col[Activity]] = [
        Col(_("日期"), lambda a: a.date, kind="date", width=12, sort="date"),
        Col(_("进度"), _timing, tag=lambda a: str(a.timing), export=False),  # type: ignore[attr-defined]
        Col(_("状态"), _timing, width=10, page=False),
        Col(_("活动类型"), lambda a: a.get_kind_display(), width=14),
        Col(
            _("活动名称"),
            lambda a: a.title,
            lambda a: url("cooperation:activity_detail", a.pk),
            width=40,
        ),
        Col(_("组织单位"), lambda a: a.organizer_unit.name, width=20, page=False),
        Col(_("带队领导"), lambda a: a.leader.name if a.leader else None, width=12),
        Col(_("地点"), lambda a: a.location, width=14, page=False),
        Col(
            _("对接高校"),
            lambda a: [u.name for u in a.universities.all()],
            kind="list",
            width=40,
        ),
        Col(_("参加人数"), lambda a: len(a.participants.all()), kind="int", page=False),
        Col(_("促成合作数"), lambda a: len(a.cooperations.all()), kind="int", page=False),
    ]
    timings = selectors.activity_timings(user=user, today=today)
    figures = [
        Figure(label, timings[value], url("cooperation:activity_list", query={"timing": value}))
        for value, label in ActivityTiming.choices
    ]
    actions = []
    if user.has_perm("cooperation.add_activity"):
        actions.append(Action(_("登记活动"), url("cooperation:activity_create"), primary=True))
    if user.has_perm("cooperation.delete_activity"):
        actions.append(Action(_("回收站"), url("cooperation:activity_trash"), secondary=True))
    return render_table(
        request,
        TablePage(
            title=_("对接活动"),
            columns=columns,
            rows=activity_selectors.activity_rows(activities),
            form=form,
            actions=actions,
            figures=figures,
            empty=_("暂无活动"),
        ),
    )


def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    can_change = user.has_perm("cooperation.change_activity")
    context = {
        "activity": activity,
        "timing": activity.timing_on(timezone.localdate()),
        "universities": activity.universities.all(),
        "cooperations": activity_selectors.activity_cooperations(user, activity),
        "participants": activity_selectors.activity_participants(activity),
        "attachments": activity.attachments.all(),
        "history": history_rows(activity, user=user),
        "can_change": can_change,
        "can_delete": user.has_perm("cooperation.delete_activity"),
        "attachment_form": AttachmentForm() if can_change else None,
    }
    return render(request, "cooperation/activity_detail.html", context)


def _activity_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        initial=initial,
        units=unit_qs(user),
        people=person_qs(user),
        cooperations=selectors.visible_cooperation_choices(user),
        university_index=university_resolver,
    )


def _data(form: ActivityForm) -> services.ActivityData:
    d = form.cleaned_data
    return services.ActivityData(
        kind=d["kind"],
        title=d["title"],
        status=d["status"],
        date=d["date"],
        organizer_unit=d["organizer_unit"],
        leader=d["leader"],
        location=d["location"],
        summary=d["summary"],
        minutes=d["minutes"],
        universities=d["universities"],
        cooperations=list(d["cooperations"]),
        participants=d["participants"],
    )


def activity_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_activity")
    user = request.user
    initial = {"organizer_unit": user.unit_id, "date": timezone.localdate()}
    form = _activity_form(request, user, initial)
    return form_view(
        request,
        form,
        lambda: services.activity_create(actor=user, data=_data(form)),
        _to_detail,
        lambda a: _("已登记活动“%(title)s”") % {"title": a.title},
        title=_("新增对接活动"),
        back=url("cooperation:activity_list"),
    )


def _to_detail(activity: Activity) -> HttpResponse:
    return redirect("cooperation:activity_detail", pk=activity.pk)


def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    participants = list(activity_selectors.activity_participants(activity))
    resolver = UnitResolver.among(unit_qs(user), [p.unit.name for p in participants if p.unit])
    initial = {
        **initial_of(
            activity,
            "kind",
            "title",
            "status",
            "date",
            "organizer_unit",
            "leader",
            "location",
            "summary",
            "minutes",
            "version",
        ),
        "participants": participants_text(participants, resolver),
        "universities": "、".join(u.name for u in activity.universities.all()),
        "cooperations": activity_selectors.activity_cooperation_ids(user, activity),
    }
    form = _activity_form(request, user, initial)
    return form_view(
        request,
        form,
        lambda: services.activity_update(
            actor=user,
            activity=activity,
            data=_data(form),
            expected_version=edited_version(form),
        ),
        _to_detail,
        title=_("编辑对接活动"),
        back=url("cooperation:activity_detail", activity.pk),
    )


@require_POST
def activity_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    revert_to(request, activity, history_id, "cooperation.change_activity")
    return redirect("cooperation:activity_detail", pk=activity.pk)


def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    return delete_page(
        request,
        activity,
        delete=lambda: services.activity_delete(actor=user, activity=activity),
        done=url("cooperation:activity_list"),
        message=_("已删除活动“%(title)s”，可在回收站中恢复") % {"title": activity.title},
        back=url("cooperation:activity_detail", activity.pk),
        note=_("删除后看板和考核中的活动数随之减少；可在回收站中恢复，保留期满后由系统清除。"),
    )


def activity_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted activities (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_activity")
    form = filter_form(selectors.TrashFilters)(request.GET or None)
    columns: list[Col[Activity]] = [
        Col(_("日期"), lambda a: a.date, kind="date", width=12),
        Col(_("活动名称"), lambda a: a.title, width=40),
        Col(_("组织单位"), lambda a: a.organizer_unit.name, width=20),
        *trash_columns(request, "cooperation:activity_restore"),
    ]
    return render_table(
        request,
        TablePage(
            title=_("对接活动回收站"),
            columns=columns,
            rows=selectors.deleted_activity_list(user=request.user, filters=form.filters()),
            form=form,
            note=_(
                "删除的活动不再出现在活动列表、看板、考核和接口中；保留期内可以恢复，期满后由系统清除。"
            ),
            empty=_("回收站是空的"),
        ),
    )


@require_POST
def activity_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_activity")
    user = request.user
    activity = selectors.deleted_activity_get(user, pk)
    return restore_page(
        request,
        restore=lambda: services.activity_restore(actor=user, activity=activity),
        done=url("cooperation:activity_detail", activity.pk),
        trash=url("cooperation:activity_trash"),
        message=_("已恢复活动“%(title)s”") % {"title": activity.title},
    )


@require_POST
def activity_attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.activity_attachment_add(
                actor=user,
                activity=activity,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("附件已上传"))
    else:
        messages.error(
            request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
        )
    return redirect("cooperation:activity_detail", pk=activity.pk)


def activity_attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_activity")
    return _file_response(selectors.activity_attachment_get(request.user, pk).file)
