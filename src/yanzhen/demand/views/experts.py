"""The expert pool: list, detail (with the local needs that fit), form, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.masking import record_opened
from yanzhen.core.models import UnitKind, User
from yanzhen.core.schemas import as_id
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm
from yanzhen.demand import excel, recommendations, selectors, services
from yanzhen.demand.forms import (
    ExpertForm,
)
from yanzhen.demand.models import Expert

# Experts -------------------------------------------------------------------------------------


def expert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    user = request.user
    q = request.GET.get("q", "").strip()
    discipline = request.GET.get("discipline", "").strip()
    province = request.GET.get("province", "").strip()
    university_text = request.GET.get("university", "")
    university = as_id(university_text)
    experts = selectors.expert_list(
        user=user, q=q, university=university, discipline=discipline, province=province
    )
    if fmt := export_format(request):
        require_perm(request, "demand.export_expert")
        return export_response(
            fmt=fmt,
            title="专家库",
            columns=excel.EXPERT_COLUMNS,
            objects=excel.expert_export_rows(experts.prefetch_related("projects")),
            row=lambda r: r,
        )
    context = {
        "page": paginate(request, experts),
        "q": q,
        "discipline": discipline,
        "province": province,
        "university": university,
        "disciplines": recommendations.discipline_choices(),
        "can_add": user.has_perm("demand.add_expert"),
        "can_import": user.has_perm("demand.import_expert"),
        "can_export": user.has_perm("demand.export_expert"),
    }
    return render_list(request, "demand/expert_list.html", context)


def expert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    user = request.user
    expert = selectors.expert_get(user, pk)
    record_opened(request, record_type="expert", record_id=expert.pk)  # a person's record
    fits = (
        recommendations.fitting_needs(user=user, expert=expert)
        if user.has_perm("demand.view_talentneed")
        else []
    )
    context = {
        "expert": expert,
        "disciplines": expert.disciplines.order_by("code"),
        "projects": expert.projects.filter(pk__in=cooperation_qs(user).values("pk")),
        "fits": fits,
        "history": expert.history.select_related("history_user")[:20],
        "can_change": user.has_perm("demand.change_expert"),
        "can_delete": user.has_perm("demand.delete_expert"),
    }
    return render(request, "demand/expert_detail.html", context)


def _expert_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> ExpertForm:
    return ExpertForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        owners=unit_qs(user).exclude(kind=UnitKind.ENTERPRISE).order_by("sort_order", "id"),
        cooperations=cooperation_qs(user).order_by("-intention_date").only("pk", "code", "title"),
    )


def _save_expert(
    request: HttpRequest, user: User, form: ExpertForm, expert: Expert | None
) -> HttpResponse | None:
    d = form.cleaned_data
    data = services.ExpertData(
        name=d["name"],
        university=d["university"],
        owner_unit=d["owner_unit"],
        directions=d["directions"],
        disciplines=d["disciplines"],
        department=d["department"],
        title=d["title"],
        honours=d["honours"],
        projects=list(d["projects"]),
        project_notes=d["project_notes"],
    )
    try:
        saved = services.expert_save(
            actor=user,
            expert=expert,
            data=data,
            expected_version=None if expert is None else edited_version(form),
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("demand:expert_detail", pk=saved.pk)


def expert_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_expert")
    user = request.user
    form = _expert_form(request, user, {"owner_unit": user.unit_id})
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_expert(request, user, form, None))
    ):
        return done
    return render(request, "demand/expert_form.html", {"form": form, "expert": None})


def expert_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_expert")
    user = request.user
    expert = selectors.expert_get(user, pk)
    initial = {
        "name": expert.name,
        "university": expert.university.name,
        "department": expert.department,
        "title": expert.title,
        "honours": expert.honours,
        "disciplines": [d.code for d in expert.disciplines.all()],
        "directions": expert.directions,
        "projects": list(expert.projects.values_list("pk", flat=True)),
        "project_notes": expert.project_notes,
        "owner_unit": expert.owner_unit_id,
        "version": expert.version,
    }
    form = _expert_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_expert(request, user, form, expert))
    ):
        return done
    return render(request, "demand/expert_form.html", {"form": form, "expert": expert})


def expert_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_expert")
    user = request.user
    expert = selectors.expert_get(user, pk)
    if request.method == "POST":
        services.expert_delete(actor=user, expert=expert)
        messages.success(request, f"已删除专家“{expert.name}”")
        return redirect("demand:expert_list")
    return render(
        request,
        "demand/delete.html",
        {
            "object": expert,
            "label": f"专家 {expert}",
            "back": reverse("demand:expert_detail", args=[expert.pk]),
        },
    )
