"""Pages of the 揭榜挂帅 calls: the office's list (filtered, exported, scoped), a call's page
with its applications, scores and objections, each step of its lifecycle, and the portal's
side — applying, scoring, objecting and the organisation's own applications. Outside parties
get the portal's frame (``portal/base.html``), internal users the platform's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error, unit_choices
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.pages import Action, Col, TablePage, render_table, require_perm, submit, url
from yanzhen.core.schemas import as_id
from yanzhen.core.workflow import reviews_for
from yanzhen.portal import call_selectors as selectors
from yanzhen.portal import call_services as services
from yanzhen.portal.call_forms import (
    AgreementForm,
    AnswerForm,
    ApplicationForm,
    AwardForm,
    CallForm,
    EvaluatorsForm,
    ObjectionForm,
    ScoreForm,
)
from yanzhen.portal.hall_selectors import is_participant
from yanzhen.portal.models import Call, CallApplication, CallState

STATE_TAGS: dict[str, str] = {
    CallState.DRAFT: "",
    CallState.REVIEW: "warn",
    CallState.PUBLISHED: "ok",
    CallState.PUBLICITY: "warn",
    CallState.AWARDED: "ok",
    CallState.AGREEMENT: "ok",
}


def _frame(request: AuthenticatedHttpRequest) -> str:
    return "portal/base.html" if is_participant(request.user) else "base.html"


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _form(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    submit_label: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "portal/call_form.html",
        {
            "frame": _frame(request),
            "form": form,
            "title": title,
            "back": back,
            "submit": submit_label,
            "intro": intro,
        },
    )


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The form's data on a POST (even an empty one: a form of optional fields), else None."""
    return request.POST if request.method == "POST" else None


def _to(call: Call) -> HttpResponse:
    return redirect("portal:call_detail", pk=call.pk)


# The office's list ------------------------------------------------------------------------------


