"""Pages of the services that keep talents: the catalogue and its rules, eligibility with its
reasons, entitlements, deliveries, the monthly payment list for finance, and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yanzhen.audit.services import export_logged, exports_in_last_hour
from yanzhen.benefits import selectors, services
from yanzhen.benefits.forms import (
    BenefitForm,
    CancelForm,
    DeliveryForm,
    GenerateForm,
    PaymentConfirmForm,
    RuleForm,
)
from yanzhen.benefits.models import (
    MONTHLY_KINDS,
    Benefit,
    Delivery,
    Entitlement,
    EntitlementStatus,
)
from yanzhen.benefits.services.benefits import BENEFIT_FIELDS, RULE_FIELDS
from yanzhen.benefits.services.reminders import CATEGORY_LABELS, Reminder
from yanzhen.core import integrity
from yanzhen.core.excel import Column, write_xlsx
from yanzhen.core.filters import DataclassFilterForm, filter_form
from yanzhen.core.forms import bounded_date
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import (
    download,
    export_format,
    export_unmasking,
    logged_filters,
    unmasked_export_logged,
)
from yanzhen.core.masking import EXPORTS_PER_HOUR, mask_id_number, record_opened
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    confirm_delete,
    form_page,
    form_view,
    render_table,
    require_perm,
    require_true,
    submit,
    url,
)
from yanzhen.core.selectors import active_units, record_history
from yanzhen.talent import selectors as talent_selectors

# The catalogue -------------------------------------------------------------------------------


def benefit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.view_benefit")
    user = request.user
    form = filter_form(selectors.BenefitFilters)(request.GET or None)
    columns: list[Col[Benefit]] = [
        Col(
            _("待遇名称"), lambda b: b.name, lambda b: url("talent:benefit_detail", b.pk), width=24
        ),
        Col(_("类别"), lambda b: b.get_kind_display(), width=14),
        Col(_("每月标准（元）"), lambda b: b.monthly_amount, kind="decimal", width=12),
        Col(_("每次标准（元）"), lambda b: b.amount, kind="decimal", width=12),
        Col(_("享受期限（月）"), lambda b: b.duration_months, kind="int", width=10),
        Col(_("周期（月）"), lambda b: b.interval_months, kind="int", width=10),
        Col(_("发放单位"), lambda b: b.paying_unit.name, width=24),
        Col(_("年度预算（元）"), lambda b: b.annual_budget, kind="decimal", width=14),
        Col(_("规则数"), lambda b: b.n_rules, kind="int", width=8),  # type: ignore[attr-defined]
        Col(
            _("享受人数"),
            lambda b: b.n_entitlements,  # type: ignore[attr-defined]
            lambda b: url("talent:entitlement_list", query={"benefit": str(b.pk)}),
            kind="int",
            width=10,
        ),
        Col(_("启用"), lambda b: b.is_active, kind="bool", width=8),
    ]
    actions = []
    if user.has_perm("benefits.add_benefit"):
        actions.append(Action(_("新增待遇项目"), url("talent:benefit_new"), primary=True))
    if user.has_perm("benefits.add_entitlement"):
        actions.append(Action(_("按规则生成待遇"), url("talent:entitlements_generate_edit")))
    return render_table(
        request,
        TablePage(
            title=_("待遇目录"),
            columns=columns,
            rows=selectors.benefit_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="talent.export_talent",
        ),
    )


def benefit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.view_benefit")
    user = request.user
    benefit = selectors.benefit_get(user, pk)
    manageable = selectors.benefit_manageable(user, benefit)
    context = {
        "benefit": benefit,
        "rules": selectors.benefit_rules(benefit),
        "can_change": manageable and user.has_perm("benefits.change_benefit"),
        "entitlements_url": url("talent:entitlement_list", query={"benefit": str(benefit.pk)}),
        "n_entitlements": selectors.entitlement_qs(user).filter(benefit=benefit).count(),
    }
    integrity.read_check(request, [benefit])
    return render(request, "benefits/benefit_detail.html", context)


def benefit_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.add_benefit")
    user = request.user
    form = BenefitForm(
        request.POST or None,
        initial={"owner_unit": user.unit_id, "paying_unit": user.unit_id},
        units=active_units(user),
    )
    return form_view(
        request,
        form,
        lambda: services.benefit_create(actor=user, **form.cleaned_data),
        lambda b: redirect("talent:benefit_detail", pk=b.pk),
        title=_("新增待遇项目"),
        back=url("talent:benefit_list"),
    )


def benefit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.change_benefit")
    user = request.user
    benefit = selectors.benefit_get(user, pk)
    require_true(selectors.benefit_manageable(user, benefit))
    initial = {f: getattr(benefit, f) for f in BENEFIT_FIELDS}
    initial["owner_unit"] = benefit.owner_unit_id
    initial["paying_unit"] = benefit.paying_unit_id
    form = BenefitForm(request.POST or None, initial=initial, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.benefit_update(actor=user, benefit=benefit, **form.cleaned_data),
        lambda b: redirect("talent:benefit_detail", pk=b.pk),
        title=_("编辑待遇项目：%(name)s") % {"name": benefit.name},
        back=url("talent:benefit_detail", benefit.pk),
    )


RULE_INTRO = gettext_lazy(
    "一条规则的各项条件须同时满足（不填为不限）；满足任一条启用的规则即可享受。"
)


def rule_new(request: AuthenticatedHttpRequest, benefit_pk: int) -> HttpResponse:
    require_perm(request, "benefits.add_eligibilityrule")
    user = request.user
    benefit = selectors.benefit_get(user, benefit_pk)
    require_true(selectors.benefit_manageable(user, benefit))
    form = RuleForm(request.POST or None, initial={"is_active": True, "sort_order": 0})
    return form_view(
        request,
        form,
        lambda: services.rule_create(actor=user, benefit=benefit, **form.cleaned_data),
        lambda r: redirect("talent:benefit_detail", pk=benefit.pk),
        title=_("%(name)s：新增适用规则") % {"name": benefit.name},
        back=url("talent:benefit_detail", benefit.pk),
        intro=RULE_INTRO,
    )


def rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.change_eligibilityrule")
    user = request.user
    rule = selectors.rule_get(user, pk)
    require_true(selectors.benefit_manageable(user, rule.benefit))
    form = RuleForm(request.POST or None, initial={f: getattr(rule, f) for f in RULE_FIELDS})
    return form_view(
        request,
        form,
        lambda: services.rule_update(actor=user, rule=rule, **form.cleaned_data),
        lambda r: redirect("talent:benefit_detail", pk=r.benefit_id),
        title=_("%(name)s：编辑适用规则") % {"name": rule.benefit.name},
        back=url("talent:benefit_detail", rule.benefit_id),
        intro=RULE_INTRO,
    )


def rule_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.delete_eligibilityrule")
    user = request.user
    rule = selectors.rule_get(user, pk)
    require_true(selectors.benefit_manageable(user, rule.benefit))
    if request.method == "POST":
        services.rule_delete(actor=user, rule=rule)
        messages.success(request, _("已删除规则“%(name)s”") % {"name": rule.name})
        return redirect("talent:benefit_detail", pk=rule.benefit_id)
    return confirm_delete(request, rule, back=url("talent:benefit_detail", rule.benefit_id))


# Eligibility and entitlements ----------------------------------------------------------------


def _on(request: AuthenticatedHttpRequest) -> dt.date:
    return bounded_date(request.GET.get("on", "")) or timezone.localdate()


def talent_entitlements_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Each benefit with whether the talent qualifies and why; POST creates what it may have."""
    require_perm(request, "benefits.add_entitlement")
    user = request.user
    talent = talent_selectors.talent_get(user, pk)
    form = GenerateForm(request.POST or None, initial={"on": _on(request)})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else _on(request)

    def save() -> services.Generation:
        return services.entitlements_generate(actor=user, talents=[talent], on=on)

    done = submit(
        request,
        form,
        save,
        lambda g: redirect("talent:talent_detail", pk=talent.pk),
        lambda g: (
            _("新增待遇 %(created)s 项，已有 %(existing)s 项，不符合 %(not_eligible)s 项")
            % {
                "created": len(g.created),
                "existing": g.existing,
                "not_eligible": len(g.not_eligible),
            }
        ),
    )
    if done:
        return done
    have = selectors.benefit_ids_of(talent)
    verdicts = [
        (benefit, verdict, benefit.pk in have)
        for benefit, verdict in services.eligibility(talent, on)
    ]
    context = {"talent": talent, "form": form, "verdicts": verdicts, "on": on}
    return render(request, "benefits/eligibility.html", context)


