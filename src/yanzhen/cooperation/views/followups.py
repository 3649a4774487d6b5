"""Pages of the landed projects' yearly follow-ups: the list (filtered, exported, in the data
scope) with the totals by year, and the entry of a year's figures."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yanzhen.cooperation import followup_selectors as selectors
from yanzhen.cooperation.forms_followups import FollowUpForm
from yanzhen.cooperation.models import FollowUp, FollowUpReview
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.cooperation.services import followups as services
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Action, Col, TablePage, form_view, render_table, url
from yanzhen.core.views import require_perm
from yanzhen.engines.stages import Stage

REVIEW_TAGS = {
    FollowUpReview.SUBMITTED: "muted",
    FollowUpReview.ACCEPTED: "ok",
    FollowUpReview.RETURNED: "gap",
}


def followup_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_followup")
    user = request.user
    form = filter_form(selectors.FollowUpFilters)(request.GET or None)
    rows = selectors.followup_list(user=user, filters=form.filters())
    columns: list[Col[FollowUp]] = [
        Col(_("合作编号"), lambda f: f.cooperation.code, width=14),
        Col(
            _("合作项目"),
            lambda f: f.cooperation.title,
            lambda f: url("cooperation:cooperation_detail", f.cooperation_id),
            width=32,
        ),
        Col(_("登记单位"), lambda f: f.cooperation.owner_unit.name, width=24),
        Col(_("年度"), lambda f: f.year, kind="int", width=8, sort="year"),
        Col(_("产值（万元）"), lambda f: f.output_value, kind="decimal", width=14),
        Col(_("带动就业（人）"), lambda f: f.jobs, kind="int", width=12),
        Col(_("专利（件）"), lambda f: f.patents, kind="int", width=10),
        Col(_("税收（万元）"), lambda f: f.tax, kind="decimal", width=14),
        Col(
            _("审核"),
            lambda f: f.get_review_display(),
            tag=lambda f: REVIEW_TAGS[FollowUpReview(f.review)],
            width=8,
        ),
        Col(_("备注"), lambda f: f.note, width=24),
    ]
    actions = []
    if user.has_perm("cooperation.add_followup"):
        actions.append(Action(_("填报年度跟踪"), url("cooperation:followup_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title=_("落地项目年度跟踪"),
            columns=columns,
            rows=rows,
            form=form,
            actions=actions,
            export_perm="cooperation.export_cooperation",
            empty=_("暂无年度跟踪记录"),
            note=_("下级单位填报的跟踪记录经县合作办审核采用后计入合计。"),
            above="cooperation/followup_totals.html",
            context={"totals": selectors.totals_by_year(rows)},
        ),
    )


def followup_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_followup")
    user = request.user
    landed = cooperation_qs(user).filter(stage=Stage.LANDED).order_by("-landed_date", "-id")
    initial = {}
    if request.GET.get("cooperation", "").isdigit():
        initial["cooperation"] = request.GET["cooperation"]
    form = FollowUpForm(request.POST or None, initial=initial, cooperations=landed)

    def save() -> FollowUp:
        data = dict(form.cleaned_data)
        cooperation = data.pop("cooperation")
        return services.followup_submit(
            actor=user, cooperation=cooperation, data=services.FollowUpData(**data)
        )

    return form_view(
        request,
        form,
        save,
        lambda f: redirect(url("cooperation:followup_list", query={"year": str(f.year)})),
        lambda f: (
            _("已提交，待县合作办审核")
            if f.review == FollowUpReview.SUBMITTED
            else _("已保存年度跟踪")
        ),
        title=_("填报落地项目年度跟踪"),
        back=url("cooperation:followup_list"),
        intro=_("已落地的合作项目每年填报一次；下级单位填报的须经县合作办审核，退回后可重新填报。"),
    )
