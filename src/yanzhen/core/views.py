"""Pages of units and people, login and health."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yanzhen.core import history, manual, selectors, services
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import (
    DuplicateResolveForm,
    PersonForm,
    UnitForm,
    apply_domain_error,
    edited_version,
    person_label,
    show_personal_data,
    unit_label,
)
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.masking import Kind, may_see_personal_data, record_opened
from yanzhen.core.models import Degree, DuplicateStatus, Person, PersonDuplicate, Unit, UnitKind
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    Tag,
    form_view,
    render_table,
    url,
)
from yanzhen.core.widgets import chosen_values, search_options

__all__ = ["require_perm", "revert_to"]  # with the pages below


def revert_to(request: HttpRequest, instance: Model, history_id: int, perm: str) -> None:
    """Revert ``instance`` (already fetched through its scoped access helper) to a version."""
    require_perm(request, perm)
    try:
        history.revert(actor=request.user, instance=instance, history_id=history_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已还原到所选版本"))


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (the database and the worker are the readiness check's,
    ``/health/ready/``, so that a database restart does not get the application restarted)."""
    return JsonResponse({"status": "ok"})


# Units ---------------------------------------------------------------------------------------

UNIT_COLUMNS = (
    Column("name", "名称", required=True, width=30),
    Column("kind", "类型", kind="choice", choices=tuple(UnitKind.labels)),
    Column("parent", "上级单位", width=24),
    Column("code", "单位代码", width=22),
    Column("local_industry", "本地产业", width=16),
    Column("is_leading", "龙头企业", kind="bool", width=10),
    Column("cooperation_count", "合作数", kind="int", width=10, readonly=True),
)


def _unit_row(u: Unit) -> tuple[object, ...]:
    return (
        u.name,
        u.get_kind_display(),
        u.parent.name if u.parent else "",
        u.code,
        u.local_industry.name if u.local_industry else "",
        u.is_leading,
        u.cooperation_count,
    )


def _cooperations(u: Unit) -> str | None:
    return (
        url("cooperation:cooperation_list", query={"unit": str(u.pk)})
        if u.cooperation_count
        else None
    )


def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.view_unit")
    user = request.user
    form = filter_form(selectors.UnitFilters)(request.GET or None)
    columns: list[Col[Unit]] = [
        Col(
            _("名称"),
            lambda u: u.name,
            lambda u: url("core:unit_detail", u.pk),
            marks=lambda u: [Tag(_("龙头"))] if u.is_leading else [],
        ),
        Col(_("类型"), lambda u: u.get_kind_display()),
        Col(_("上级单位"), lambda u: u.parent.name if u.parent else None),
        Col(_("本地产业"), lambda u: u.local_industry.name if u.local_industry else None),
        Col(
            _("合作数"),
            lambda u: u.cooperation_count,
            _cooperations,
            tag=lambda u: "" if u.cooperation_count else "gap",
        ),
    ]
    may_add = user.has_perm("core.add_unit")
    actions = [Action(_("新增单位"), url("core:unit_new"), primary=True)] if may_add else []
    return render_table(
        request,
        TablePage(
            title=_("单位"),
            columns=columns,
            rows=selectors.unit_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export=Export(UNIT_COLUMNS, _unit_row),
            empty=_("没有符合条件的单位"),
        ),
    )


@require_GET
def unit_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of a unit picker (:func:`~yanzhen.core.forms.unit_choices`): the
    user's units, offered to any logged-in user exactly as the user's forms offer them. The
    picker names its field (``field``) and sends that field's chosen unit."""
    return search_options(
        request,
        lambda q: selectors.unit_choices(user=request.user, q=q),
        chosen=chosen_values(request),
        label=unit_label,
        empty=_("没有匹配的单位"),
    )