def call_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "portal.view_call")
    form = filter_form(selectors.CallFilters)(request.GET or None)
    columns: list[Col[Call]] = [
        Col("榜单名称", lambda c: c.title, lambda c: url("portal:call_detail", c.pk), width=30),
        Col("出题企业", lambda c: c.enterprise.name, width=24),
        Col("技术领域", lambda c: c.field, width=14),
        Col("悬赏金额（万元）", lambda c: f"{c.budget_min}–{c.budget_max}", width=14),
        Col("揭榜截止日期", lambda c: c.deadline, kind="date", width=12, sort="deadline"),
        Col("申报数", lambda c: c.n_applications, kind="int", width=8),  # type: ignore[attr-defined]
        Col(
            "揭榜单位",
            lambda c: c.winner.organisation.name if c.winner else "",
            width=20,
        ),
        Col(
            "状态",
            lambda c: c.get_state_display(),
            tag=lambda c: STATE_TAGS.get(c.state, ""),
            width=10,
        ),
    ]
    actions = []
    if _may_create(request):
        actions.append(Action(_("发布揭榜挂帅"), url("portal:call_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="揭榜挂帅",
            columns=columns,
            rows=selectors.call_list(user=request.user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="portal.view_call",
            note="榜单经县合作办审核后发布；申报截止后专家评审，得分最高者公示7天，异议均答复后确定揭榜并登记合作。",
        ),
    )


def _enterprises(request: AuthenticatedHttpRequest) -> QuerySet[Unit]:
    return selectors.enterprise_choices(request.user)


def _may_create(request: AuthenticatedHttpRequest) -> bool:
    user = request.user
    return (user.unit is not None and user.unit.kind == UnitKind.ENTERPRISE) or user.has_perm(
        services.MANAGE_PERMISSION
    )


def call_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _may_create(request):
        raise PermissionDenied
    user = request.user
    form = CallForm(_posted(request), initial={"enterprise": user.unit_id})
    unit_choices(form, "enterprise", _enterprises(request))

    def save() -> Call:
        data = form.cleaned_data
        return services.call_create(
            actor=user,
            data=services.CallData(
                enterprise=data["enterprise"],
                title=data["title"],
                problem=data["problem"],
                field=data["field"],
                budget_min=data["budget_min"],
                budget_max=data["budget_max"],
                deadline=data["deadline"],
                criteria=services.parse_criteria(data["criteria"]),
            ),
        )

    done = submit(request, form, save, _to, "榜单已保存为草稿，报送审核后发布")
    return done or _form(
        request,
        form,
        title=_("发布揭榜挂帅"),
        back=url("portal:need_hall"),
        submit_label=_("保存草稿"),
    )


# A call's page ----------------------------------------------------------------------------------


def call_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user, pk)
    manager = services.is_office_manager(user, call)
    applications = list(selectors.call_applications(user, call))
    ranking = {a.pk: (avg, n) for a, avg, n in services.ranking(call)} if manager else {}
    rows = []
    for application in applications:
        average, count = ranking.get(application.pk, (None, 0))
        mine = [s for s in application.scores.all() if s.evaluator_id == user.pk]
        rows.append(
            {
                "application": application,
                "average": average,
                "count": count,
                "scores": list(application.scores.all()) if manager else mine,
                "may_score": call.state == CallState.EVALUATION
                and services.may_score(user, application),
            }
        )
    account = services.applicant_account(user)
    applied = account is not None and any(
        a.organisation_id == account.organisation_id for a in applications
    )
    may_submit = call.state == CallState.DRAFT and (call.enterprise_id == user.unit_id or manager)
    after_deadline = timezone.localdate() > call.deadline
    publicity_over = call.publicity_end is not None and timezone.now() >= call.publicity_end
    objections = list(selectors.call_objections(user, call))
    return render(
        request,
        "portal/call_detail.html",
        {
            "frame": _frame(request),
            "call": call,
            "manager": manager,
            "rows": rows,
            "criteria": call.criteria,
            "objections": objections,
            "reviews": list(reviews_for(call, flow=services.CALL_FLOW)) if manager else [],
            "may_submit": may_submit,
            "may_apply": account is not None and not applied and services.accepting(call),
            "may_close": manager and call.state == CallState.PUBLISHED and after_deadline,
            "may_evaluate": manager and call.state == CallState.CLOSED,
            "may_publicise": manager
            and call.state == CallState.EVALUATION
            and not services.missing_scores(call),
            "may_award": manager
            and call.state == CallState.PUBLICITY
            and publicity_over
            and all(o.answered_at for o in objections),
            "may_sign": manager and call.state == CallState.AWARDED,
            "may_object": services.may_object(user, call),
            "publicity_last_day": (
                timezone.localtime(call.publicity_end).date() - dt.timedelta(days=1)
                if call.publicity_end
                else None
            ),
            "show_cooperation": manager and call.cooperation is not None,
        },
    )


def _act(request: AuthenticatedHttpRequest, action: Callable[[], object], done: str) -> None:
    try:
        action()
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@require_POST
def call_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    _act(
        request,
        lambda: services.call_submit(actor=request.user, call=call),
        _("已报送县合作办审核"),
    )
    return _to(call)


@require_POST
def call_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    _act(request, lambda: services.call_close(actor=request.user, call=call), _("申报已截止"))
    return _to(call)


@require_POST
def call_publicise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    _act(
        request,
        lambda: services.call_publicise(actor=request.user, call=call),
        _("评审结果已公示7天"),
    )
    return _to(call)


def _manager_call(request: AuthenticatedHttpRequest, pk: int) -> Call:
    call = selectors.call_get(request.user, pk)
    if not services.is_office_manager(request.user, call):
        raise PermissionDenied
    return call


def _step(
    request: AuthenticatedHttpRequest,
    call: Call,
    form: Any,
    save: Callable[[], object],
    *,
    title: str,
    done: str,
    submit_label: str,
    intro: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from error
            apply_domain_error(form, error)
        else:
            messages.success(request, done)
            return _to(call)
    return _form(
        request,
        form,
        title=f"{title}：{call.title}",
        back=url("portal:call_detail", call.pk),
        submit_label=submit_label,
        intro=intro,
    )


def call_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _manager_call(request, pk)
    form = EvaluatorsForm(_posted(request), candidates=services.evaluator_candidates())
    return _step(
        request,
        call,
        form,
        lambda: services.call_evaluate(
            actor=request.user, call=call, evaluators=list(form.cleaned_data["evaluators"])
        ),
        title=_("组织评审"),
        done=_("已开始专家评审，评审专家已收到通知"),
        submit_label=_("开始评审"),
        intro=_("评审专家不评审本机构的申报。"),
    )


def call_award(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _manager_call(request, pk)
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        linkable=services.linkable_cooperations(call),
    )
    return _step(
        request,
        call,
        form,
        lambda: services.call_award(
            actor=request.user, call=call, cooperation=form.cleaned_data["cooperation"]
        ),
        title=_("确定揭榜"),
        done=_("已确定揭榜，合作已登记到合作台账"),
        submit_label=_("确定揭榜"),
    )


def call_agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _manager_call(request, pk)
    form = AgreementForm(_posted(request), initial={"date": timezone.localdate()})
    return _step(
        request,
        call,
        form,
        lambda: services.call_agreement(
            actor=request.user, call=call, date=form.cleaned_data["date"]
        ),
        title=_("签约"),
        done=_("已签约，合作已进入签约阶段"),
        submit_label=_("登记签约"),
    )


# The portal's side ------------------------------------------------------------------------------


def call_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    if services.applicant_account(request.user) is None:
        raise PermissionDenied
    form = ApplicationForm(_posted(request), request.FILES if request.method == "POST" else None)
    return _step(
        request,
        call,
        form,
        lambda: services.application_create(
            actor=request.user,
            call=call,
            proposal=form.cleaned_data["proposal"],
            attachment=form.cleaned_data["attachment"],
        ),
        title=_("揭榜申报"),
        done=_("已提交揭榜申报"),
        submit_label=_("提交申报"),
    )


def application_score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    call = application.call
    form = ScoreForm(_posted(request), call=call)
    return _step(
        request,
        call,
        form,
        lambda: services.score_set(
            actor=request.user,
            application=application,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        ),
        title=_("评分：%(org)s") % {"org": application.organisation.name},
        done=_("评分已保存"),
        submit_label=_("保存评分"),
    )


def application_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    application = selectors.application_get(request.user, pk)
    field = application.attachment
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(field.name or "").name)


def objection_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    form = ObjectionForm(_posted(request))
    return _step(
        request,
        call,
        form,
        lambda: services.objection_create(
            actor=request.user, call=call, text=form.cleaned_data["text"]
        ),
        title=_("提出异议"),
        done=_("异议已提交，县合作办答复后将通知您"),
        submit_label=_("提交异议"),
    )


def objection_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office answers one of the call's open objections (chosen in the form)."""
    call = _manager_call(request, pk)
    open_objections = selectors.open_objections(call)
    chosen = as_id(request.GET.get("objection"))
    form = AnswerForm(_posted(request), objections=open_objections, initial={"objection": chosen})
    return _step(
        request,
        call,
        form,
        lambda: services.objection_answer(
            actor=request.user,
            objection=form.cleaned_data["objection"],
            answer=form.cleaned_data["answer"],
        ),
        title=_("答复异议"),
        done=_("已答复"),
        submit_label=_("答复"),
    )


def my_applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The applications of the user's organisation."""
    form = filter_form(selectors.ApplicationFilters)(request.GET or None)
    rows: list[CallApplication] = list(
        selectors.my_applications(user=request.user, filters=form.filters())
    )
    return render(
        request,
        "portal/my_applications.html",
        {"frame": _frame(request), "form": form, "applications": rows},
    )
