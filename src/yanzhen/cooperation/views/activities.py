"""Pages of activities: the list (upcoming, overdue, held; filtered and exported), the
detail with minutes, participants, files and history, new, edit, delete, the trash and
restore, revert to a version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.cooperation import selectors
from yanzhen.cooperation.forms import (
    ActivityFilterForm,
    ActivityForm,
    AttachmentForm,
    participants_text,
)
from yanzhen.cooperation.models import Activity, ActivityTiming
from yanzhen.cooperation.services import activities as services
from yanzhen.cooperation.views.ledger import _file_response
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, edited_version
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm, revert_to
from yanzhen.reference.selectors import university_resolver

EXPORT_COLUMNS = (
    Column("date", "日期", kind="date", width=12),
    Column("status", "状态", width=10),
    Column("kind", "活动类型", width=14),
    Column("title", "活动名称", width=40),
    Column("organizer", "组织单位", width=20),
    Column("leader", "带队领导", width=12),
    Column("location", "地点", width=14),
    Column("universities", "对接高校", kind="list", width=40),
    Column("participants", "参加人数", kind="int"),
    Column("cooperations", "促成合作数", kind="int"),
)


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    form = ActivityFilterForm(request.GET or None)
    filters = form.filters()
    today = timezone.localdate()
    activities = selectors.activity_list(user=user, filters=filters, today=today)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="对接活动",
            columns=EXPORT_COLUMNS,
            objects=activities.prefetch_related("cooperations", "participants"),
            row=lambda a: (
                a.date,
                ActivityTiming(a.timing).label,  # type: ignore[attr-defined]
                a.get_kind_display(),
                a.title,
                a.organizer_unit.name,
                a.leader.name if a.leader else "",
                a.location,
                [u.name for u in a.universities.all()],
                len(a.participants.all()),
                len(a.cooperations.all()),
            ),
        )
    list_url = reverse("cooperation:activity_list")
    timings = selectors.activity_timings(user=user, today=today)
    context = {
        "form": form,
        "filters": filters,
        "page": paginate(request, activities),
        "tabs": [
            (label, timings[value], f"{list_url}?timing={value}", value == filters.timing)
            for value, label in ActivityTiming.choices
        ],
        "can_add": user.has_perm("cooperation.add_activity"),
        "can_delete": user.has_perm("cooperation.delete_activity"),
    }
    return render_list(request, "cooperation/activity_list.html", context)


def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    can_change = user.has_perm("cooperation.change_activity")
    context = {
        "activity": activity,
        "timing": activity.timing_on(timezone.localdate()),
        "universities": activity.universities.all(),
        "cooperations": activity.cooperations.filter(pk__in=selectors.cooperation_qs(user)),
        "participants": activity.participants.select_related("unit"),
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
        university_index=university_resolver(),
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
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=user, data=_data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已登记活动“{activity.title}”")
            return redirect("cooperation:activity_detail", pk=activity.pk)
    return render(request, "cooperation/activity_form.html", {"form": form, "activity": None})


def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    participants = list(activity.participants.select_related("unit"))
    resolver = UnitResolver.among(unit_qs(user), [p.unit.name for p in participants if p.unit])
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "status": activity.status,
        "date": activity.date,
        "organizer_unit": activity.organizer_unit_id,
        "leader": activity.leader_id,
        "location": activity.location,
        "summary": activity.summary,
        "minutes": activity.minutes,
        "participants": participants_text(participants, resolver),
        "universities": "、".join(u.name for u in activity.universities.all()),
        "cooperations": list(
            activity.cooperations.filter(pk__in=selectors.cooperation_qs(user)).values_list(
                "pk", flat=True
            )
        ),
        "version": activity.version,
    }
    form = _activity_form(request, user, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=user,
                activity=activity,
                data=_data(form),
                expected_version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("cooperation:activity_detail", pk=activity.pk)
    return render(request, "cooperation/activity_form.html", {"form": form, "activity": activity})


@require_POST
def activity_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    revert_to(request, activity, history_id, "cooperation.change_activity")
    return redirect("cooperation:activity_detail", pk=activity.pk)


def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    if request.method == "POST":
        services.activity_delete(actor=user, activity=activity)
        messages.success(request, f"已删除活动“{activity.title}”，可在回收站中恢复")
        return redirect("cooperation:activity_list")
    return render(
        request,
        "cooperation/record_delete.html",
        {
            "title": "删除活动",
            "question": f"确认删除活动“{activity.title}”（{activity.date:%Y-%m-%d}）？"
            "删除后看板和考核中的活动数随之减少。",
            "back": reverse("cooperation:activity_detail", args=[activity.pk]),
        },
    )


def activity_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted activities (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_activity")
    deleted = (
        selectors.activity_qs(request.user, deleted=True)
        .select_related("organizer_unit", "deleted_by")
        .order_by("-deleted_at", "-id")
    )
    return render_list(
        request, "cooperation/activity_trash.html", {"page": paginate(request, deleted)}
    )


@require_POST
def activity_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_activity")
    user = request.user
    activity: Activity = get_object_or_404(selectors.activity_qs(user, deleted=True), pk=pk)
    try:
        services.activity_restore(actor=user, activity=activity)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:activity_trash")
    messages.success(request, f"已恢复活动“{activity.title}”")
    return redirect("cooperation:activity_detail", pk=activity.pk)


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
            messages.success(request, "附件已上传")
    else:
        messages.error(
            request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
        )
    return redirect("cooperation:activity_detail", pk=activity.pk)


def activity_attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_activity")
    return _file_response(selectors.activity_attachment_get(request.user, pk).file)
