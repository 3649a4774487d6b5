"""Pages of the cooperation bases: the list with their figures, a base's page with its four
ones (leader, lead department, task force, work plan), its form and its task force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import activity_selectors, selectors, services
from yanzhen.cooperation.forms import BaseForm, BaseTypeForm, TaskForceMemberForm, base_label
from yanzhen.cooperation.models import Base, BaseType
from yanzhen.cooperation.selectors import BaseRow, CooperationFilters
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import UnitKind
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    Tag,
    form_view,
    render_table,
    require_perm,
    url,
)
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.widgets import search_options
from yanzhen.engines.stages import Stage


def _to_base(base: Base) -> HttpResponseRedirect:
    return redirect("cooperation:base_detail", pk=base.pk)


def _ledger(base: Base, stage: str = "") -> str:
    """The ledger of the cooperations of ``base`` (that reached ``stage``)."""
    filters = CooperationFilters(base=str(base.pk), reached=stage)
    return url("cooperation:cooperation_list", query=filters.as_query())


def base_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_base")
    user = request.user
    form = filter_form(selectors.BaseFilters)(request.GET or None, user=user)

    def reached(stage: str) -> Callable[[BaseRow], str]:
        return lambda r: _ledger(r.base, stage)

    def overdue(r: BaseRow) -> list[Tag]:
        n = r.figures.get("overdue")
        return [Tag(str(n), "gap", _("逾期"))] if n else []

    columns: list[Col[BaseRow]] = [
        Col(
            _("基地名称"),
            lambda r: r.base.name,
            lambda r: url("cooperation:base_detail", r.base.pk),
            width=30,
        ),
        Col(
            _("责任领导"),
            lambda r: r.base.leader.name if r.base.leader else None,
            note=lambda r: r.base.leader.position if r.base.leader else None,
            width=14,
        ),
        Col(
            _("基地类型"),
            lambda r: r.base.base_type.name if r.base.base_type else None,
            width=18,
        ),
        Col(_("所属县（市、区）"), lambda r: r.base.county.name, width=12),
        Col(_("牵头部门"), lambda r: r.base.lead_department.name, width=20),
        Col(_("专班人数"), lambda r: r.figures["members"], kind="int"),
        Col(_("意向"), lambda r: r.figures[Stage.INTENTION], reached(Stage.INTENTION), kind="int"),
        Col(_("签约"), lambda r: r.figures[Stage.AGREEMENT], reached(Stage.AGREEMENT), kind="int"),
        Col(_("落地"), lambda r: r.figures[Stage.LANDED], reached(Stage.LANDED), kind="int"),
        Col(_("节点任务"), lambda r: r.figures.get("milestones"), kind="int", marks=overdue),
        Col(_("逾期节点"), lambda r: r.figures.get("overdue"), kind="int", page=False),
    ]
    actions = []
    if user.has_perm("cooperation.add_base"):
        actions.append(Action(_("新增基地"), url("cooperation:base_new"), primary=True))
    actions.append(Action(_("按基地类型汇总"), url("cooperation:base_type_list")))
    return render_table(
        request,
        TablePage(
            title=_("合作基地"),
            columns=columns,
            rows=selectors.base_rows(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            empty=_("暂无基地"),
        ),
    )


def base_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_base")
    user = request.user
    base = selectors.base_get(user, pk)
    today = timezone.localdate()
    can_change = user.has_perm("cooperation.change_base")
    context = {
        "base": base,
        "figures": selectors.base_figures(user=user, bases=[base])[base.pk],
        "members": selectors.task_force(base),
        "cooperations": selectors.cooperation_list(
            user=user, filters=CooperationFilters(base=str(base.pk)), today=today
        )[:20],
        "today": today,
        "can_change": can_change,
        "member_form": TaskForceMemberForm(people=person_qs(user)) if can_change else None,
        **selectors.base_page(user=user, base=base),
    }
    return render(request, "cooperation/base_detail.html", context)


def _base_form(request: AuthenticatedHttpRequest, initial: dict[str, object]) -> BaseForm:
    user = request.user
    return BaseForm(
        request.POST or None, initial=initial, units=unit_qs(user), people=person_qs(user)
    )


def _base_fields(form: BaseForm) -> dict[str, Any]:
    """The fields of the services (``BASE_FIELDS``) from the form."""
    d = form.cleaned_data
    return {**{name: d[name] for name in services.BASE_FIELDS}, "sort_order": d["sort_order"] or 0}


def base_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_base")
    user = request.user
    form = _base_form(request, {})
    return form_view(
        request,
        form,
        lambda: services.base_create(actor=user, **_base_fields(form)),
        _to_base,
        title=_("新增基地"),
        back=url("cooperation:base_list"),
    )


def base_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    initial = {**model_to_dict(base, fields=services.BASE_FIELDS), "version": base.version}
    form = _base_form(request, initial)
    return form_view(
        request,
        form,
        lambda: services.base_update(
            actor=user, base=base, expected_version=edited_version(form), **_base_fields(form)
        ),
        _to_base,
        title=_("编辑基地：%(name)s") % {"name": base.name},
        back=url("cooperation:base_detail", base.pk),
    )


@require_POST
def base_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    form = TaskForceMemberForm(request.POST, people=person_qs(user))
    if not form.is_valid():
        messages.error(request, _("请选择专班成员"))
        return _to_base(base)
    members = [(m.person, m.duty) for m in selectors.task_force(base)]
    person = form.cleaned_data["person"]
    if any(p.pk == person.pk for p, _duty in members):
        messages.error(request, _("该人员已在专班中"))
    else:
        members.append((person, form.cleaned_data["duty"]))
        services.task_force_set(actor=user, base=base, members=members)
        messages.success(request, _("已加入专班"))
    return _to_base(base)


@require_POST
def base_member_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    members = selectors.task_force(base)
    staying = [(m.person, m.duty) for m in members if m.pk != member_pk]
    if len(staying) == len(members):
        raise Http404
    services.task_force_set(actor=user, base=base, members=staying)
    messages.success(request, _("已移出专班"))
    return _to_base(base)


def base_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of the base picker (:class:`~yanzhen.core.widgets.SearchSelect`)."""
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    return search_options(
        request,
        lambda q: selectors.base_choices(user=user, q=q),
        chosen=request.GET.getlist("base"),
        label=base_label,
        empty=_("没有匹配的基地"),
    )