def entitlements_generate_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Generate the entitlements of every talent in the user's scope (idempotent)."""
    require_perm(request, "benefits.add_entitlement")
    user = request.user
    talents = selectors.talents_to_generate(user)
    form = GenerateForm(request.POST or None, initial={"on": timezone.localdate()})
    return form_view(
        request,
        form,
        lambda: services.entitlements_generate(
            actor=user, talents=talents, on=form.cleaned_data["on"]
        ),
        lambda g: redirect("talent:entitlement_list"),
        lambda g: (
            _("新增待遇 %(created)s 项，已有 %(existing)s 项，不符合 %(not_eligible)s 项")
            % {
                "created": len(g.created),
                "existing": g.existing,
                "not_eligible": len(g.not_eligible),
            }
        ),
        title=_("按规则生成待遇"),
        back=url("talent:benefit_list"),
        intro=_("为您数据范围内的 %(count)s 名人才，按待遇目录的适用规则生成待遇；已有的待遇不变。")
        % {"count": talents.count()},
        submit_label=_("生成"),
    )


def entitlement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.view_entitlement")
    user = request.user
    form = filter_form(selectors.EntitlementFilters)(request.GET or None)
    today = timezone.localdate()
    columns: list[Col[Entitlement]] = [
        Col(
            _("人才"),
            lambda e: e.talent.person.name,
            lambda e: url("talent:talent_detail", e.talent_id),
            width=10,
        ),
        Col(_("用人单位"), lambda e: e.talent.employer.name, width=24),
        Col(
            _("待遇"),
            lambda e: e.benefit.name,
            lambda e: url("talent:entitlement_detail", e.pk),
            width=22,
        ),
        Col(_("类别"), lambda e: e.benefit.get_kind_display(), width=12),
        Col(_("起始日期"), lambda e: e.start_date, kind="date", width=12),
        Col(_("截止日期"), lambda e: e.end_date, kind="date", width=12),
        Col(_("每月标准（元）"), lambda e: e.monthly_amount, kind="decimal", width=12),
        Col(_("状态"), lambda e: e.get_status_display(), width=10),
        Col(
            _("兑现次数"),
            lambda e: e.n_deliveries,  # type: ignore[attr-defined]
            lambda e: url(
                "talent:delivery_list",
                query={"q": e.talent.person.name, "benefit": str(e.benefit_id)},
            ),
            kind="int",
            width=10,
        ),
    ]
    rows = selectors.entitlement_list(user=user, filters=form.filters(), today=today)
    expiring = selectors.EntitlementFilters(expiring=True)
    figures = [
        Figure(_("待遇总数"), rows.count()),
        Figure(
            _("30天内到期"),
            selectors.entitlement_list(user=user, filters=expiring, today=today).count(),
            url("talent:entitlement_list", query=expiring.as_query()),
        ),
    ]
    return render_table(
        request,
        TablePage(
            title=_("人才待遇"),
            columns=columns,
            rows=rows,
            form=form,
            figures=figures,
            export_perm="talent.export_talent",
        ),
    )


