"""Needs: list, detail with recommendations, form, delete; the trash of needs and experts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    Tag,
    delete_page,
    form_view,
    render_table,
    require_perm,
    url,
)
from yanzhen.core.schemas import as_id
from yanzhen.demand import excel, recommendations, selectors, services
from yanzhen.demand.forms import NeedForm
from yanzhen.demand.models import Expert, NeedSource, TalentNeed
from yanzhen.demand.views.common import local_time

# Needs ---------------------------------------------------------------------------------------


def _disciplines(need: TalentNeed) -> SafeString:
    tags = [(Tag(f"{d.code} {d.name}", title=d.name),) for d in need.disciplines.all()]
    return format_html_join("", "{}", tags) or format_html("{}", "—")


def _need_export(user: User) -> Export[TalentNeed]:
    """The export of the needs: the columns of the survey spreadsheet (it imports again)."""
    label = excel.enterprise_labels(user)
    return Export(excel.need_columns(user), lambda n: excel.need_export_row(n, label))


def need_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = filter_form(selectors.NeedFilters)(request.GET or None, user=user)
    filters = form.filters()
    columns: list[Col[TalentNeed]] = [
        Col(_("编号"), lambda n: n.code, lambda n: url("demand:need_detail", n.pk)),
        Col(_("需求单位"), lambda n: n.enterprise.label),
        Col(_("岗位"), lambda n: n.position, lambda n: url("demand:need_detail", n.pk)),
        Col(_("学科"), lambda n: None, html=_disciplines),
        Col(_("学历"), lambda n: n.get_degree_display()),
        Col(_("人数"), lambda n: n.number),
        Col(_("紧迫程度"), lambda n: n.get_urgency_display(), tag=lambda n: f"urgency-{n.urgency}"),
        Col(_("年薪"), lambda n: n.salary_label),
        Col(_("到岗期限"), lambda n: n.deadline),
        Col(_("状态"), lambda n: n.get_status_display()),
        Col(
            _("所属调查"),
            lambda n: n.campaign.title if n.campaign else None,
            lambda n: url("demand:campaign_detail", n.campaign_id) if n.campaign_id else None,
        ),
    ]
    actions = []
    if user.has_perm("demand.add_talentneed"):
        actions.append(Action(_("登记需求"), url("demand:need_new"), primary=True))
    if user.has_perm("demand.import_talentneed"):
        actions.append(Action(_("导入调查表"), url("demand:need_import")))
    actions.append(Action(_("需求图谱"), url("demand:demand_map", query=filters.as_query())))
    return render_table(
        request,
        TablePage(
            title=_("人才需求"),
            columns=columns,
            rows=selectors.need_list(user=user, filters=filters),
            form=form,
            actions=actions,
            export_perm="demand.export_talentneed",
            export=_need_export(user) if export_format(request) else None,
            empty=_("没有符合条件的人才需求"),
        ),
    )


def need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    user = request.user
    need = selectors.need_detail(user, pk)
    found = recommendations.recommend_need(user=user, need=need, top=10)
    context = {
        "need": need,
        "universities": found.universities,
        "experts": found.experts,
        "history": selectors.recent_history(need),
        "can_change": user.has_perm("demand.change_talentneed"),
        "can_delete": user.has_perm("demand.delete_talentneed"),
    }
    return render(request, "demand/need_detail.html", context)


NEED_INITIAL = ("position", "majors", "degree", "number", "urgency", "salary_min", "salary_max",
                "deadline", "description", "status")  # fmt: skip


def _need_form(request: AuthenticatedHttpRequest, initial: dict[str, Any]) -> NeedForm:
    user = request.user
    return NeedForm(
        request.POST or None,
        initial=initial,
        enterprises=selectors.need_enterprises(user),
        campaigns=selectors.campaign_choices(user),
    )


def _need_data(form: NeedForm, source: str) -> services.NeedData:
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    return services.NeedData(**fields, source=source)


def need_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_talentneed")
    user = request.user
    form = _need_form(request, selectors.need_defaults(user, as_id(request.GET.get("campaign"))))

    def save() -> TalentNeed:
        own = form.cleaned_data["enterprise"].pk == user.unit_id
        source = NeedSource.ENTERPRISE if own else NeedSource.OFFICE
        return services.need_create(actor=user, data=_need_data(form, source))

    return form_view(
        request,
        form,
        save,
        lambda n: redirect("demand:need_detail", pk=n.pk),
        lambda n: (
            _("已登记人才需求“%(position)s”（%(code)s）") % {"position": n.position, "code": n.code}
        ),
        title=_("登记人才需求"),
        back=url("demand:need_list"),
    )


def need_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_talentneed")
    user = request.user
    need = selectors.need_detail(user, pk)
    initial = {
        **{f: getattr(need, f) for f in NEED_INITIAL},
        "enterprise": need.enterprise_id,
        "campaign": need.campaign_id,
        "disciplines": [d.code for d in need.disciplines.all()],
        "preferred_universities": "、".join(u.name for u in need.preferred_universities.all()),
        "version": need.version,
    }
    form = _need_form(request, initial)
    return form_view(
        request,
        form,
        lambda: services.need_update(
            actor=user,
            need=need,
            data=_need_data(form, need.source),
            expected_version=edited_version(form),
        ),
        lambda n: redirect("demand:need_detail", pk=n.pk),
        _("已保存"),
        title=_("编辑人才需求：%(code)s") % {"code": need.code},
        back=url("demand:need_detail", need.pk),
    )


def need_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_talentneed")
    user = request.user
    need = selectors.need_get(user, pk)
    return delete_page(
        request,
        need,
        delete=lambda: services.need_delete(actor=user, need=need),
        done=url("demand:need_list"),
        message=_("已删除人才需求“%(position)s”（%(code)s）")
        % {"position": need.position, "code": need.code},
        back=url("demand:need_detail", need.pk),
    )


# The trash: softly deleted needs and experts, restorable -----------------------------------


def _restore(url_name: str, pk: int, allowed: bool) -> SafeString:
    if not allowed:
        return format_html("{}", "")
    return format_html('<a href="{}">{}</a>', url(url_name, pk), _("恢复"))


def trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The softly deleted needs (or experts, ``?kind=expert``), filtered, paginated, exported."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = filter_form(selectors.TrashFilters)(request.GET or None)
    filters = form.filters()
    experts = filters.kind == "expert"
    deleted_by = Col[Any](_("删除人"), lambda r: str(r.deleted_by or ""), width=12)
    deleted_at = Col[Any](_("删除时间"), lambda r: local_time(r.deleted_at), width=18)
    rows: Any
    if experts:
        require_perm(request, "demand.view_expert")
        may_restore = user.has_perm("demand.delete_expert")
        columns: list[Col[Any]] = [
            Col(_("姓名"), lambda e: e.name, width=12),
            Col(_("所在高校"), lambda e: e.university.name, width=26),
            Col(_("院系"), lambda e: e.department, width=20, page=False),
            Col(_("职称"), lambda e: e.title, width=12, page=False),
            deleted_at,
            deleted_by,
            Col(
                "",
                lambda e: None,
                html=lambda e: _restore("demand:expert_restore", e.pk, may_restore),
                export=False,
            ),
        ]
        rows = selectors.deleted_expert_list(user=user, filters=filters)
        title, export_perm, empty = _("已删除的专家"), "demand.export_expert", _("没有已删除的专家")
    else:
        may_restore = user.has_perm("demand.delete_talentneed")
        columns = [
            Col(_("需求编号"), lambda n: n.code, width=16),
            Col(_("需求单位"), lambda n: n.enterprise.name, width=30, page=False),
            Col(_("需求单位"), lambda n: n.enterprise.label, export=False),
            Col(_("岗位名称"), lambda n: n.position, width=24),
            Col(_("需求人数"), lambda n: n.number, kind="int", width=10, page=False),
            deleted_at,
            deleted_by,
            Col(
                "",
                lambda n: None,
                html=lambda n: _restore("demand:need_restore", n.pk, may_restore),
                export=False,
            ),
        ]
        rows = selectors.deleted_need_list(user=user, filters=filters)
        title, export_perm = _("已删除的人才需求"), "demand.export_talentneed"
        empty = _("没有已删除的需求")
    actions = [
        Action(_("人才需求"), url("demand:trash", query={"kind": "need"}), primary=not experts)
    ]
    if user.has_perm("demand.view_expert"):
        actions.append(
            Action(_("专家"), url("demand:trash", query={"kind": "expert"}), primary=experts)
        )
    return render_table(
        request,
        TablePage(
            title=title,
            columns=columns,
            rows=rows,
            form=form,
            actions=actions,
            export_perm=export_perm,
            empty=empty,
            note=_("删除的记录不再出现在列表、图谱、推荐和接口中，可以在这里恢复。"),
        ),
    )


def need_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_talentneed")
    user = request.user
    need = selectors.deleted_need_get(user, pk)
    label = _("人才需求 %(code)s %(position)s") % {"code": need.code, "position": need.position}
    if request.method == "POST":
        try:
            services.need_restore(actor=user, need=need)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("demand:trash")
        messages.success(
            request,
            _("已恢复人才需求“%(position)s”（%(code)s）")
            % {"position": need.position, "code": need.code},
        )
        return redirect("demand:need_detail", pk=need.pk)
    return render(request, "demand/restore.html", {"label": label})


def expert_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_expert")
    user = request.user
    expert: Expert = selectors.deleted_expert_get(user, pk)
    label = _("专家 %(expert)s") % {"expert": expert}
    if request.method == "POST":
        try:
            services.expert_restore(actor=user, expert=expert)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("demand:trash")
        messages.success(request, _("已恢复专家“%(name)s”") % {"name": expert.name})
        return redirect("demand:expert_detail", pk=expert.pk)
    return render(request, "demand/restore.html", {"label": label})