@require_GET
def person_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of a person picker (:func:`~yanzhen.core.forms.person_choices`), as
    :func:`unit_options` gives those of a unit picker."""
    return search_options(
        request,
        lambda q: selectors.person_choices(user=request.user, q=q),
        chosen=chosen_values(request),
        label=person_label,
        empty=_("没有匹配的人员"),
    )


def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.view_unit")
    user = request.user
    unit = selectors.unit_get(user, pk)
    context = {
        "unit": unit,
        "children": selectors.unit_children(user, unit),
        "people": selectors.unit_people(user, unit),
        "can_change": user.has_perm("core.change_unit"),
        "history": history.history_rows(unit, user=user),
    }
    return render(request, "core/unit_detail.html", context)


@require_POST
def unit_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    revert_to(request, unit, history_id, "core.change_unit")
    return redirect("core:unit_detail", pk=unit.pk)


def _unit_fields(form: UnitForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "parent": data["parent"],
        "name": data["name"].strip(),
        "short_name": data["short_name"].strip(),
        "kind": data["kind"],
        "code": data["code"].strip(),
        "local_industry": data["local_industry"],
        "is_leading": data["is_leading"],
        "address": data["address"].strip(),
        "sort_order": data["sort_order"] or 0,
    }


def unit_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_unit")
    user = request.user
    form = UnitForm(
        request.POST or None,
        parents=selectors.unit_parents(user),
        initial={"parent": request.GET.get("parent")},
    )
    return form_view(
        request,
        form,
        lambda: services.unit_create(actor=user, **_unit_fields(form)),
        lambda u: redirect("core:unit_detail", pk=u.pk),
        lambda u: _("已新增单位“%(name)s”") % {"name": u.name},
        title=_("新增单位"),
        back=url("core:unit_list"),
    )


UNIT_INITIAL = (
    "name",
    "short_name",
    "kind",
    "code",
    "is_leading",
    "address",
    "sort_order",
    "version",
)


def unit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_unit")
    user = request.user
    unit = selectors.unit_get(user, pk)
    initial = {
        **{f: getattr(unit, f) for f in UNIT_INITIAL},
        "parent": unit.parent_id,
        "local_industry": unit.local_industry_id,
    }
    form = UnitForm(
        request.POST or None, parents=selectors.unit_parents(user, unit=unit), initial=initial
    )
    return form_view(
        request,
        form,
        lambda: services.unit_update(
            actor=user, unit=unit, expected_version=edited_version(form), **_unit_fields(form)
        ),
        lambda u: redirect("core:unit_detail", pk=u.pk),
        _("已保存"),
        title=_("编辑单位：%(name)s") % {"name": unit.name},
        back=url("core:unit_detail", unit.pk),
    )


# People --------------------------------------------------------------------------------------

PERSON_COLUMNS = (
    Column("name", "姓名", required=True, width=12),
    Column("gender", "性别", width=6),
    Column("id_number", "身份证号", width=22, pii="id"),
    Column("mobile", "手机号", width=14, pii="mobile"),
    Column("degree", "学位", kind="choice", choices=tuple(Degree.labels), width=8),
    Column("unit", "所在单位", width=28),
    Column("title", "职称", width=14),
    Column("position", "职务", width=24),
)


def _person_row(p: Person) -> tuple[object, ...]:
    return (
        p.name,
        p.get_gender_display(),
        p.id_number,
        p.mobile,
        p.get_degree_display(),
        p.unit.name,
        p.title,
        p.position,
    )


def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.view_person")
    user = request.user
    form = filter_form(selectors.PersonFilters)(request.GET or None)
    columns: list[Col[Person]] = [
        Col(_("姓名"), lambda p: p.name, lambda p: url("core:person_detail", p.pk)),
        Col(_("所在单位"), lambda p: p.unit.name),
        Col(_("职务"), lambda p: p.position),
        Col(_("学位"), lambda p: p.get_degree_display()),
    ]
    may_add = user.has_perm("core.add_person")
    actions = [Action(_("新增人员"), url("core:person_new"), primary=True)] if may_add else []
    return render_table(
        request,
        TablePage(
            title=_("人员"),
            columns=columns,
            rows=selectors.person_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export=Export(PERSON_COLUMNS, _person_row),
            empty=_("没有符合条件的人员"),
        ),
    )


def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.view_person")
    user = request.user
    person = selectors.person_get(user, pk)
    revealed = record_opened(request, record_type="person", record_id=person.pk)
    context = {
        "person": person,
        "revealed": revealed,
        "may_reveal": may_see_personal_data(user),
        "can_change": user.has_perm("core.change_person"),
        "history": history.history_rows(person, user=user),
    }
    return render(request, "core/person_detail.html", context)


@require_POST
def person_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk)
    revert_to(request, person, history_id, "core.change_person")
    return redirect("core:person_detail", pk=person.pk)


def _person_fields(form: PersonForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"].strip(),
        "gender": data["gender"],
        "id_number": data["id_number"].strip().upper(),
        "mobile": data["mobile"].strip(),
        "degree": data["degree"],
        "discipline": data["discipline"],
        "unit": data["unit"],
        "title": data["title"].strip(),
        "position": data["position"].strip(),
    }


def person_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_person")
    user = request.user
    form = PersonForm(request.POST or None, units=selectors.unit_qs(user))
    return form_view(
        request,
        form,
        lambda: services.person_create(actor=user, **_person_fields(form)),
        lambda p: redirect("core:person_detail", pk=p.pk),
        lambda p: _("已新增人员“%(name)s”") % {"name": p.name},
        title=_("新增人员"),
        back=url("core:person_list"),
    )


def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's fields, the ID number and mobile masked (kept unless a new value is typed);
    a user who may see them reveals one with ``?reveal=id|mobile`` (logged, as on the page)."""
    require_perm(request, "core.change_person")
    user = request.user
    person = selectors.person_get(user, pk)
    revealed: tuple[Kind, ...] = ()
    if request.method == "GET":
        revealed = record_opened(request, record_type="person", record_id=person.pk)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial["unit"] = person.unit_id
    initial["discipline"] = person.discipline_id
    initial["version"] = person.version
    form = PersonForm(request.POST or None, units=selectors.unit_qs(user), initial=initial)
    show_personal_data(
        form, {"id_number": person.id_number, "mobile": person.mobile}, revealed=revealed
    )
    return form_view(
        request,
        form,
        lambda: services.person_update(
            actor=user,
            person=person,
            expected_version=edited_version(form),
            **_person_fields(form),
        ),
        lambda p: redirect("core:person_detail", pk=p.pk),
        _("已保存"),
        title=_("编辑人员：%(name)s") % {"name": person.name},
        back=url("core:person_detail", person.pk),
        template="core/person_form.html",
        context={"person": person, "may_reveal": may_see_personal_data(user), "revealed": revealed},
    )


