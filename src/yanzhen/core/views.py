"""Pages of units and people, login and health."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yanzhen.core import history, selectors, services
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import (
    DuplicateResolveForm,
    PersonForm,
    UnitFilterForm,
    UnitForm,
    apply_domain_error,
    edited_version,
    person_label,
    show_personal_data,
    unit_label,
)
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.masking import Kind, may_see_personal_data, record_opened
from yanzhen.core.models import Degree, DuplicateStatus, UnitKind
from yanzhen.core.schemas import as_id
from yanzhen.core.widgets import chosen_values, search_options


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def revert_to(request: HttpRequest, instance: Model, history_id: int, perm: str) -> None:
    """Revert ``instance`` (already fetched through its scoped access helper) to a version."""
    require_perm(request, perm)
    try:
        history.revert(actor=request.user, instance=instance, history_id=history_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已还原到所选版本")


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
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


def unit_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_unit")
    form = UnitFilterForm(request.GET or None)
    units = selectors.unit_list(user=request.user, filters=form.as_filters(selectors.UnitFilters))
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="单位",
            columns=UNIT_COLUMNS,
            objects=units.iterator(chunk_size=2000),
            row=lambda u: (
                u.name,
                u.get_kind_display(),
                u.parent.name if u.parent else "",
                u.code,
                u.local_industry.name if u.local_industry else "",
                u.is_leading,
                u.cooperation_count,
            ),
        )
    page = paginate(request, units)
    context = {"form": form, "page": page, "can_add": request.user.has_perm("core.add_unit")}
    return render_list(request, "core/unit_list.html", context)


@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a unit picker (:func:`~yanzhen.core.forms.unit_choices`): the
    user's units, offered to any logged-in user exactly as the user's forms offer them. The
    picker names its field (``field``) and sends that field's chosen unit."""
    return search_options(
        request,
        lambda q: selectors.unit_choices(user=request.user, q=q),
        chosen=chosen_values(request),
        label=unit_label,
        empty="没有匹配的单位",
    )


