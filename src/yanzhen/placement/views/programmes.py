"""Pages of placement: programmes, hosts, applicants and their choices, hosts' rankings, the
import from Excel, the allocation and its result, manual adjustments, confirmation (interns:
``views/internships.py``)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.core import import_views, importing
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import (
    download,
    export_file,
    export_format,
    export_quota_response,
    export_response,
)
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_page,
    form_view,
    initial_of,
    render_table,
    require_perm,
    require_true,
    submit,
    url,
)
from yanzhen.core.selectors import active_units
from yanzhen.placement import excel, selectors, services
from yanzhen.placement.forms import (
    AdjustForm,
    AllocateForm,
    ConfirmForm,
    HostForm,
    HostRankingForm,
    ImportForm,
    PlacementApplicantForm,
    ProgrammeForm,
)
from yanzhen.placement.models import (
    HostRanking,
    PlacementApplicant,
    Programme,
    ProgrammeStatus,
)
from yanzhen.placement.services import RankingEntry
from yanzhen.talent.services.common import person_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "placement.view_programme")
    user = request.user
    form = filter_form(selectors.ProgrammeFilters)(request.GET or None)
    # The result is opened by the programme's organisers only (a host unit's reader sees the
    # status without a link that would answer 403): the units in scope, in one query.
    owners = selectors.programme_owner_ids(user)
    columns: list[Col[Programme]] = [
        Col("项目名称", lambda p: p.name, lambda p: url("talent:programme_detail", p.pk), width=30),
        Col("类型", lambda p: p.get_kind_display(), width=14),
        Col("组织单位", lambda p: p.owner_unit.name, width=24),
        Col("年度", lambda p: p.year, kind="int", width=8),
        Col("接收单位", lambda p: p.n_hosts, kind="int", width=10),  # type: ignore[attr-defined]
        Col("申请人", lambda p: p.n_applicants, kind="int", width=10),  # type: ignore[attr-defined]
        Col(
            "状态",
            lambda p: p.get_status_display(),
            lambda p: (
                url("talent:programme_result", p.pk)
                if p.status != ProgrammeStatus.COLLECTING
                and (owners is None or p.owner_unit_id in owners)
                else None
            ),
            width=12,
        ),
    ]
    actions = [Action("实习实训", url("talent:internship_list"))]
    if user.has_perm("placement.add_programme"):
        actions.insert(0, Action("新建分配项目", url("talent:programme_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="分配项目",
            columns=columns,
            rows=selectors.programme_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="talent.export_talent",
        ),
    )


def programme_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.view_programme")
    user = request.user
    programme = selectors.programme_get(user, pk)
    manageable = selectors.programme_manageable(user, programme)
    host_rows = selectors.programme_hosts(user, programme, manageable=manageable)
    hosts = [h for h, _, _ in host_rows]
    mine = {h.pk for h, _, acts in host_rows if acts}
    applicants = selectors.programme_applicants(programme, manageable=manageable, mine=mine)
    is_open = programme.status != ProgrammeStatus.CONFIRMED
    context = {
        "programme": programme,
        "hosts": host_rows,
        "applicants": applicants,
        "capacity": sum(h.capacity for h in hosts),
        "manageable": manageable,
        "can_change": manageable and is_open and user.has_perm("placement.change_programme"),
        "can_add": manageable and is_open and user.has_perm("placement.add_placementapplicant"),
        "can_add_host": manageable and is_open and user.has_perm("placement.add_host"),
        "can_rank": is_open and user.has_perm("placement.change_host"),
        "can_allocate": manageable and is_open and user.has_perm("placement.allocate_programme"),
        "last_run": selectors.last_run(programme),
    }
    return render(request, "placement/programme_detail.html", context)


def _manageable_programme(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    programme = selectors.programme_get(request.user, pk)
    require_true(selectors.programme_manageable(request.user, programme))
    return programme


def programme_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "placement.add_programme")
    user = request.user
    form = ProgrammeForm(
        request.POST or None,
        initial={"owner_unit": user.unit_id, "year": timezone.localdate().year},
        units=active_units(user),
    )
    return form_view(
        request,
        form,
        lambda: services.programme_create(actor=user, **form.cleaned_data),
        lambda p: redirect("talent:programme_detail", pk=p.pk),
        title="新建分配项目",
        back=url("talent:programme_list"),
    )


def programme_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.change_programme")
    user = request.user
    programme = _manageable_programme(request, pk)
    initial = {
        f: getattr(programme, f)
        for f in ("name", "kind", "year", "start_date", "end_date", "description")
    }
    initial["owner_unit"] = programme.owner_unit_id
    form = ProgrammeForm(request.POST or None, initial=initial, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.programme_update(actor=user, programme=programme, **form.cleaned_data),
        lambda p: redirect("talent:programme_detail", pk=p.pk),
        title=f"编辑分配项目：{programme.name}",
        back=url("talent:programme_detail", programme.pk),
    )


def host_new(request: AuthenticatedHttpRequest, programme_pk: int) -> HttpResponse:
    require_perm(request, "placement.add_host")
    user = request.user
    programme = _manageable_programme(request, programme_pk)
    form = HostForm(request.POST or None, initial={"capacity": 1}, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.host_create(actor=user, programme=programme, **form.cleaned_data),
        lambda h: redirect("talent:programme_detail", pk=programme.pk),
        title=f"{programme.name}：新增接收单位",
        back=url("talent:programme_detail", programme.pk),
    )


def host_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.change_host")
    user = request.user
    host = selectors.host_get(user, pk)
    require_true(selectors.programme_manageable(user, host.programme))
    form = HostForm(
        request.POST or None,
        initial=initial_of(host, "unit", "capacity", "note"),
        units=active_units(user),
    )
    return form_view(
        request,
        form,
        lambda: services.host_update(actor=user, host=host, **form.cleaned_data),
        lambda h: redirect("talent:programme_detail", pk=h.programme_id),
        title=f"{host.programme.name}：编辑接收单位",
        back=url("talent:programme_detail", host.programme_id),
    )


def placement_applicant_new(request: AuthenticatedHttpRequest, programme_pk: int) -> HttpResponse:
    require_perm(request, "placement.add_placementapplicant")
    programme = _manageable_programme(request, programme_pk)
    code = f"{programme.year}-{programme.applicants.count() + 1:03d}"
    return _placement_applicant_form(request, programme, None, {"code": code})


def placement_applicant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.change_placementapplicant")
    applicant = selectors.placement_applicant_get(request.user, pk)
    initial: dict[str, object] = {
        **initial_of(applicant, "code", "degree", "discipline"),
        "university": applicant.university.name if applicant.university else "",
        "preferences": "、".join(p.host.unit.name for p in selectors.applicant_choices(applicant)),
    }
    return _placement_applicant_form(request, applicant.programme, applicant, initial)


def _placement_applicant_form(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    applicant: PlacementApplicant | None,
    initial: dict[str, object],
) -> HttpResponse:
    user = request.user
    hosts = list(selectors.hosts_of(programme))
    form = PlacementApplicantForm(
        request.POST or None, initial=initial, hosts=hosts, editing=applicant is not None
    )

    def save() -> PlacementApplicant:
        d = form.cleaned_data
        fields = {k: d[k] for k in ("code", "preferences", "university", "discipline", "degree")}
        if applicant is not None:
            return services.placement_applicant_update(actor=user, applicant=applicant, **fields)
        person = person_for(
            actor=user, unit=programme.owner_unit, degree=d["degree"], **form.person_data()
        )
        return services.placement_applicant_create(
            actor=user, programme=programme, person=person, **fields
        )

    return form_view(
        request,
        form,
        save,
        lambda a: redirect("talent:programme_detail", pk=programme.pk),
        title=f"{programme.name}：{'编辑申请人' if applicant else '新增申请人'}",
        back=url("talent:programme_detail", programme.pk),
        intro="可选接收单位：" + "、".join(h.unit.name for h in hosts),
    )


def host_ranking_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A host ranks or scores the applicants who chose it (and those it ranked before)."""
    require_perm(request, "placement.change_host")
    user = request.user
    host = selectors.host_get(user, pk)
    existing = selectors.host_rankings(host)
    choice = selectors.host_choice_ranks(host)
    applicants = selectors.host_candidates(host, choice, existing)
    initial: dict[str, Any] = {}
    for applicant_id, row in existing.items():
        initial[f"rank_{applicant_id}"] = row.rank
        initial[f"score_{applicant_id}"] = row.score
    form = HostRankingForm(request.POST or None, initial=initial, applicants=applicants)

    def save() -> list[HostRanking]:
        entries = [
            RankingEntry(a, rank, score, existing[a.pk].basis if a.pk in existing else "")
            for a, rank, score in form.entries()
        ]
        return services.host_ranking_set(actor=user, host=host, entries=entries)

    done = submit(
        request,
        form,
        save,
        lambda rows: redirect("talent:programme_detail", pk=host.programme_id),
        lambda rows: f"已保存{host.unit.name}对{len(rows)}名申请人的排序",
    )
    if done:
        return done
    rows = [
        {
            "applicant": a,
            "choice": f"第{choice[a.pk]}志愿" if a.pk in choice else "",
            "rank": form[f"rank_{a.pk}"],
            "score": form[f"score_{a.pk}"],
        }
        for a in applicants
    ]
    context = {
        "form": form,
        "rows": rows,
        "title": f"{host.programme.name}：{host.unit.name}的排序（名额 {host.capacity}）",
        "back": url("talent:programme_detail", host.programme_id),
    }
    return render(request, "placement/form_ranking.html", context)