# Duplicates: the same ID number filed outside the filer's scope ------------------------------


def _resolve_link(d: PersonDuplicate) -> str:
    return _("核实处理") if d.status == DuplicateStatus.OPEN else _("查看")


def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The pairs to verify (the open ones first shown; ``status=`` for all)."""
    require_perm(request, "core.resolve_duplicate_person")
    query = request.GET.copy()
    query.setdefault("status", DuplicateStatus.OPEN)
    form = filter_form(selectors.DuplicateFilters)(query)
    columns: list[Col[PersonDuplicate]] = [
        Col(_("登记时间"), lambda d: timezone.localtime(d.created_at)),
        Col(_("新登记人员"), lambda d: f"{d.person.name}（{d.person.unit.name}）"),
        Col(_("已登记人员"), lambda d: f"{d.existing.name}（{d.existing.unit.name}）"),
        Col(_("状态"), lambda d: d.get_status_display()),
        Col(_("处理"), _resolve_link, lambda d: url("core:duplicate_detail", d.pk)),
    ]
    return render_table(
        request,
        TablePage(
            title=_("身份证号重复的人员"),
            columns=columns,
            rows=selectors.duplicate_list(user=request.user, filters=form.filters()),
            form=form,
            exportable=False,
            empty=_("没有重复登记的人员"),
            note=_(
                "下级单位登记的身份证号已由其数据范围以外的人员使用时，系统按新号码受理、"
                "不告知登记单位，两条记录分开保存，由此处核实后合并或保留两条。"
            ),
        ),
    )


def duplicate_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The two people side by side (personal data masked), and the choice: merge or keep."""
    require_perm(request, "core.resolve_duplicate_person")
    user = request.user
    pair = selectors.duplicate_get(user, pk)
    if request.method == "GET":
        record_opened(request, record_type="person_duplicate", record_id=pair.pk)
    form = DuplicateResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.person_duplicate_resolve(
                actor=user, pair=pair, action=action, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已合并") if action == "merge" else _("已保留两条"))
            return redirect("core:duplicate_list")
    people = [
        (label, p, services.person_link_counts(p))
        for label, p in ((_("新登记"), pair.person), (_("已登记"), pair.existing))
    ]
    context = {"pair": pair, "people": people, "form": form, "open": pair.status == "open"}
    return render(request, "core/duplicate_detail.html", context)


@require_GET
def manual_view(request: HttpRequest) -> HttpResponse:
    """The operator's manual (操作手册): every chapter, the reader's own role's first."""
    chapters = manual.chapters()
    mine = manual.chapter_for(request.user)
    if mine == manual.PORTAL:
        # An outside party (university, expert) reads its own chapter in the portal's layout:
        # the county's pages are not theirs.
        shown = [c for c in chapters if c.slug == mine]
        return render(
            request,
            "core/manual.html",
            {"chapters": shown, "mine": mine, "layout": "portal/base.html"},
        )
    ordered = sorted(chapters, key=lambda c: c.slug != mine) if mine else list(chapters)
    return render(
        request, "core/manual.html", {"chapters": ordered, "mine": mine, "layout": "base.html"}
    )