@require_GET
def person_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a person picker (:func:`~yanzhen.core.forms.person_choices`), as
    :func:`unit_options` gives those of a unit picker."""
    return search_options(
        request,
        lambda q: selectors.person_choices(user=request.user, q=q),
        chosen=chosen_values(request),
        label=person_label,
        empty="没有匹配的人员",
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.view_unit")
    unit = selectors.unit_get(request.user, pk)
    children = selectors.unit_qs(request.user).filter(parent=unit).order_by("sort_order", "id")
    people = (
        selectors.person_qs(request.user).filter(unit=unit)[:50]
        if request.user.has_perm("core.view_person")
        else []
    )
    context = {
        "unit": unit,
        "children": children,
        "people": people,
        "can_change": request.user.has_perm("core.change_unit"),
        "history": history.history_rows(unit, user=request.user),
    }
    return render(request, "core/unit_detail.html", context)


@require_POST
def unit_revert(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    revert_to(request, unit, history_id, "core.change_unit")
    return redirect("core:unit_detail", pk=unit.pk)


def _unit_form_fields(form: UnitForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"].strip(),
        "short_name": data["short_name"].strip(),
        "kind": data["kind"],
        "code": data["code"].strip(),
        "local_industry": data["local_industry"],
        "is_leading": data["is_leading"],
        "address": data["address"].strip(),
        "sort_order": data["sort_order"] or 0,
    }


def unit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_unit")
    parents = selectors.unit_qs(request.user).order_by("sort_order", "id")
    initial = {"parent": request.GET.get("parent")}
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user,
                parent=form.cleaned_data["parent"],
                **_unit_form_fields(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已新增单位“{unit.name}”")
            return redirect("core:unit_detail", pk=unit.pk)
    return render(request, "core/unit_form.html", {"form": form, "unit": None})


def unit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_unit")
    unit = selectors.unit_get(request.user, pk)
    parents = selectors.unit_qs(request.user).exclude(pk=unit.pk).order_by("sort_order", "id")
    initial = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "code": unit.code,
        "local_industry": unit.local_industry_id,
        "is_leading": unit.is_leading,
        "address": unit.address,
        "sort_order": unit.sort_order,
        "version": unit.version,
    }
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=request.user,
                unit=unit,
                parent=form.cleaned_data["parent"],
                expected_version=edited_version(form),
                **_unit_form_fields(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("core:unit_detail", pk=unit.pk)
    return render(request, "core/unit_form.html", {"form": form, "unit": unit})


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


def person_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_person")
    q = request.GET.get("q", "").strip()
    degree = request.GET.get("degree", "")
    degree = degree if degree in Degree.values else ""
    unit_id = as_id(request.GET.get("unit", ""))
    people = selectors.person_list(user=request.user, q=q, unit=unit_id, degree=degree)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="人员",
            columns=PERSON_COLUMNS,
            objects=people.iterator(chunk_size=2000),
            row=lambda p: (
                p.name,
                p.get_gender_display(),
                p.id_number,
                p.mobile,
                p.get_degree_display(),
                p.unit.name,
                p.title,
                p.position,
            ),
        )
    context = {
        "page": paginate(request, people),
        "q": q,
        "degree": degree,
        "degrees": Degree.choices,
        "can_add": request.user.has_perm("core.add_person"),
    }
    return render_list(request, "core/person_list.html", context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.view_person")
    person = selectors.person_get(request.user, pk)
    revealed = record_opened(request, record_type="person", record_id=person.pk)
    context = {
        "person": person,
        "revealed": revealed,
        "may_reveal": may_see_personal_data(request.user),
        "can_change": request.user.has_perm("core.change_person"),
        "history": history.history_rows(person, user=request.user),
    }
    return render(request, "core/person_detail.html", context)


@require_POST
def person_revert(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
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


def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_person")
    form = PersonForm(request.POST or None, units=selectors.unit_qs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                **_person_fields(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已新增人员“{person.name}”")
            return redirect("core:person_detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person's fields, the ID number and mobile masked (kept unless a new value is typed);
    a user who may see them reveals one with ``?reveal=id|mobile`` (logged, as on the page)."""
    require_perm(request, "core.change_person")
    person = selectors.person_get(request.user, pk)
    revealed: tuple[Kind, ...] = ()
    if request.method == "GET":
        revealed = record_opened(request, record_type="person", record_id=person.pk)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial["unit"] = person.unit_id
    initial["discipline"] = person.discipline_id
    initial["version"] = person.version
    form = PersonForm(request.POST or None, units=selectors.unit_qs(request.user), initial=initial)
    show_personal_data(
        form, {"id_number": person.id_number, "mobile": person.mobile}, revealed=revealed
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                expected_version=edited_version(form),
                **_person_fields(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("core:person_detail", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "may_reveal": may_see_personal_data(request.user),
        "revealed": revealed,
    }
    return render(request, "core/person_form.html", context)


# Duplicates: the same ID number filed outside the filer's scope ------------------------------


def duplicate_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.resolve_duplicate_person")
    status = request.GET.get("status", DuplicateStatus.OPEN)
    status = status if status in DuplicateStatus.values else ""
    pairs = selectors.duplicate_list(user=request.user, status=status)
    context = {
        "page": paginate(request, pairs),
        "status": status,
        "statuses": DuplicateStatus.choices,
    }
    return render_list(request, "core/duplicate_list.html", context)


def duplicate_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The two people side by side (personal data masked), and the choice: merge or keep."""
    require_perm(request, "core.resolve_duplicate_person")
    pair = selectors.duplicate_get(request.user, pk)
    if request.method == "GET":
        record_opened(request, record_type="person_duplicate", record_id=pair.pk)
    form = DuplicateResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_duplicate_resolve(
                actor=request.user,
                pair=pair,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, "已合并" if form.cleaned_data["action"] == "merge" else "已保留两条"
            )
            return redirect("core:duplicate_list")
    people = [
        (label, p, services.person_link_counts(p))
        for label, p in (("新登记", pair.person), ("已登记", pair.existing))
    ]
    context = {"pair": pair, "people": people, "form": form, "open": pair.status == "open"}
    return render(request, "core/duplicate_detail.html", context)
