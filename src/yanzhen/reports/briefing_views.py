"""Pages of the briefings: list, draft and edit (template errors beside the template), the
HTML view with every figure linked to its records, review and 签发, .docx and PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import VersionField, apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.listing import download, paginate
from yanzhen.core.models import Unit
from yanzhen.core.selectors import active_units
from yanzhen.engines.briefing_template import Heading, Paragraph, Table
from yanzhen.reports import briefings, figures
from yanzhen.reports.briefings import STATE_LABELS, BriefingData, State
from yanzhen.reports.gongwen import heading_number
from yanzhen.reports.models import BriefingKind
from yanzhen.reports.selectors import (
    briefing_template_get,
    briefing_templates,
    default_unit,
    frozen_figure,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BriefingForm(forms.Form):
    kind = forms.ChoiceField(label="文种", choices=BriefingKind.choices)
    title = forms.CharField(label="标题", max_length=200)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    start = forms.DateField(label="统计起始日期")
    end = forms.DateField(label="统计截止日期")
    issue = forms.IntegerField(label="期号（工作简报）", required=False, min_value=1)
    masthead = forms.CharField(label="发文机关标志（版头）", max_length=50)
    number = forms.CharField(label="发文字号", max_length=50, required=False)
    recipients = forms.CharField(label="主送机关", max_length=200, required=False)
    report_to = forms.CharField(label="报送", max_length=200, required=False)
    copy_to = forms.CharField(label="抄送", max_length=200, required=False)
    signature = forms.CharField(label="署名（编印单位）", max_length=100)
    text = forms.CharField(
        label="正文模板",
        widget=forms.Textarea(attrs={"rows": 24, "class": "template-text"}),
        help_text="写法见“指标目录”：{合作意向数}、{合作意向数:上年}、[若 博士数>0]……[/若]、# 标题",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = active_units(user)

    def data_of(self) -> BriefingData:
        d = self.cleaned_data
        return BriefingData(
            kind=d["kind"],
            title=d["title"],
            unit=d["unit"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            masthead=d["masthead"],
            signature=d["signature"],
            issue=d.get("issue"),
            number=d.get("number", ""),
            recipients=d.get("recipients", ""),
            report_to=d.get("report_to", ""),
            copy_to=d.get("copy_to", ""),
        )


class BriefingEditForm(BriefingForm):
    version = VersionField()


def briefing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.view_briefing")
    rows = briefings.briefing_list(user=request.user)
    page = paginate(request, rows)
    context = {
        "page": page,
        "states": STATE_LABELS,
        "may_draft": request.user.has_perm("reports.add_briefing"),
        "templates": briefing_templates(),
    }
    return render(request, "reports/briefing_list.html", context)


def _initial_from_template(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """A new briefing starts from a template of the office (``?template=ID``)."""
    pk = request.GET.get("template", "")
    if not pk.isdigit():
        return {}
    template = briefing_template_get(int(pk))
    unit = default_unit(user=request.user)
    year = timezone.localdate().year - 1
    name = unit.name if unit else ""
    return {
        "kind": template.kind,
        "title": template.title.replace("{年度}", str(year)).replace("{单位}", name),
        "unit": unit,
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
        "text": template.text,
        "masthead": f"{name}省校合作工作领导小组办公室文件" if name else "",
        "signature": f"{name}省校合作工作领导小组办公室" if name else "",
    }


def briefing_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reports.add_briefing")
    form = BriefingForm(
        request.POST or None, user=request.user, initial=_initial_from_template(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            briefing = briefings.briefing_create(actor=request.user, data=form.data_of())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "简报已保存为草稿")
            return redirect("reports:briefing_detail", pk=briefing.pk)
    return render(request, "reports/briefing_form.html", {"form": form, "briefing": None})


def briefing_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    briefing = briefings.briefing_get(request.user, pk)
    require_perm(request, "reports.change_briefing")
    initial = {f: getattr(briefing, f) for f in briefings.FIELDS} | {"version": briefing.version}
    form = BriefingEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            briefings.briefing_update(
                actor=request.user,
                briefing=briefing,
                data=form.data_of(),
                version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("reports:briefing_detail", pk=briefing.pk)
    return render(request, "reports/briefing_form.html", {"form": form, "briefing": briefing})


def _html_blocks(blocks: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The rendered blocks for the page: text runs, figures marked by their key."""
    out: list[dict[str, Any]] = []
    counters = [0, 0, 0, 0]
    for block in blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (4 - block.level)
            number = heading_number(block.level, counters[block.level - 1])
            out.append({"kind": "heading", "number": number, "runs": block.runs})
        elif isinstance(block, Paragraph):
            out.append({"kind": "paragraph", "runs": block.runs})
        elif isinstance(block, Table):
            out.append(
                {
                    "kind": "table",
                    "caption": block.caption,
                    "header": block.header,
                    "rows": block.rows,
                }
            )
    return out


