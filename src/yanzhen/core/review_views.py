"""Pages of the review inbox (待审核) and of a county's settings (县级设置)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.core import counties, reviews
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import KeysChoiceField, VersionField, apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.models import (
    ApprovalRequest,
    CodeFormat,
    CountySettings,
    ReviewerChoice,
    Unit,
)
from yanzhen.core.pages import Col, TablePage, form_page, render_table, require_true, url
from yanzhen.core.selectors import (
    county_offices,
    county_settings_get,
    county_settings_of,
)
from yanzhen.core.workflow import (
    flow_of,
    inbox_qs,
    is_overdue,
    kind_label,
    review_bulk_approve,
    review_decide,
)

COMMENT_MAX = 200


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果", choices=[("approve", "通过"), ("return", "退回")]
    )
    comment = forms.CharField(
        label="审核意见", max_length=COMMENT_MAX, required=False, widget=forms.Textarea
    )


class BulkForm(forms.Form):
    ids = KeysChoiceField(label="所选事项", queryset=ApprovalRequest.objects.none())
    comment = forms.CharField(label="审核意见", max_length=COMMENT_MAX, required=False)

    def __init__(self, *args: Any, requests: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = requests  # type: ignore[attr-defined]


def _checkbox(r: ApprovalRequest) -> Any:
    return format_html(
        '<input type="checkbox" name="ids" value="{}" form="bulk-approve" aria-label="{}">',
        r.pk,
        _("选择"),
    )


def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """待审核: the items the user may decide; each opens its record; several are approved
    at once with one comment (the form above the list)."""
    require_true(bool(reviews.flow_choices(request.user)))
    form = filter_form(reviews.ReviewFilters)(request.GET or None, user=request.user)
    today = timezone.localdate()
    columns: list[Col[ApprovalRequest]] = [
        Col("选择", lambda r: r.pk, html=_checkbox, export=False),
        Col("类型", lambda r: kind_label(r.kind), width=12),
        Col("事项", lambda r: r.title or r.target_label, lambda r: r.url or None, width=40),
        Col("报送单位", lambda r: r.submitted_unit.name if r.submitted_unit else "", width=24),
        Col("报送人", lambda r: str(r.requester), width=12),
        Col(
            "报送时间",
            lambda r: date_format(r.requested_at, "Y-m-d H:i"),
            width=16,
            sort="requested_at",
        ),
        Col("审核期限", lambda r: r.deadline, kind="date", width=12),
        Col("超期", lambda r: _("已超期") if is_overdue(r, today) else "", width=8),
        Col("说明", lambda r: r.reason, width=30),
        Col("审核", lambda r: _("审核"), lambda r: url("core:review_detail", r.pk), export=False),
    ]
    return render_table(
        request,
        TablePage(
            title="待审核",
            columns=columns,
            rows=reviews.review_list(user=request.user, filters=form.filters()),
            form=form,
            above="core/review_bulk.html",
            context={"bulk_url": url("core:review_bulk")},
            empty="没有待审核的事项",
        ),
    )


def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One request: what was submitted, its history, and (for its decider) the decision."""
    approval = reviews.review_get(request.user, pk)
    flow = flow_of(approval.kind)
    may_decide = inbox_qs(request.user).filter(pk=approval.pk).exists()
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require_true(may_decide)
        if form.is_valid():
            try:
                review_decide(
                    approval=approval,
                    approver=request.user,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                    request=request,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已审核"))
                return redirect("core:review_list")
    facts = [
        ("类型", flow.label),
        ("事项", approval.title or approval.target_label),
        ("报送单位", approval.submitted_unit or "—"),
        ("报送人", approval.requester),
        ("报送时间", date_format(approval.requested_at, "Y-m-d H:i")),
        (
            "审核期限",
            f"{approval.deadline}（{_('已超期')}）"
            if is_overdue(approval)
            else (approval.deadline or "—"),
        ),
        ("说明", approval.reason),
        ("状态", approval.get_state_display()),
    ]
    if approval.approver is not None:
        facts += [("审核人", approval.approver), ("审核意见", approval.decision_note or "—")]
    return render(
        request,
        "core/review_detail.html",
        {
            "approval": approval,
            "facts": facts,
            "form": form if may_decide else None,
            "title": _("审核：%(t)s") % {"t": approval.title or approval.target_label},
        },
    )


@require_POST
def review_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve the selected items with one comment (all or none)."""
    require_true(bool(reviews.flow_choices(request.user)))
    requests = inbox_qs(request.user)
    form = BulkForm(request.POST, requests=requests)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect("core:review_list")
    chosen = list(form.cleaned_data["ids"])
    try:
        review_bulk_approve(
            approvals=chosen,
            approver=request.user,
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已批量通过%(n)s项") % {"n": len(chosen)})
    return redirect("core:review_list")


# County settings ------------------------------------------------------------------------------


class CountySettingsForm(forms.Form):
    office = forms.ModelChoiceField(label="省校合作办", queryset=Unit.objects.none())
    reviewer = forms.ChoiceField(label="下级单位合作的审核", choices=ReviewerChoice.choices)
    intention_text = forms.CharField(label="意向：统计口径", max_length=counties.TEXT_MAX)
    intention_evidence = forms.BooleanField(label="意向须上传佐证", required=False)
    agreement_text = forms.CharField(label="签约：统计口径", max_length=counties.TEXT_MAX)
    agreement_evidence = forms.BooleanField(label="签约须上传佐证", required=False)
    landed_text = forms.CharField(label="落地：统计口径", max_length=counties.TEXT_MAX)
    landed_evidence = forms.BooleanField(label="落地须上传佐证", required=False)
    appeal_days = forms.IntegerField(
        label="考核申诉期（天）",
        required=False,
        min_value=counties.APPEAL_DAYS_MIN,
        max_value=counties.APPEAL_DAYS_MAX,
        help_text="考核结果发布后，被考核单位可对人工评分提出申诉的天数；不填按7天",
    )
    industry_groups = forms.CharField(
        label="本地产业及分组",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一组，写作“组名：产业代码、产业代码”（也可写产业名称）；留空则用全部本地产业目录",
    )
    email_sender = forms.EmailField(
        label="邮件发件人", required=False, help_text="本县用户收到的邮件的发件地址；留空则用平台的"
    )
    home_province = forms.CharField(
        label="本省", max_length=20, help_text="推荐高校和高校学科实力表优先本省高校"
    )
    code_format = forms.ChoiceField(
        label="新合作的编号格式",
        choices=CodeFormat.choices,
        help_text="只用于新登记的合作；已有编号不变（链接和导出中仍可用）",
    )
    version = VersionField()

    def __init__(self, *args: Any, county: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        below = county_offices(county)
        self.fields["office"].queryset = below  # type: ignore[attr-defined]


def county_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The settings of the user's own county (the menu's link): its page once it has them,
    else the form that makes them."""
    require_perm(request, "core.change_countysettings")
    county = counties.county_of(request.user.unit)
    require_true(county is not None)
    assert county is not None
    settings = county_settings_of(county)
    if settings is not None:
        return redirect("core:county_settings_edit", pk=settings.pk)
    return _county_settings_form(request, county, None)


def county_settings_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The settings of a county in the user's scope: its office, who reviews, its 统计口径."""
    require_perm(request, "core.change_countysettings")
    settings = county_settings_get(request.user, pk)
    return _county_settings_form(request, settings.county, settings)


def _county_settings_form(
    request: AuthenticatedHttpRequest, county: Unit, settings: CountySettings | None
) -> HttpResponse:
    rules = counties.stage_rules(county)
    initial: dict[str, Any] = {
        "office": settings.office_id if settings else None,
        "reviewer": settings.reviewer if settings else ReviewerChoice.OFFICE,
        "version": settings.version if settings else 1,
        "appeal_days": settings.appeal_days if settings else counties.APPEAL_DAYS_DEFAULT,
        "industry_groups": counties.industry_groups_text(
            list(settings.industry_groups) if settings else []
        ),
        "email_sender": settings.email_sender if settings else "",
        "home_province": settings.home_province if settings else counties.home_province(None),
        # A county without a division code has its codes made in the plain format (code_prefix):
        # the form opens with it, so that the settings as opened can be saved.
        "code_format": (settings.code_format if settings else CodeFormat.DIVISION)
        if counties.division_code(county)
        else CodeFormat.PLAIN,
    }
    for stage in counties.STAGES:
        initial[f"{stage}_text"] = rules[stage]["text"]
        initial[f"{stage}_evidence"] = rules[stage]["evidence"]
    form = CountySettingsForm(request.POST or None, initial=initial, county=county)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            config = counties.CountyConfig(
                industry_groups=counties.parse_industry_groups(data["industry_groups"]),
                email_sender=data["email_sender"],
                home_province=data["home_province"],
                code_format=data["code_format"],
            )
            counties.county_settings_save(
                actor=request.user,
                county=county,
                office=data["office"],
                reviewer=data["reviewer"],
                rules={
                    s: {"text": data[f"{s}_text"], "evidence": data[f"{s}_evidence"]}
                    for s in counties.STAGES
                },
                config=config,
                expected_version=edited_version(form) if settings else None,
                appeal_days=data["appeal_days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("core:county_settings")
    return form_page(
        request,
        form,
        title=_("县级设置：%(c)s") % {"c": county},
        intro=_(
            "下级单位（镇街、部门、村、企业、基地）登记的合作和阶段变更，经审核通过后才计入"
            "统计；各阶段的统计口径和佐证要求显示在合作的登记表上。本地产业及分组用于合作的"
            "登记、看板和产业覆盖；邮件发件人、本省和编号格式只作用于本县（市、区）。"
        ),
    )