# The province's kinds of base ----------------------------------------------------------------


def base_type_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The province's catalogue of kinds of base, each rolled up over the counties the user
    sees: its bases (per county, opening the list of them) and their cooperations."""
    require_perm(request, "cooperation.view_base")
    user = request.user
    names = dict(unit_qs(user).filter(kind=UnitKind.COUNTY).values_list("pk", "name"))

    def bases_url(r: selectors.BaseTypeRollup, county: int | None = None) -> str:
        code = r.base_type.code if r.base_type else "none"
        filters = selectors.BaseFilters(base_type=code, county=county)
        return url("cooperation:base_list", query=filters.as_query())

    def by_county(r: selectors.BaseTypeRollup) -> str:
        return "、".join(
            f"{names.get(pk, pk)} {n}"
            for pk, n in sorted(r.counties.items(), key=lambda i: str(names.get(i[0], i[0])))
        )

    columns: list[Col[selectors.BaseTypeRollup]] = [
        Col(
            _("基地类型"),
            lambda r: r.base_type.name if r.base_type else _("未定类型"),
            lambda r: (
                url("cooperation:base_type_edit", r.base_type.pk)
                if r.base_type and may_keep
                else None
            ),
            width=20,
        ),
        Col(_("建设目的"), lambda r: r.base_type.purpose if r.base_type else "", width=30),
        Col(
            _("建设内容要求"),
            lambda r: r.base_type.expected_content if r.base_type else "",
            width=30,
            page=False,
        ),
        Col(_("基地数"), lambda r: r.bases, bases_url, kind="int"),
        Col(_("覆盖县（市、区）数"), lambda r: len(r.counties), kind="int"),
        Col(_("各县（市、区）基地数"), by_county, width=30),
        Col(_("意向"), lambda r: r.figures[Stage.INTENTION], kind="int"),
        Col(_("签约"), lambda r: r.figures[Stage.AGREEMENT], kind="int"),
        Col(_("落地"), lambda r: r.figures[Stage.LANDED], kind="int"),
    ]
    may_keep = user.has_perm("cooperation.change_basetype") and services.may_keep_base_types(user)
    actions = []
    if may_keep:
        actions.append(Action(_("新增基地类型"), url("cooperation:base_type_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title=_("省定基地类型"),
            columns=columns,
            rows=selectors.base_type_rollup(user=user),
            actions=actions,
            note=_(
                "基地类型目录由省级维护；基地数和合作按您可见的县（市、区）汇总，点开基地数"
                "查看该类型的全部基地。"
            ),
            empty=_("暂无基地类型"),
        ),
    )


def _base_type_form(request: AuthenticatedHttpRequest, base_type: BaseType | None) -> HttpResponse:
    require_perm(request, "cooperation.change_basetype")
    user = request.user
    if not services.may_keep_base_types(user):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if base_type is not None:
        initial = {
            **model_to_dict(base_type, fields=services.BASE_TYPE_FIELDS),
            "version": base_type.version,
        }
    form = BaseTypeForm(request.POST or None, initial=initial)

    def save() -> BaseType:
        d = form.cleaned_data
        return services.base_type_save(
            actor=user,
            base_type=base_type,
            expected_version=edited_version(form) if base_type else None,
            **{name: d[name] for name in services.BASE_TYPE_FIELDS if name != "sort_order"},
            sort_order=d["sort_order"] or 0,
        )

    return form_view(
        request,
        form,
        save,
        lambda _saved: redirect("cooperation:base_type_list"),
        title=_("编辑基地类型：%(n)s") % {"n": base_type.name} if base_type else _("新增基地类型"),
        back=url("cooperation:base_type_list"),
    )


def base_type_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _base_type_form(request, None)


def base_type_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    base_type = activity_selectors.base_type_find(pk)
    if base_type is None:
        raise Http404
    return _base_type_form(request, base_type)