def briefing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reports.view_briefing")
    briefing = briefings.briefing_get(request.user, pk)
    state = briefings.state_of(briefing)
    errors = briefings.template_errors(briefing.frozen_text or briefing.text)
    values: dict[str, Any] = {}
    shown: list[briefings.Shown] = []
    blocks: list[dict[str, Any]] = []
    if not errors:
        values, shown = briefings.figure_values(briefing, request.user)
        try:
            blocks = _html_blocks(briefings.blocks_of(briefing, values))
        except DomainError as error:
            errors = [{"line": 0, "column": 0, "message": error.message}]
    user = request.user
    context = {
        "briefing": briefing,
        "state": state,
        "state_label": STATE_LABELS[state],
        "blocks": blocks,
        "figures": {s.key: s for s in shown},
        "shown": shown,
        "errors": errors,
        "changed": [s for s in shown if s.changed],
        "may_edit": state == State.DRAFT and user.has_perm("reports.change_briefing"),
        "may_submit": state == State.DRAFT and user.pk == briefing.drafter_id,
        # Only whoever the step waits for (its review inbox): never the drafter.
        "may_review": state == State.IN_REVIEW and briefings.may_decide(briefing, user),
        "may_sign": state == State.AWAITING_SIGN and briefings.may_decide(briefing, user),
        "broken": briefings.verify(briefing) if state == State.ISSUED else [],
    }
    return render(request, "reports/briefing_detail.html", context)


@require_POST
def briefing_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    briefing = briefings.briefing_get(request.user, pk)
    require_perm(request, "reports.change_briefing")
    try:
        briefings.briefing_submit(actor=request.user, briefing=briefing, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已提交审核")
    return redirect("reports:briefing_detail", pk=briefing.pk)


@require_POST
def briefing_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    briefing = briefings.briefing_get(request.user, pk)
    if not (
        request.user.has_perm("reports.review_briefing")
        or request.user.has_perm("reports.sign_briefing")
    ):
        require_perm(request, "reports.sign_briefing")
    approve = request.POST.get("decision") == "approve"
    try:
        briefings.briefing_decide(
            actor=request.user,
            briefing=briefing,
            approve=approve,
            note=request.POST.get("note", ""),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已处理" if approve else "已退回")
    return redirect("reports:briefing_detail", pk=briefing.pk)


def briefing_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reports.view_briefing")
    briefing = briefings.briefing_get(request.user, pk)
    try:
        data = briefings.briefing_docx(briefing, request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:briefing_detail", pk=briefing.pk)
    return download(data, DOCX, f"{briefing.title}.docx")


def briefing_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reports.view_briefing")
    briefing = briefings.briefing_get(request.user, pk)
    try:
        data = briefings.briefing_pdf(briefing, request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:briefing_detail", pk=briefing.pk)
    return download(data, "application/pdf", f"{briefing.title}.pdf")


def briefing_figure(request: AuthenticatedHttpRequest, pk: int, figure_pk: int) -> HttpResponse:
    """The records behind a frozen figure as they were when it was issued."""
    require_perm(request, "reports.view_briefing")
    briefing = briefings.briefing_get(request.user, pk)
    figure = frozen_figure(briefing, figure_pk)
    if figure is None:
        raise Http404
    ids = [int(pk) for pk, _ in figure.records]
    versions = {int(pk): version for pk, version in figure.records}
    page = paginate(request, ids)
    rows = figures.record_rows(figure.model, list(page.object_list)) if figure.model else []
    context = {
        "briefing": briefing,
        "figure": figure,
        "rows": [(pk, label, url, versions[pk]) for pk, label, url in rows],
        "page_obj": page,
    }
    return render(request, "reports/briefing_figure.html", context)
