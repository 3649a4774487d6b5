"""Pages of work plans and milestones (the rest of closed-loop supervision comes later)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yanzhen.cooperation.selectors import base_get
from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.models import User
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm
from yanzhen.supervision import selectors, services
from yanzhen.supervision.forms import MilestoneForm, WorkPlanForm
from yanzhen.supervision.models import Milestone, WorkPlan


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def work_plan_edit(request: HttpRequest, base_pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_workplan")
    user = _user(request)
    base = base_get(user, base_pk)
    plan = WorkPlan.objects.filter(base=base).first()
    initial = (
        {"title": plan.title, "adopted_on": plan.adopted_on, "summary": plan.summary}
        if plan
        else {}
    )
    form = WorkPlanForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_save(actor=user, base=base, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "工作方案已保存")
            return redirect("cooperation:base_detail", pk=base.pk)
    return render(
        request, "supervision/work_plan_form.html", {"form": form, "base": base, "plan": plan}
    )


def work_plan_document(request: HttpRequest, base_pk: int) -> FileResponse:
    require_perm(request, "supervision.view_workplan")
    plan = selectors.work_plan_get(_user(request), base_pk)
    if not plan.document:
        raise Http404
    try:
        handle = plan.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=Path(plan.document.name or "plan").name
    )


def _milestone_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> MilestoneForm:
    return MilestoneForm(
        request.POST or None, initial=initial, units=unit_qs(user), people=person_qs(user)
    )


def _save(
    request: HttpRequest, user: User, form: MilestoneForm, base: Any, milestone: Milestone | None
) -> HttpResponse | None:
    d = form.cleaned_data
    try:
        services.milestone_save(
            actor=user,
            milestone=milestone,
            base=base,
            title=d["title"],
            owner_unit=d["owner_unit"],
            owner_person=d["owner_person"],
            due_date=d["due_date"],
            deliverable=d["deliverable"],
            status=d["status"],
            done_date=d["done_date"],
            sort_order=d["sort_order"] or 0,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "节点任务已保存")
    return redirect("cooperation:base_detail", pk=base.pk)


def milestone_create(request: HttpRequest, base_pk: int) -> HttpResponse:
    require_perm(request, "supervision.add_milestone")
    user = _user(request)
    base = base_get(user, base_pk)
    form = _milestone_form(request, user, {"owner_unit": base.lead_department_id})
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save(request, user, form, base, None))
    ):
        return done
    return render(
        request, "supervision/milestone_form.html", {"form": form, "base": base, "milestone": None}
    )


def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_milestone")
    user = _user(request)
    milestone = selectors.milestone_get(user, pk)
    initial = {
        "title": milestone.title,
        "owner_unit": milestone.owner_unit_id,
        "owner_person": milestone.owner_person_id,
        "due_date": milestone.due_date,
        "deliverable": milestone.deliverable,
        "status": milestone.status,
        "done_date": milestone.done_date,
        "sort_order": milestone.sort_order,
    }
    form = _milestone_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save(request, user, form, milestone.base, milestone))
    ):
        return done
    context = {"form": form, "base": milestone.base, "milestone": milestone}
    return render(request, "supervision/milestone_form.html", context)
