"""Pages of the ledger: list, detail, create, edit, stage moves, files, import; bases,
activities and secondments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.cooperation import excel, selectors, services
from yanzhen.cooperation.forms import (
    ActivityForm,
    AttachmentForm,
    BaseForm,
    CooperationFilterForm,
    CooperationForm,
    ImportUploadForm,
    MoveForm,
    SecondmentForm,
    TaskForceMemberForm,
    base_label,
)
from yanzhen.cooperation.models import ActivityKind, Base, Cooperation
from yanzhen.core import imports, integrity
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, bounded_int, edited_version, keep_as_is
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download, export_format, export_response, paginate, render_list
from yanzhen.core.masking import record_opened
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import local_units, person_qs, unit_qs
from yanzhen.core.views import require_perm, revert_to
from yanzhen.core.widgets import chosen_values, search_options
from yanzhen.reference.models import University
from yanzhen.reference.selectors import university_resolver

# The ledger ----------------------------------------------------------------------------------


def cooperation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    form = CooperationFilterForm(request.GET or None, bases=selectors.base_choices(user=user))
    filters = form.filters()
    today = timezone.localdate()
    cooperations = selectors.cooperation_list(user=user, filters=filters, today=today)
    if fmt := export_format(request):
        require_perm(request, "cooperation.export_cooperation")
        return export_response(
            fmt=fmt,
            title="合作台账",
            columns=excel.columns(),
            objects=excel.export_rows(cooperations.iterator(chunk_size=2000), user=user),
            row=lambda r: r,
        )
    page = paginate(request, cooperations)
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "can_add": user.has_perm("cooperation.add_cooperation"),
        "can_import": user.has_perm("cooperation.import_cooperation"),
        "can_export": user.has_perm("cooperation.export_cooperation"),
    }
    return render_list(request, "cooperation/list.html", context)


def cooperation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    can_change = user.has_perm("cooperation.change_cooperation")
    context = {
        "cooperation": cooperation,
        "parties": cooperation.parties.all(),
        "universities": cooperation.universities.all(),
        "events": selectors.stage_events(cooperation),
        "attachments": cooperation.attachments.all(),
        "activities": cooperation.activities.all(),
        "secondments": cooperation.secondments.select_related("person", "university"),
        "history": history_rows(cooperation, user=user),
        "can_change": can_change,
        "can_delete": user.has_perm("cooperation.delete_cooperation"),
        "move_form": MoveForm(current=cooperation.stage) if can_change else None,
        "attachment_form": AttachmentForm() if can_change else None,
    }
    integrity.read_check(request, [cooperation])
    return render(request, "cooperation/detail.html", context)


def _form(
    request: HttpRequest,
    user: User,
    *,
    initial: dict[str, Any] | None = None,
    editing: Cooperation | None = None,
) -> CooperationForm:
    return CooperationForm(
        request.POST or None,
        initial=initial,
        owners=unit_qs(user).order_by("sort_order", "id"),
        bases=selectors.base_choices(user=user),
        party_units=local_units(user),
        university_index=university_resolver(),
        editing=editing,
    )


def _data(form: CooperationForm, *, stage: str | None = None) -> services.CooperationData:
    d = form.cleaned_data
    units = Unit.objects.in_bulk(d["parties"])
    return services.CooperationData(
        title=d["title"],
        owner_unit=d["owner_unit"],
        parties=[units[u] for u in d["parties"]],
        universities=list(University.objects.filter(pk__in=d["universities"])),
        channel=d["channel"],
        kind=d["kind"],
        base=d["base"],
        local_industry=d["local_industry"],
        industry=d["industry_code"],
        stage=stage or d["stage"],
        intention_date=d["intention_date"],
        agreement_date=d["agreement_date"],
        landed_date=d["landed_date"],
        dropped_date=d["dropped_date"],
        drop_reason=d["drop_reason"],
        planned_investment=d["planned_investment"] or Decimal(0),
        landed_investment=d["landed_investment"] or Decimal(0),
        participants=d["participants"] or 0,
        online=d["online"],
        description=d["description"],
    )


SUGGESTED_UNITS = 2000


def suggested_unit_names(user: User) -> list[str]:
    """The names the parties field suggests: the local units of the user's scope, in their
    order, while they are at most ``SUGGESTED_UNITS`` (a county has a few hundred); none
    beyond (270,000 nationally, where sorting them cost 0.7 s on SQLite for names no one
    would scroll through). Typed names are checked either way."""
    units = local_units(user)
    if units.order_by()[SUGGESTED_UNITS : SUGGESTED_UNITS + 1].exists():
        return []
    return list(units.values_list("name", flat=True))


def _form_context(
    form: CooperationForm, user: User, cooperation: Cooperation | None
) -> dict[str, Any]:
    return {
        "form": form,
        "cooperation": cooperation,
        "unit_names": suggested_unit_names(user),
    }


def cooperation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_cooperation")
    user = request.user
    initial = {"owner_unit": user.unit_id, "intention_date": timezone.localdate()}
    form = _form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cooperation = services.cooperation_create(actor=user, data=_data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已登记合作“{cooperation.title}”（{cooperation.code}）")
            return redirect("cooperation:detail", pk=cooperation.pk)
    return render(request, "cooperation/form.html", _form_context(form, user, None))


def cooperation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    parties = list(cooperation.parties.all())
    resolver = UnitResolver.among(local_units(user), [u.name for u in parties])
    initial = {
        "title": cooperation.title,
        "owner_unit": cooperation.owner_unit_id,
        "parties": "、".join(resolver.label(u.pk) or u.name for u in parties),
        "universities": "、".join(u.name for u in cooperation.universities.all()),
        "channel": cooperation.channel,
        "kind": cooperation.kind,
        "base": cooperation.base_id,
        "local_industry": cooperation.local_industry_id,
        "industry_code": cooperation.industry.code if cooperation.industry else "",
        "stage": cooperation.stage,
        "intention_date": cooperation.intention_date,
        "agreement_date": cooperation.agreement_date,
        "landed_date": cooperation.landed_date,
        "dropped_date": cooperation.dropped_date,
        "drop_reason": cooperation.drop_reason,
        "planned_investment": cooperation.planned_investment,
        "landed_investment": cooperation.landed_investment,
        "participants": cooperation.participants,
        "online": cooperation.online,
        "description": cooperation.description,
        "version": cooperation.version,
    }
    form = _form(request, user, initial=initial, editing=cooperation)
    if not services.may_change_owner(user):
        keep_as_is(
            form,
            "owner_unit",
            Unit.objects.filter(pk=cooperation.owner_unit_id),
            "登记单位只能由县合作办变更",
        )
    if not services.may_change_base(user, cooperation.base):
        keep_as_is(
            form,
            "base",
            Base.objects.filter(pk=cooperation.base_id or 0),
            "所属基地只能由县合作办或基地牵头部门变更",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_update(
                actor=user,
                cooperation=cooperation,
                data=_data(form, stage=cooperation.stage),
                expected_version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("cooperation:detail", pk=cooperation.pk)
    return render(request, "cooperation/form.html", _form_context(form, user, cooperation))


def cooperation_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    form = MoveForm(
        request.POST or None,
        request.FILES or None,
        current=cooperation.stage,
        initial={"version": cooperation.version},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_move(
                actor=user,
                cooperation=cooperation,
                target=form.cleaned_data["target"],
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
                expected_version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, "阶段已变更")
            return redirect("cooperation:detail", pk=cooperation.pk)
    return render(
        request, "cooperation/move.html", {"form": form, "cooperation": cooperation}, status=status
    )


@require_POST
def cooperation_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    cooperation = selectors.cooperation_get(request.user, pk)
    revert_to(request, cooperation, history_id, "cooperation.change_cooperation")
    return redirect("cooperation:detail", pk=cooperation.pk)


def cooperation_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    if request.method == "POST":
        services.cooperation_delete(actor=user, cooperation=cooperation)
        messages.success(request, f"已删除合作“{cooperation.title}”，可在回收站中恢复")
        return redirect("cooperation:list")
    return render(request, "cooperation/delete.html", {"cooperation": cooperation})


def cooperation_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted cooperations (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_cooperation")
    deleted = (
        selectors.cooperation_qs(request.user, deleted=True)
        .select_related("owner_unit", "deleted_by")
        .order_by("-deleted_at")
    )
    return render_list(request, "cooperation/trash.html", {"page": paginate(request, deleted)})


@require_POST
def cooperation_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_cooperation")
    user = request.user
    cooperation = get_object_or_404(selectors.cooperation_qs(user, deleted=True), pk=pk)
    try:
        services.cooperation_restore(actor=user, cooperation=cooperation)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:trash")
    messages.success(request, f"已恢复合作“{cooperation.title}”")
    return redirect("cooperation:detail", pk=cooperation.pk)


@require_POST
def attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(
            actor=user,
            cooperation=cooperation,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, "附件已上传")
    else:
        messages.error(
            request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
        )
    return redirect("cooperation:detail", pk=cooperation.pk)


def _file_response(field: Any) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(field.name).name)


def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_cooperation")
    return _file_response(selectors.attachment_get(request.user, pk).file)


def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_cooperation")
    return _file_response(selectors.stage_event_get(request.user, pk).evidence)


def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The universities the dashboard counts, with their cooperations by stage."""
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    year_text = request.GET.get("year", "")
    year = bounded_int(year_text, low=1900, high=2100)
    universities = selectors.partner_list(user=user, year=year)
    if fmt := export_format(request):
        columns = (
            Column("name", "高校（院所）", width=30),
            Column("province", "省份", width=10),
            Column("flags", "层次", width=16),
            Column("intention", "意向", kind="int"),
            Column("agreement", "签约", kind="int"),
            Column("landed", "落地", kind="int"),
        )
        return export_response(
            fmt=fmt,
            title="合作高校",
            columns=columns,
            objects=universities,
            row=lambda u: (
                u.name,
                u.province or u.country,
                "、".join(u.flags),
                u.n_intention,  # type: ignore[attr-defined]
                u.n_agreement,  # type: ignore[attr-defined]
                u.n_landed,  # type: ignore[attr-defined]
            ),
        )
    context = {"page": paginate(request, universities, per_page=50), "year": year}
    return render_list(request, "cooperation/partner_list.html", context)


