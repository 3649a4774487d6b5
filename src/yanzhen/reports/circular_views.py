"""The page that writes the assessment's 通报 as a 公文 (.docx or PDF): the office fills in the
版头, 发文字号, 主送, 抄送 and 署名; the ranking comes from the period's scores in the reader's
scope. Counted, logged and limited like every export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils import timezone

from yanzhen.assessment import selectors as assessment
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_file, export_quota_response
from yanzhen.core.pages import form_page, require_perm, url
from yanzhen.reports.circular import Header, circular_docx, circular_pdf, title_of
from yanzhen.reports.gongwen import GongwenError
from yanzhen.reports.pdf import PdfError
from yanzhen.reports.selectors import default_unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _names(text: str) -> tuple[str, ...]:
    return tuple(
        p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()
    )


class CircularForm(forms.Form):
    masthead = forms.CharField(label="发文机关标志（版头）", max_length=50)
    number = forms.CharField(label="发文字号", max_length=50, help_text="如：永合办〔2021〕15号")
    recipients = forms.CharField(label="主送机关", max_length=200, required=False)
    copy_to = forms.CharField(label="抄送", max_length=200, required=False)
    signature = forms.CharField(label="署名（发文机关）", max_length=100)
    fmt = forms.ChoiceField(label="格式", choices=[("docx", "Word（.docx）"), ("pdf", "PDF")])


def assessment_circular(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "assessment.view_period")
    user = request.user
    period = assessment.period_get(user, pk)
    county = default_unit(user=user)
    office = f"{county.name}省校合作工作领导小组办公室" if county else ""
    initial: dict[str, Any] = {
        "masthead": f"{office}文件" if office else "",
        "signature": office,
        "recipients": "各镇（街道）、市直各有关部门",
        "fmt": "docx",
    }
    form = CircularForm(request.POST or None, initial=initial)
    back = url("assessment:period_detail", period.pk)
    if request.method == "POST" and form.is_valid():
        if (refusal := export_quota_response(request)) is not None:
            return refusal
        c = form.cleaned_data
        header = Header(
            masthead=c["masthead"],
            number=c["number"],
            recipients=_names(c["recipients"]),
            copy_to=_names(c["copy_to"]),
            signature=c["signature"],
            signed_on=timezone.localdate(),
        )
        scores = assessment.ranking(user=user, period=period)
        title = title_of(period)
        try:
            if c["fmt"] == "pdf":
                content, kind = circular_pdf(period, scores, header), "application/pdf"
            else:
                content, kind = circular_docx(period, scores, header), DOCX
        except (GongwenError, PdfError) as error:
            form.add_error(None, str(error))
        else:
            return export_file(request, title=title, fmt=c["fmt"], content=content,
                               content_type=kind, filename=f"{title}.{c['fmt']}",
                               rows=len(scores))  # fmt: skip
    return form_page(
        request,
        form,
        title=f"考核结果通报（公文）：{period.name}",
        back=back,
        submit_label="生成通报",
        intro="按 GB/T 9704-2012 公文格式生成通报，排名取自本考核期的计分结果。",
    )
