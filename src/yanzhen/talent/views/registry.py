"""Pages of the talent registry: list, statistics (each number opens its records), detail,
forms, service agreements and workload of flexible introductions."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.core import integrity
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response
from yanzhen.core.masking import Kind, may_see_personal_data, record_opened
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    form_page,
    form_view,
    initial_of,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.core.selectors import active_units, record_history
from yanzhen.talent import selectors, services
from yanzhen.talent.forms import AgreementForm, TalentForm, WorkloadForm
from yanzhen.talent.models import ServiceAgreement, Talent
from yanzhen.talent.services.registry import AGREEMENT_FIELDS, AGREEMENT_TYPES, TALENT_FIELDS


def talent_columns() -> list[Col[Talent]]:
    return [
        Col("姓名", lambda t: t.person.name, lambda t: url("talent:talent_detail", t.pk), width=10),
        Col("身份证号", lambda t: t.person.id_number, width=20, pii="id"),
        Col("手机号", lambda t: t.person.mobile, width=14, pii="mobile"),
        Col("人才类型", lambda t: t.get_talent_type_display(), width=14),
        Col("学位", lambda t: t.get_degree_display(), width=8),
        Col("来源高校", lambda t: t.university.name if t.university else "", width=20),
        Col("学科", lambda t: t.discipline.name if t.discipline else "", width=14),
        Col("用人（接收）单位", lambda t: t.employer.name, width=26),
        Col("引进渠道", lambda t: t.get_channel_display(), width=10),
        Col("到岗日期", lambda t: t.start_date, kind="date", width=12, sort="start_date"),
        Col("离岗日期", lambda t: t.end_date, kind="date", width=12),
    ]


def talent_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.view_talent")
    user = request.user
    form = filter_form(selectors.TalentFilters)(request.GET or None)
    filters = form.filters()
    rows = selectors.talent_list(user=user, filters=filters, today=timezone.localdate())
    actions = [Action("统计", url("talent:talent_stats", query=filters.as_query()))]
    if user.has_perm("talent.add_talent"):
        actions.insert(0, Action("登记人才", url("talent:talent_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="人才库",
            columns=talent_columns(),
            rows=rows,
            form=form,
            actions=actions,
            export_perm="talent.export_talent",
        ),
    )


def talent_stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.view_talent")
    user = request.user
    data = request.GET.copy()
    if "group" not in data:
        data["group"] = "recruited"
    form = filter_form(selectors.TalentFilters)(data)
    filters = form.filters()
    stats = selectors.talent_stats(user=user, filters=filters, today=timezone.localdate())
    list_url = url("talent:talent_list")
    if fmt := export_format(request):
        require_perm(request, "talent.export_talent")
        rows = [(dim, r.label, r.count) for dim, items in stats.dimensions for r in items]
        return export_response(
            fmt=fmt,
            title="人才统计",
            columns=(
                Column("dimension", "维度", width=12),
                Column("label", "类别", width=30),
                Column("count", "人数", kind="int", width=10),
            ),
            objects=rows,
            row=lambda r: r,
        )
    figures = [
        Figure(row.label, row.count, f"{list_url}?{urlencode(row.query)}")
        for row in (stats.total, stats.doctors, stats.masters)
    ]
    dimensions = [
        (dim, [(r.label, r.count, f"{list_url}?{urlencode(r.query)}") for r in items])
        for dim, items in stats.dimensions
    ]
    context = {"form": form, "figures": figures, "dimensions": dimensions}
    return render(request, "talent/talent_stats.html", context)


def talent_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.view_talent")
    user = request.user
    talent = selectors.talent_get(user, pk)
    revealed = _reveal(request, talent)
    agreements = selectors.talent_agreements(talent)
    integrity.read_check(request, agreements)
    context = {
        **selectors.talent_page(user=user, talent=talent),
        "talent": talent,
        "agreements": agreements,
        "application": getattr(talent, "application", None),
        "history": record_history(talent),
        "can_change": user.has_perm("talent.change_talent"),
        "can_add_agreement": user.has_perm("talent.add_serviceagreement")
        and talent.talent_type in AGREEMENT_TYPES,
        "revealed": revealed,
        "may_reveal": may_see_personal_data(user),
    }
    return render(request, "talent/talent_detail.html", context)


def _reveal(request: AuthenticatedHttpRequest, talent: Talent) -> tuple[Kind, ...]:
    """Personal data is masked on the page; a user allowed to see it asks for one value with
    ``?reveal=id|mobile``. One access-log row: the opening, or the reveal (of the person)."""
    return record_opened(
        request, record_type="talent", record_id=talent.pk, person_id=talent.person_id
    )


def talent_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.add_talent")
    return _talent_form(request, None)


def talent_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.change_talent")
    return _talent_form(request, selectors.talent_get(request.user, pk))


def _talent_form(request: AuthenticatedHttpRequest, talent: Talent | None) -> HttpResponse:
    user = request.user
    initial: dict[str, object] = {"employer": user.unit_id, "start_date": timezone.localdate()}
    if talent is not None:
        initial = {
            **initial_of(
                talent,
                "talent_type",
                "degree",
                "discipline",
                "employer",
                "channel",
                "campaign",
                "start_date",
                "end_date",
                "note",
            ),
            "university": talent.university.name if talent.university else "",
        }
    form = TalentForm(
        request.POST or None,
        initial=initial,
        units=active_units(user),
        campaigns=selectors.campaign_qs(user).order_by("-start_date"),
        editing=talent is not None,
    )

    def save() -> Talent:
        d = dict(form.cleaned_data)
        fields = {k: d[k] for k in TALENT_FIELDS}
        if talent is not None:
            return services.talent_update(actor=user, talent=talent, **fields)
        person = services.person_for(
            actor=user, unit=d["employer"], degree=d["degree"], **form.person_data()
        )
        return services.talent_create(actor=user, person=person, **fields)

    return form_view(
        request,
        form,
        save,
        lambda t: redirect("talent:talent_detail", pk=t.pk),
        title=f"编辑人才：{talent.person.name}" if talent else "登记人才",
        back=url("talent:talent_detail", talent.pk) if talent else url("talent:talent_list"),
        intro="姓名、身份证号、手机号在“人员”中修改。" if talent else "",
    )


def agreement_new(request: AuthenticatedHttpRequest, talent_pk: int) -> HttpResponse:
    require_perm(request, "talent.add_serviceagreement")
    user = request.user
    talent = selectors.talent_get(user, talent_pk)
    form = AgreementForm(
        request.POST or None, initial={"title": f"{talent.person.name}柔性引才服务协议"}
    )
    return form_view(
        request,
        form,
        lambda: services.agreement_create(actor=user, talent=talent, **form.cleaned_data),
        lambda a: redirect("talent:talent_detail", pk=talent.pk),
        title=f"{talent.person.name}：登记服务协议",
        back=url("talent:talent_detail", talent.pk),
    )


def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.change_serviceagreement")
    user = request.user
    agreement = selectors.agreement_get(user, pk)
    form = AgreementForm(
        request.POST or None, initial={f: getattr(agreement, f) for f in AGREEMENT_FIELDS}
    )
    return form_view(
        request,
        form,
        lambda: services.agreement_update(actor=user, agreement=agreement, **form.cleaned_data),
        lambda a: redirect("talent:talent_detail", pk=a.talent_id),
        title=f"{agreement.talent.person.name}：编辑服务协议",
        back=url("talent:talent_detail", agreement.talent_id),
    )


def workload_new(request: AuthenticatedHttpRequest, agreement_pk: int) -> HttpResponse:
    require_perm(request, "talent.add_workloadentry")
    user = request.user
    agreement: ServiceAgreement = selectors.agreement_get(user, agreement_pk)
    form = WorkloadForm(request.POST or None, initial={"days": Decimal(1)})
    done = submit(
        request,
        form,
        lambda: services.workload_create(actor=user, agreement=agreement, **form.cleaned_data),
        lambda w: redirect("talent:talent_detail", pk=agreement.talent_id),
    )
    served = selectors.agreement_served(agreement)
    return done or form_page(
        request,
        form,
        title=f"登记服务工作量：{agreement.title}",
        back=url("talent:talent_detail", agreement.talent_id),
        facts=[
            ("服务期", f"{agreement.start_date:%Y-%m-%d} 至 {agreement.end_date:%Y-%m-%d}"),
            ("约定服务天数（天/年）", agreement.days_per_year),
            ("已登记天数", served),
        ],
    )