# Import --------------------------------------------------------------------------------------


def import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.import_cooperation")
    return download(
        excel.template_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "合作台账导入模板.xlsx",
    )


REGISTER = "合作台账"


def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload → preview: the file is checked in a transaction that is rolled back."""
    require_perm(request, "cooperation.import_cooperation")
    user = request.user
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            report, token = imports.dry_run(
                request,
                register=REGISTER,
                upload=form.cleaned_data["file"],
                run=lambda data, name: excel.import_file(
                    user=user, data=data, filename=name, commit=False
                ),
                report=lambda r: r,
            )
        except DomainError as error:
            apply_domain_error(form, error)
    return render(
        request, "cooperation/import.html", {"form": form, "report": report, "token": token}
    )


@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.import_cooperation")
    user = request.user
    token = request.POST.get("token", "")
    if request.POST.get("cancel"):
        imports.preview_discard(request, token=token)
        messages.info(request, "已取消导入，上传的文件已删除")
        return redirect("cooperation:import")
    pending = imports.preview_load(request, token=token, register=REGISTER)
    if pending is None:
        raise Http404
    try:
        report = imports.commit(
            request,
            pending=pending,
            run=lambda data, name: excel.import_file(
                user=user, data=data, filename=name, commit=True
            ),
            report=lambda r: r,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:import")
    if not report.ok:
        return render(
            request,
            "cooperation/import.html",
            {"form": ImportUploadForm(), "report": report, "token": ""},
        )
    messages.success(
        request,
        f"导入完成：新增 {report.created} 项，更新 {report.updated} 项，未变 {report.unchanged} 项",
    )
    return redirect("cooperation:list")


# Bases ---------------------------------------------------------------------------------------


def base_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of the base picker (:class:`~yanzhen.core.widgets.SearchSelect`)."""
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    return search_options(
        request,
        lambda q: selectors.base_choices(user=user, q=q),
        chosen=request.GET.getlist("base"),
        label=base_label,
        empty="没有匹配的基地",
    )