# Import --------------------------------------------------------------------------------------


def programme_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.view_programme")
    programme = selectors.programme_get(request.user, pk)
    kind = "rankings" if request.GET.get("kind") == "rankings" else "applicants"
    name = "接收单位排序导入模板" if kind == "rankings" else "申请人及志愿导入模板"
    return download(excel.template_bytes(programme, kind), XLSX, f"{programme.name}{name}.xlsx")


# The sheets of a programme's page name no programme: the page fixes it (``Page.fixed``), and
# its previews are bound to it. 申请人及志愿 → ``interns``, 接收单位排序 → ``host-rankings``.
PLACEMENT_REGISTERS = {"applicants": "interns", "rankings": "host-rankings"}


def _kind(request: AuthenticatedHttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or "applicants"
    return kind if kind in PLACEMENT_REGISTERS else "applicants"


def _import_page(programme: Programme, kind: str) -> tuple[str, import_views.Page]:
    register = PLACEMENT_REGISTERS[kind]
    query = f"?kind={kind}"
    page = import_views.Page(
        fixed={"programme": programme},
        key=f"{register}#{programme.pk}",
        label=f"{importing.register_named(register).title}#{programme.pk}",
        urls={
            "upload": url("talent:programme_import_edit", programme.pk) + query,
            "confirm": url("talent:programme_import_confirm_edit", programme.pk) + query,
            "errors": url("talent:programme_import_errors", programme.pk) + query,
            "template": url("talent:programme_template", programme.pk)
            + ("?kind=rankings" if kind == "rankings" else ""),
        },
        template="placement/programme_import.html",
        context={"programme": programme},
        form_class=ImportForm,
        done=url("talent:programme_detail", programme.pk),
    )
    return register, page


def programme_import_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm: the one import flow, the programme
    taken from the page."""
    require_perm(request, "placement.add_placementapplicant")
    programme = _manageable_programme(request, pk)
    register, page = _import_page(programme, _kind(request))
    return import_views.import_upload(request, register, page)


def programme_import_confirm_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Import the previewed file (POST with its token); a GET shows the upload page."""
    require_perm(request, "placement.add_placementapplicant")
    programme = _manageable_programme(request, pk)
    register, page = _import_page(programme, _kind(request))
    if request.method != "POST":
        return import_views.import_upload(request, register, page)
    return import_views.import_confirm(request, register, page)


def programme_import_errors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The rows with errors of a previewed file, with a column 错误说明."""
    require_perm(request, "placement.add_placementapplicant")
    programme = _manageable_programme(request, pk)
    register, page = _import_page(programme, _kind(request))
    return import_views.import_errors(request, register, page)


def programme_instance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The programme as the input of ``yanzhen allocate`` (applicant numbers, unit names)."""
    require_perm(request, "placement.view_programme")
    programme = _manageable_programme(request, pk)
    model = services.programme_model(programme)
    names = {key: h.unit.name for key, h in model.hosts.items()}
    if len(set(names.values())) < len(names):
        names = {key: f"{h.unit.name}#{h.pk}" for key, h in model.hosts.items()}
    codes = {key: a.code for key, a in model.applicants.items()}
    data = {
        "applicants": {
            codes[a]: [names[u] for u in prefs] for a, prefs in model.instance.applicants.items()
        },
        "units": {
            names[u]: {"capacity": spec.capacity, "ranking": [codes[a] for a in spec.ranking]}
            for u, spec in model.instance.units.items()
        },
    }
    # An export like any other: limited per hour and logged.
    if (refusal := export_quota_response(request)) is not None:
        return refusal
    content = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return export_file(
        request,
        title=f"{programme.name}（分配输入）",
        fmt="json",
        content=content,
        content_type="application/json",
        filename=f"{programme.name}.json",
        rows=len(model.instance.applicants),
    )


# Allocation ----------------------------------------------------------------------------------


def programme_allocate_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.allocate_programme")
    user = request.user
    programme = _manageable_programme(request, pk)
    form = AllocateForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.programme_allocate(
            actor=user, programme=programme, optimal=form.cleaned_data["optimal"]
        ),
        lambda run: redirect("talent:programme_result", pk=programme.pk),
        lambda run: (
            f"分配完成并已校验：{run.stats['matched']}人分配，{run.stats['unmatched']}人未分配"
        ),
    )
    warnings = []
    if selectors.has_manual_moves(programme):
        warnings.append("重新分配将覆盖已有的人工调整")
    return done or form_page(
        request,
        form,
        title=f"运行分配：{programme.name}",
        back=url("talent:programme_detail", programme.pk),
        intro="按延迟接受算法（容量约束的稳定匹配）分配：只在双方互选（申请人填报、单位排序）时匹配；"
        "结果经校验（无不稳定对、不超名额、均为互选）后才保存。",
        warnings=warnings,
        submit_label="运行分配",
    )


