"""Pages of activities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.cooperation import selectors, services
from yanzhen.cooperation.forms import ActivityForm
from yanzhen.cooperation.models import ActivityKind
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, bounded_int, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm
from yanzhen.reference.selectors import university_resolver

# Activities ----------------------------------------------------------------------------------


def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in ActivityKind.values else ""
    year_text = request.GET.get("year", "")
    year = bounded_int(year_text, low=1900, high=2100)
    q = request.GET.get("q", "").strip()
    activities = selectors.activity_list(user=user, kind=kind, year=year, q=q)
    if fmt := export_format(request):
        columns = (
            Column("date", "日期", kind="date", width=12),
            Column("kind", "活动类型", width=14),
            Column("title", "活动名称", width=40),
            Column("organizer", "组织单位", width=20),
            Column("leader", "带队领导", width=12),
            Column("universities", "对接高校", kind="list", width=40),
            Column("cooperations", "促成合作数", kind="int"),
        )
        return export_response(
            fmt=fmt,
            title="对接活动",
            columns=columns,
            objects=activities.prefetch_related("cooperations"),
            row=lambda a: (
                a.date,
                a.get_kind_display(),
                a.title,
                a.organizer_unit.name,
                a.leader.name if a.leader else "",
                [u.name for u in a.universities.all()],
                len(a.cooperations.all()),
            ),
        )
    context = {
        "page": paginate(request, activities),
        "kind": kind,
        "year": year_text,
        "q": q,
        "kinds": ActivityKind.choices,
        "can_add": user.has_perm("cooperation.add_activity"),
    }
    return render_list(request, "cooperation/activity_list.html", context)


def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    context = {
        "activity": activity,
        "universities": activity.universities.all(),
        "cooperations": activity.cooperations.filter(pk__in=selectors.cooperation_qs(user)),
        "can_change": user.has_perm("cooperation.change_activity"),
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


def _save_activity(
    request: HttpRequest, user: User, form: ActivityForm, activity: Any
) -> HttpResponse | None:
    d = dict(form.cleaned_data)
    universities = d.pop("universities")
    cooperations = list(d.pop("cooperations"))
    d.pop("version")
    try:
        saved = services.activity_save(
            actor=user,
            activity=activity,
            universities=universities,
            cooperations=cooperations,
            expected_version=None if activity is None else edited_version(form),
            **d,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("cooperation:activity_detail", pk=saved.pk)


def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_activity")
    user = request.user
    form = _activity_form(
        request, user, {"organizer_unit": user.unit_id, "date": timezone.localdate()}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_activity(request, user, form, None))
    ):
        return done
    return render(request, "cooperation/activity_form.html", {"form": form, "activity": None})


def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_activity")
    user = request.user
    activity = selectors.activity_get(user, pk)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date,
        "organizer_unit": activity.organizer_unit_id,
        "leader": activity.leader_id,
        "location": activity.location,
        "summary": activity.summary,
        "universities": "、".join(u.name for u in activity.universities.all()),
        "cooperations": list(activity.cooperations.values_list("pk", flat=True)),
        "version": activity.version,
    }
    form = _activity_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_activity(request, user, form, activity))
    ):
        return done
    return render(request, "cooperation/activity_form.html", {"form": form, "activity": activity})