def entitlement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.view_entitlement")
    user = request.user
    entitlement = selectors.entitlement_get(user, pk)
    record_opened(request, record_type="entitlement", record_id=entitlement.pk)  # a talent's
    deliveries = selectors.entitlement_deliveries(entitlement)
    integrity.read_check(request, [entitlement, entitlement.benefit, *deliveries])
    context = {
        "entitlement": entitlement,
        "deliveries": deliveries,
        "history": record_history(entitlement),
        "can_deliver": user.has_perm("benefits.add_delivery")
        and entitlement.status == EntitlementStatus.ACTIVE,
        "can_cancel": user.has_perm("benefits.change_entitlement")
        and entitlement.status == EntitlementStatus.ACTIVE,
        "monthly": entitlement.benefit.kind in MONTHLY_KINDS,
    }
    return render(request, "benefits/entitlement_detail.html", context)


def entitlement_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel an entitlement, with a reason."""
    require_perm(request, "benefits.change_entitlement")
    user = request.user
    entitlement = selectors.entitlement_get(user, pk)
    form = CancelForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.entitlement_cancel(
            actor=user, entitlement=entitlement, reason=form.cleaned_data["reason"]
        ),
        lambda e: redirect("talent:entitlement_detail", pk=e.pk),
        _("待遇已取消"),
        title=_("取消待遇：%(entitlement)s") % {"entitlement": entitlement},
        back=url("talent:entitlement_detail", entitlement.pk),
        submit_label=_("取消待遇"),
    )


# Deliveries ----------------------------------------------------------------------------------


def delivery_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.view_delivery")
    user = request.user
    form = filter_form(selectors.DeliveryFilters)(request.GET or None)
    columns: list[Col[Delivery]] = [
        Col(_("兑现日期"), lambda d: d.date, kind="date", width=12),
        Col(
            _("人才"),
            lambda d: d.entitlement.talent.person.name,
            lambda d: url("talent:talent_detail", d.entitlement.talent_id),
            width=10,
        ),
        Col(_("用人单位"), lambda d: d.entitlement.talent.employer.name, width=24),
        Col(
            _("待遇"),
            lambda d: d.entitlement.benefit.name,
            lambda d: url("talent:entitlement_detail", d.entitlement_id),
            width=22,
        ),
        Col(_("所属月份"), lambda d: d.period.strftime("%Y-%m") if d.period else "", width=10),
        Col(_("金额（元）"), lambda d: d.amount, kind="decimal", width=12),
        Col(
            _("佐证"),
            lambda d: _("下载") if d.evidence else "",
            lambda d: url("talent:delivery_evidence", d.pk) if d.evidence else None,
            width=8,
        ),
        Col(_("说明"), lambda d: d.note, width=24),
    ]
    rows = selectors.delivery_list(user=user, filters=form.filters())
    total = selectors.delivery_total(rows)
    return render_table(
        request,
        TablePage(
            title=_("待遇兑现"),
            columns=columns,
            rows=rows,
            form=form,
            figures=[
                Figure(_("兑现次数"), rows.count()),
                Figure(_("金额合计（元）"), f"{total:,.2f}"),
            ],
            export_perm="talent.export_talent",
        ),
    )


def delivery_new(request: AuthenticatedHttpRequest, entitlement_pk: int) -> HttpResponse:
    require_perm(request, "benefits.add_delivery")
    user = request.user
    entitlement = selectors.entitlement_get(user, entitlement_pk)
    form = DeliveryForm(
        request.POST or None, request.FILES or None, initial={"date": timezone.localdate()}
    )
    return form_view(
        request,
        form,
        lambda: services.delivery_create(actor=user, entitlement=entitlement, **form.cleaned_data),
        lambda d: redirect("talent:entitlement_detail", pk=entitlement.pk),
        _("已登记兑现"),
        title=_("登记兑现：%(entitlement)s") % {"entitlement": entitlement},
        back=url("talent:entitlement_detail", entitlement.pk),
        facts=[
            (
                _("享受期"),
                _("%(start_date)s 至 %(end_date)s")
                % {
                    "start_date": format(entitlement.start_date, "%Y-%m-%d"),
                    "end_date": format(entitlement.end_date, "%Y-%m-%d"),
                }
                if entitlement.end_date
                else _("长期"),
            ),
            (
                _("标准"),
                _("每月 %(monthly_amount)s 元") % {"monthly_amount": entitlement.monthly_amount}
                if entitlement.benefit.kind in MONTHLY_KINDS
                else _("每次 %(amount)s 元") % {"amount": entitlement.amount},
            ),
        ],
    )


def delivery_evidence(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "benefits.view_delivery")
    delivery = selectors.delivery_get(request.user, pk)
    if not delivery.evidence:
        raise Http404
    try:
        handle = delivery.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=Path(delivery.evidence.name or "evidence").name
    )


# The monthly payment list --------------------------------------------------------------------


def _payment_columns() -> tuple[Column, ...]:
    """The columns of the monthly payment list (XLSX)."""
    return (
        Column("no", _("序号"), kind="int", width=6),
        Column("name", _("姓名"), width=10),
        Column("id_number", _("身份证号"), width=20, pii="id"),
        Column("employer", _("用人单位"), width=28),
        Column("type", _("人才类型"), width=14),
        Column("degree", _("学位"), width=8),
        Column("benefit", _("补贴项目"), width=22),
        Column("period", _("起止日期"), width=24),
        Column("amount", _("本月金额（元）"), kind="decimal", width=14),
        Column("paid", _("已发放"), width=12),
    )


def _payment_context(
    request: AuthenticatedHttpRequest, user: User
) -> tuple[DataclassFilterForm[selectors.PaymentFilters], services.PaymentList | None]:
    """The filters (by default the first paying unit in the user's scope, this month) and
    the month's payment list."""
    data = request.GET.copy()
    if not data.get("paying_unit"):
        first = selectors.paying_units(user).first()
        data["paying_unit"] = str(first.pk) if first is not None else ""
    if not data.get("month"):
        data["month"] = timezone.localdate().strftime("%Y-%m")
    form = filter_form(selectors.PaymentFilters)(data, user=user)
    unit = form.value("paying_unit")
    month = form.value("month")
    if unit is None or month is None:
        return form, None
    listing = services.payment_list(
        paying_unit=unit, month=month, entitlements=selectors.entitlement_qs(user)
    )
    return form, listing


def payment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The month's subsidies a paying unit pays, per talent, with totals against the budget;
    ``?export=xlsx`` gives the list for finance."""
    require_perm(request, "benefits.view_delivery")
    user = request.user
    form, listing = _payment_context(request, user)
    if listing is not None:
        integrity.read_check(request, listing.records())
    if listing is not None and export_format(request):
        require_perm(request, "talent.export_talent")
        return _payment_xlsx(request, user, listing)
    context = {
        "form": form,
        "listing": listing,
        "can_confirm": listing is not None
        and bool(listing.unpaid)
        and user.has_perm("benefits.add_delivery"),
        "deliveries_url": url(
            "talent:delivery_list",
            query={"paying_unit": str(listing.paying_unit.pk), "period": listing.month.isoformat()},
        )
        if listing is not None
        else "",
    }
    return render(request, "benefits/payment_list.html", context)


def _payment_xlsx(
    request: AuthenticatedHttpRequest, user: User, listing: services.PaymentList
) -> HttpResponse:
    """The list for finance: one row per talent, the total, and the budget lines as notes.
    Like every export it is limited per hour, watermarked and logged, and ID numbers are
    masked unless a user who may see them asks for them (``?unmasked=1``) with a second
    person's approval to export this list (``core.listing.export_unmasking``)."""
    if exports_in_last_hour(user) >= EXPORTS_PER_HOUR:
        return render(
            request, "includes/export_limit.html", {"limit": EXPORTS_PER_HOUR}, status=429
        )
    title = _("%(name)s%(month)s人才补贴发放表") % {
        "name": listing.paying_unit.name,
        "month": format(listing.month, "%Y年%m月"),
    }
    decision = export_unmasking(request, title=title)
    if isinstance(decision, HttpResponse):
        return decision
    unmasked = decision is not None
    rows: list[list[object]] = []
    for index, line in enumerate(listing.lines, start=1):
        e = line.entitlement
        number = e.talent.person.id_number
        period = (
            _("%(start_date)s至%(end_date)s")
            % {
                "start_date": format(e.start_date, "%Y-%m-%d"),
                "end_date": format(e.end_date, "%Y-%m-%d"),
            }
            if e.end_date
            else _("%(start_date)s起") % {"start_date": format(e.start_date, "%Y-%m-%d")}
        )
        rows.append([
            index, e.talent.person.name, number if unmasked else mask_id_number(number),
            e.talent.employer.name, e.talent.get_talent_type_display(),
            e.talent.get_degree_display(), e.benefit.name, period, line.amount,
            f"{line.paid.date:%Y-%m-%d}" if line.paid else "",
        ])  # fmt: skip
    rows.append(
        [
            "",
            _("合计"),
            "",
            "",
            "",
            "",
            _("%(count)s人次") % {"count": len(listing.lines)},
            "",
            listing.total,
            "",
        ]
    )
    notes = [
        _("%(name)s %(month)s人才补贴发放表")
        % {"name": listing.paying_unit.name, "month": format(listing.month, "%Y年%m月")},
        _("发放规则：享受期覆盖当月1日的，发放当月全额补贴。"),
        _("本月合计：%(total)s 元，%(count)s 人次。")
        % {"total": format(listing.total, ".2f"), "count": len(listing.lines)},
    ]
    notes.extend(
        _(
            "%(name)s：%(year)s年度预算 %(budget)s 元，此前已发放 %(paid_before)s 元，本月 %(this_month)s 元，预算余额 %(remaining)s 元。"
        )
        % {
            "name": b.benefit.name,
            "year": listing.month.year,
            "budget": format(b.budget, ".2f"),
            "paid_before": format(b.paid_before, ".2f"),
            "this_month": format(b.this_month, ".2f"),
            "remaining": format(b.remaining, ".2f"),
        }
        for b in listing.budget
    )
    now = timezone.localtime()
    content = write_xlsx(
        _("%(month)s补贴发放表") % {"month": format(listing.month, "%Y年%m月")},
        _payment_columns(),
        rows,
        notes=notes,
        watermark=_("雁阵导出 · %(username)s · %(now)s · 内部资料 注意保密")
        % {"username": user.username, "now": format(now, "%Y-%m-%d %H:%M:%S %z")},
    )
    log = export_logged(
        request=request,
        title=title,
        filters=logged_filters(request),
        fmt="xlsx",
        rows=len(listing.lines),
        content=content,
        unmasked=unmasked,
    )
    if decision is not None:
        unmasked_export_logged(
            request, export_id=log.pk, fields="id_number", approval_id=decision.approval_id
        )
    return download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{title}.xlsx",
    )