def programme_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.view_programme")
    user = request.user
    programme = _manageable_programme(request, pk)
    result = services.programme_result(programme)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="分配结果",
            columns=(
                Column("code", "编号", width=12),
                Column("name", "姓名", width=10),
                Column("university", "所在高校", width=22),
                Column("host", "分配单位", width=28),
                Column("choice", "志愿顺序", kind="int", width=10),
                Column("manual", "人工调整", kind="bool", width=10),
            ),
            objects=result.rows,
            row=lambda r: (
                r[0].code,
                r[0].person.name,
                r[0].university.name if r[0].university else "",
                r[1].unit.name if r[1] else "未分配",
                r[2],
                r[3],
            ),
        )
    is_allocated = programme.status == ProgrammeStatus.ALLOCATED
    context = {
        "programme": programme,
        "result": result,
        "run": selectors.last_run(programme),
        "adjustments": selectors.assignment_changes(programme),
        "can_adjust": is_allocated and user.has_perm("placement.allocate_programme"),
        "can_confirm": is_allocated and user.has_perm("placement.allocate_programme"),
    }
    return render(request, "placement/programme_result.html", context)


def assignment_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move one applicant by hand, with a reason; a move creating blocking pairs, or to a
    unit that did not rank the applicant or that the applicant did not list, is shown as a
    warning and needs explicit acceptance (recorded with the change)."""
    require_perm(request, "placement.allocate_programme")
    user = request.user
    applicant = selectors.placement_applicant_get(user, pk)
    programme = applicant.programme
    current = selectors.current_assignment(applicant)
    form = AdjustForm(
        request.POST or None,
        hosts=selectors.hosts_of(programme),
        initial={"host": current.host_id if current else None},
    )
    warnings: list[str] = []
    refused: list[DomainError] = []

    def save() -> Any:
        d = form.cleaned_data
        try:
            return services.assignment_adjust(
                actor=user,
                applicant=applicant,
                host=d["host"],
                reason=d["reason"],
                accept_blocking=d["accept_blocking"],
                accept_not_mutual=d["accept_not_mutual"],
            )
        except DomainError as error:
            refused.append(error)
            raise

    done = submit(
        request, form, save, lambda c: redirect("talent:programme_result", pk=programme.pk)
    )
    if done:
        return done
    if refused and refused[0].code in ("blocking_pairs", "not_mutual"):
        warnings = [f"{refused[0].message}。确认调整请勾选“仍然调整”"]
    choices = "、".join(p.host.unit.name for p in selectors.applicant_choices(applicant))
    ranked_by = "、".join(r.host.unit.name for r in selectors.applicant_rankings(applicant))
    return form_page(
        request,
        form,
        title=f"人工调整：{applicant.code} {applicant.person.name}",
        back=url("talent:programme_result", programme.pk),
        facts=[
            ("当前分配", current.host.unit.name if current and current.host else "未分配"),
            ("志愿", choices or "未填报"),
            ("已将其排序的单位", ranked_by or "无"),
        ],
        warnings=warnings,
    )


def programme_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm the allocation: the placed applicants become talents at their host units."""
    require_perm(request, "placement.allocate_programme")
    user = request.user
    programme = _manageable_programme(request, pk)
    form = ConfirmForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.programme_confirm(actor=user, programme=programme),
        lambda talents: redirect("talent:programme_detail", pk=programme.pk),
        lambda talents: f"已确认到岗：{len(talents)}人登记入人才库",
        title=f"确认到岗：{programme.name}",
        back=url("talent:programme_result", programme.pk),
        intro="确认后，已分配的申请人按项目类型登记入人才库（实习实训同时建立实习记录），项目不能再调整。",
        submit_label="确认到岗",
        warnings=[] if programme.status == ProgrammeStatus.ALLOCATED else ["项目尚未分配或已确认"],
    )
