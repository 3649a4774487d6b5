"""The expert pool: list, detail (with the local needs that fit), form, delete."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import record_opened
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    delete_page,
    form_view,
    render_table,
    require_perm,
    url,
)
from yanzhen.demand import excel, recommendations, selectors, services
from yanzhen.demand.forms import ExpertForm
from yanzhen.demand.models import Expert

# Experts -------------------------------------------------------------------------------------


def _disciplines(expert: Expert) -> SafeString:
    tags = [(d.code, d.name) for d in expert.disciplines.all()]
    return format_html_join("", '<span class="tag">{} {}</span>', tags) or format_html("{}", "—")


def expert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    user = request.user
    form = filter_form(selectors.ExpertFilters)(request.GET or None, user=user)
    columns: list[Col[Expert]] = [
        Col(_("姓名"), lambda e: e.name, lambda e: url("demand:expert_detail", e.pk)),
        Col(
            _("所在高校"),
            lambda e: e.university.name,
            lambda e: url("demand:university", e.university_id),
        ),
        Col(_("职称"), lambda e: e.title, note=lambda e: e.honours),
        Col(_("学科"), lambda e: None, html=_disciplines),
        Col(_("研究方向"), lambda e: Truncator(e.directions).chars(60)),
    ]
    actions = []
    if user.has_perm("demand.add_expert"):
        actions.append(Action(_("登记专家"), url("demand:expert_new"), primary=True))
    if user.has_perm("demand.import_expert"):
        actions.append(Action(_("导入专家名单"), url("demand:expert_import")))
    return render_table(
        request,
        TablePage(
            title=_("专家库"),
            columns=columns,
            rows=selectors.expert_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="demand.export_expert",
            export=Export(excel.EXPERT_COLUMNS, excel.expert_export_row),
            empty=_("没有符合条件的专家"),
        ),
    )


def expert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    user = request.user
    expert = selectors.expert_detail(user, pk)
    record_opened(request, record_type="expert", record_id=expert.pk)  # a person's record
    fits = (
        recommendations.fitting_needs(user=user, expert=expert)
        if user.has_perm("demand.view_talentneed")
        else []
    )
    context = {
        "expert": expert,
        "projects": selectors.expert_projects(user, expert),
        "fits": fits,
        "history": selectors.recent_history(expert),
        "can_change": user.has_perm("demand.change_expert"),
        "can_delete": user.has_perm("demand.delete_expert"),
    }
    return render(request, "demand/expert_detail.html", context)


def _expert_form(request: AuthenticatedHttpRequest, initial: dict[str, Any]) -> ExpertForm:
    user = request.user
    return ExpertForm(
        request.POST or None,
        initial=initial,
        owners=selectors.expert_owners(user),
        cooperations=selectors.expert_cooperations(user),
    )


def _expert_data(form: ExpertForm) -> services.ExpertData:
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    return services.ExpertData(**{**fields, "projects": list(fields["projects"])})


def expert_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_expert")
    user = request.user
    form = _expert_form(request, {"owner_unit": user.unit_id})
    return form_view(
        request,
        form,
        lambda: services.expert_create(actor=user, data=_expert_data(form)),
        lambda e: redirect("demand:expert_detail", pk=e.pk),
        _("已保存"),
        title=_("登记专家"),
        back=url("demand:expert_list"),
    )


EXPERT_INITIAL = ("name", "department", "title", "honours", "directions", "project_notes")


def expert_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_expert")
    user = request.user
    expert = selectors.expert_detail(user, pk)
    initial = {
        **{f: getattr(expert, f) for f in EXPERT_INITIAL},
        "university": expert.university.name,
        "disciplines": [d.code for d in expert.disciplines.all()],
        "projects": [p.pk for p in expert.projects.all()],
        "owner_unit": expert.owner_unit_id,
        "version": expert.version,
    }
    form = _expert_form(request, initial)
    return form_view(
        request,
        form,
        lambda: services.expert_update(
            actor=user,
            expert=expert,
            data=_expert_data(form),
            expected_version=edited_version(form),
        ),
        lambda e: redirect("demand:expert_detail", pk=e.pk),
        _("已保存"),
        title=_("编辑专家：%(name)s") % {"name": expert.name},
        back=url("demand:expert_detail", expert.pk),
    )


def expert_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_expert")
    user = request.user
    expert = selectors.expert_get(user, pk)
    return delete_page(
        request,
        expert,
        delete=lambda: services.expert_delete(actor=user, expert=expert),
        done=url("demand:expert_list"),
        message=_("已删除专家“%(name)s”") % {"name": expert.name},
        back=url("demand:expert_detail", expert.pk),
    )