def payment_list_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Submit the month's unpaid lines to be recorded as paid (one delivery each) once another
    holder of the permission in the paying unit approves the list (four eyes)."""
    require_perm(request, "benefits.add_delivery")
    user = request.user
    _filters, listing = _payment_context(request, user)
    form = PaymentConfirmForm(request.POST or None, initial={"date": timezone.localdate()})
    if listing is None:
        return form_page(
            request,
            PaymentConfirmForm(),
            title=_("确认发放"),
            back=url("talent:payment_list"),
            warnings=[_("您的数据范围内没有发放按月补贴的单位")],
        )
    done = submit(
        request,
        form,
        lambda: services.payment_submit(
            actor=user,
            paying_unit=listing.paying_unit,
            month=listing.month,
            date=form.cleaned_data["date"],
        ),
        lambda made: redirect(
            f"{url('talent:payment_list')}?paying_unit={listing.paying_unit.pk}"
            f"&month={listing.month:%Y-%m}"
        ),
        lambda made: _("已提交复核：本单位另一名有发放权限的人员审核通过后登记为已发放"),
    )
    unpaid = sum((line.amount for line in listing.unpaid), Decimal(0))
    return done or form_page(
        request,
        form,
        title=_("确认发放：%(name)s %(month)s")
        % {"name": listing.paying_unit.name, "month": format(listing.month, "%Y年%m月")},
        back=url("talent:payment_list"),
        facts=[(_("待发放人次"), len(listing.unpaid)), (_("待发放金额（元）"), f"{unpaid:,.2f}")],
        submit_label=_("提交复核"),
    )


# Reminders -----------------------------------------------------------------------------------


def reminder_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is due around a day (today by default): expiring entitlements, insurance
    renewals, visits and check-ups; the daily ``send_talent_reminders`` notifies the same."""
    require_perm(request, "benefits.view_entitlement")
    user = request.user
    form = filter_form(selectors.ReminderFilters)(request.GET or None)
    filters = form.filters()
    on = filters.on or timezone.localdate()
    reminders = services.reminders_due(on, selectors.entitlement_qs(user))
    counts = dict.fromkeys(CATEGORY_LABELS, 0)
    for r in reminders:
        counts[r.category] += 1
    if filters.category:
        reminders = [r for r in reminders if r.category == filters.category]
    columns: list[Col[Reminder]] = [
        Col(_("类别"), lambda r: r.label, width=12),
        Col(_("日期"), lambda r: r.due, kind="date", width=12),
        Col(_("人才"), lambda r: r.entitlement.talent.person.name, width=10, page=False),
        Col(_("用人单位"), lambda r: r.entitlement.talent.employer.name, width=26, page=False),
        Col(_("待遇"), lambda r: r.entitlement.benefit.name, width=22, page=False),
        Col(
            _("提醒"),
            lambda r: r.title,
            lambda r: url("talent:entitlement_detail", r.entitlement.pk),
            width=50,
        ),
    ]
    figures = [
        Figure(
            _(CATEGORY_LABELS[key]),
            n,
            url("talent:reminder_list", query={"on": on.isoformat(), "category": key}),
        )
        for key, n in counts.items()
    ]
    return render_table(
        request,
        TablePage(
            title=_("待办提醒"),
            columns=columns,
            rows=reminders,
            form=form,
            figures=figures,
            export_perm="talent.export_talent",
            empty=_("没有待办提醒"),
            note=_(
                "30天内到期的待遇（保险为续保提醒），7天内到期或已逾期的走访、体检。"
                "每日由 send_talent_reminders 命令通过消息、邮件和群机器人发送。"
            ),
        ),
    )