def cooperation_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of a cooperation picker (:func:`~yanzhen.cooperation.forms.cooperation_choices`)."""
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    return search_options(
        request,
        lambda q: selectors.visible_cooperation_choices(user, q),
        chosen=chosen_values(request),
        label=str,
        empty="没有匹配的合作",
    )


def base_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_base")
    user = request.user
    found = selectors.base_list(user=user, q=request.GET.get("q", "").strip())
    if fmt := export_format(request):
        bases = list(found)
        figures = selectors.base_figures(user=user, bases=bases)

        columns = (
            Column("name", "基地名称", width=30),
            Column("leader", "责任领导", width=14),
            Column("lead", "牵头部门", width=20),
            Column("members", "专班人数", kind="int"),
            Column("intentions", "意向", kind="int"),
            Column("agreements", "签约", kind="int"),
            Column("landed", "落地", kind="int"),
            Column("milestones", "节点任务", kind="int"),
            Column("overdue", "逾期节点", kind="int"),
        )
        return export_response(
            fmt=fmt,
            title="合作基地",
            columns=columns,
            objects=bases,
            row=lambda b: (
                b.name,
                b.leader.name if b.leader else "",
                b.lead_department.name,
                figures[b.pk]["members"],
                figures[b.pk]["intention"],
                figures[b.pk]["agreement"],
                figures[b.pk]["landed"],
                figures[b.pk]["milestones"],
                figures[b.pk]["overdue"],
            ),
        )
    page = paginate(request, found)
    figures = selectors.base_figures(user=user, bases=list(page))
    context = {
        "rows": [(b, figures[b.pk]) for b in page],
        "page": page,
        "q": request.GET.get("q", ""),
        "can_add": user.has_perm("cooperation.add_base"),
    }
    return render_list(request, "cooperation/base_list.html", context)


def base_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_base")
    user = request.user
    base = selectors.base_get(user, pk)
    figures = selectors.base_figures(user=user, bases=[base])[base.pk]
    today = timezone.localdate()
    can_change = user.has_perm("cooperation.change_base")
    context = {
        "base": base,
        "figures": figures,
        "members": base.members.select_related("person", "person__unit"),
        "cooperations": selectors.cooperation_list(
            user=user, filters=selectors.CooperationFilters(base=str(base.pk)), today=today
        )[:20],
        "today": today,
        "can_change": can_change,
        "member_form": TaskForceMemberForm(people=person_qs(user)) if can_change else None,
        **selectors.base_page(user=user, base=base),
    }
    return render(request, "cooperation/base_detail.html", context)


def _base_form(request: HttpRequest, user: User, initial: dict[str, Any] | None = None) -> BaseForm:
    units = unit_qs(user)
    return BaseForm(
        request.POST or None,
        initial=initial,
        counties=units.filter(kind=UnitKind.COUNTY),
        departments=units.filter(
            kind__in=[UnitKind.DEPARTMENT, UnitKind.ZONE, UnitKind.TOWN, UnitKind.STREET]
        ),
        people=person_qs(user),
    )


def _save_base(request: HttpRequest, user: User, form: BaseForm, base: Any) -> HttpResponse | None:
    d = form.cleaned_data
    try:
        saved = services.base_save(
            actor=user,
            base=base,
            expected_version=None if base is None else edited_version(form),
            code=d["code"],
            name=d["name"],
            county=d["county"],
            lead_department=d["lead_department"],
            leader=d["leader"],
            description=d["description"],
            sort_order=d["sort_order"] or 0,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("cooperation:base_detail", pk=saved.pk)


def base_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_base")
    user = request.user
    form = _base_form(request, user)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_base(request, user, form, None))
    ):
        return done
    return render(request, "cooperation/base_form.html", {"form": form, "base": None})


def base_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    initial = {
        "code": base.code,
        "name": base.name,
        "county": base.county_id,
        "lead_department": base.lead_department_id,
        "leader": base.leader_id,
        "description": base.description,
        "sort_order": base.sort_order,
        "version": base.version,
    }
    form = _base_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_base(request, user, form, base))
    ):
        return done
    return render(request, "cooperation/base_form.html", {"form": form, "base": base})


@require_POST
def base_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    form = TaskForceMemberForm(request.POST, people=person_qs(user))
    if form.is_valid():
        members = [(m.person, m.duty) for m in base.members.select_related("person")]
        if any(p.pk == form.cleaned_data["person"].pk for p, _ in members):
            messages.error(request, "该人员已在专班中")
        else:
            members.append((form.cleaned_data["person"], form.cleaned_data["duty"]))
            services.task_force_set(actor=user, base=base, members=members)
            messages.success(request, "已加入专班")
    else:
        messages.error(request, "请选择专班成员")
    return redirect("cooperation:base_detail", pk=base.pk)


@require_POST
def base_member_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_base")
    user = request.user
    base = selectors.base_get(user, pk)
    members = [
        (m.person, m.duty) for m in base.members.select_related("person") if m.pk != member_pk
    ]
    if len(members) == base.members.count():
        raise Http404
    services.task_force_set(actor=user, base=base, members=members)
    messages.success(request, "已移出专班")
    return redirect("cooperation:base_detail", pk=base.pk)


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


# Secondments ---------------------------------------------------------------------------------


def secondment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    q = request.GET.get("q", "").strip()
    current = {"1": True, "0": False}.get(request.GET.get("current", ""))
    rows = selectors.secondment_list(user=user, q=q, current=current, today=timezone.localdate())
    if fmt := export_format(request):
        columns = (
            Column("person", "挂职人员", width=12),
            Column("university", "派出高校", width=24),
            Column("host", "挂职单位", width=28),
            Column("post", "挂职岗位", width=30),
            Column("start", "开始日期", kind="date", width=12),
            Column("end", "结束日期", kind="date", width=12),
        )
        return export_response(
            fmt=fmt,
            title="挂职交流",
            columns=columns,
            objects=rows,
            row=lambda s: (
                s.person.name,
                s.university.name,
                s.host_unit.name,
                s.post,
                s.start_date,
                s.end_date,
            ),
        )
    context = {
        "page": paginate(request, rows),
        "q": q,
        "current": request.GET.get("current", ""),
        "can_add": user.has_perm("cooperation.add_secondment"),
    }
    return render_list(request, "cooperation/secondment_list.html", context)


def secondment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    record_opened(request, record_type="secondment", record_id=secondment.pk)  # a person's
    cooperation = None
    if secondment.cooperation_id:
        cooperation = selectors.cooperation_qs(user).filter(pk=secondment.cooperation_id).first()
    context = {
        "secondment": secondment,
        "cooperation": cooperation,
        "can_change": user.has_perm("cooperation.change_secondment"),
    }
    return render(request, "cooperation/secondment_detail.html", context)


def _secondment_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> SecondmentForm:
    return SecondmentForm(
        request.POST or None,
        initial=initial,
        people=person_qs(user),
        units=unit_qs(user),
        cooperations=selectors.visible_cooperation_choices(user),
        university_index=university_resolver(),
    )


def _save_secondment(
    request: HttpRequest, user: User, form: SecondmentForm, secondment: Any
) -> HttpResponse | None:
    fields = dict(form.cleaned_data)
    fields.pop("version")
    try:
        saved = services.secondment_save(
            actor=user,
            secondment=secondment,
            expected_version=None if secondment is None else edited_version(form),
            **fields,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("cooperation:secondment_detail", pk=saved.pk)


def secondment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_secondment")
    user = request.user
    form = _secondment_form(request, user)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_secondment(request, user, form, None))
    ):
        return done
    return render(request, "cooperation/secondment_form.html", {"form": form, "secondment": None})


def secondment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    initial = {
        "person": secondment.person_id,
        "university": secondment.university.name,
        "host_unit": secondment.host_unit_id,
        "post": secondment.post,
        "start_date": secondment.start_date,
        "end_date": secondment.end_date,
        "cooperation": secondment.cooperation_id,
        "note": secondment.note,
        "version": secondment.version,
    }
    form = _secondment_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_secondment(request, user, form, secondment))
    ):
        return done
    return render(
        request, "cooperation/secondment_form.html", {"form": form, "secondment": secondment}
    )
