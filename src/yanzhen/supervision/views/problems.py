"""The problem list and its moves, and the decisions of meetings turned into problems or
milestones."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yanzhen.cooperation.selectors import activity_qs
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    Tag,
    form_page,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.supervision import selectors, services
from yanzhen.supervision.forms import (
    ActionItemForm,
    ActionItemMoveForm,
    ProblemForm,
    ProblemMoveForm,
)
from yanzhen.supervision.models import (
    ActionItem,
    ActionItemState,
    Problem,
    ProblemAction,
    ProblemSource,
)
from yanzhen.supervision.selectors import (
    ActionItemFilters,
    ProblemFilters,
)
from yanzhen.supervision.views.common import (
    unit_col,
)

ESCALATION_LABELS = {0: "", 1: gettext_noop("已督办"), 2: gettext_noop("已报领导督办")}


def problem_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "supervision.view_problem")
    user = request.user
    today = timezone.localdate()
    form = filter_form(ProblemFilters)(request.GET or None, user=user)

    def marks(p: Problem) -> list[Tag]:
        out = [Tag(_("逾期"), "gap")] if p.is_overdue(today) else []
        if p.escalation_level:
            out.append(Tag(_(ESCALATION_LABELS[p.escalation_level]), "gap"))
        return out

    columns: list[Col[Problem]] = [
        Col(
            _("问题"),
            lambda p: p.title,
            lambda p: url("supervision:problem_detail", p.pk),
            width=36,
        ),
        Col(_("基地"), lambda p: p.base.name if p.base else "", width=24),
        Col(_("来源"), lambda p: p.get_source_display(), width=10),
        Col(_("提出单位"), lambda p: p.raised_by_unit.name, width=20, page=False),
        unit_col(_("责任单位"), lambda p: p.responsible_unit),
        Col(_("办理时限"), lambda p: p.deadline, kind="date", width=12, sort="deadline"),
        Col(_("状态"), lambda p: p.get_state_display(), marks=marks, export=False),
        Col(
            _("状态"),
            lambda p: p.get_state_display() + (_("（逾期）") if p.is_overdue(today) else ""),
            width=12,
            page=False,
        ),
        Col(_("办结日期"), lambda p: p.resolved_on, kind="date", width=12, page=False),
        Col(
            _("督办"),
            lambda p: _(ESCALATION_LABELS[p.escalation_level]) if p.escalation_level else "",
            width=14,
            page=False,
        ),
    ]
    actions = []
    if user.has_perm("supervision.add_problem"):
        actions.append(Action(_("提出问题"), url("supervision:problem_new"), primary=True))
    rows = selectors.problem_list(user=user, filters=form.filters(), today=today)
    page = TablePage(
        _("问题清单"), columns, rows, form, actions=actions, empty=_("没有符合条件的问题")
    )
    return render_table(request, page)


def problem_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A problem raised directly (not from a round's report or a meeting)."""
    require_perm(request, "supervision.add_problem")
    user = request.user
    form = ProblemForm(
        request.POST or None,
        bases=selectors.bases_of(user),
        units=selectors.units_of(user),
        initial={"raised_by_unit": user.unit_id},
    )
    done = submit(
        request,
        form,
        lambda: services.problem_create(
            actor=user, source=ProblemSource.DIRECT, **form.cleaned_data
        ),
        lambda p: redirect("supervision:problem_detail", pk=p.pk),
        _("问题已列入清单"),
    )
    back, title = url("supervision:problem_list"), _("提出问题")
    return done or form_page(request, form, title=title, back=back, submit_label=_("列入问题清单"))


def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.view_problem")
    user = request.user
    problem = selectors.problem_get(user, pk)
    context = {
        "problem": problem,
        "overdue": problem.is_overdue(timezone.localdate()),
        "events": problem.events.all(),
        "escalations": problem.escalations.all(),
        "actions": services.allowed_actions(user, problem),
    }
    return render(request, "supervision/problem_detail.html", context)


def problem_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Assign, start, resolve, verify, return or escalate a problem."""
    require_perm(request, "supervision.change_problem")
    user = request.user
    problem = selectors.problem_get(user, pk)
    actions = services.allowed_actions(user, problem)
    initial = {
        "action": request.GET.get("action", actions[0] if actions else ""),
        "responsible_unit": problem.responsible_unit_id,
        "deadline": problem.deadline,
    }
    form = ProblemMoveForm(
        request.POST or None,
        actions=actions,
        units=selectors.units_of(user),
        initial=initial,
    )
    done = submit(
        request,
        form,
        lambda: services.problem_move(actor=user, problem=problem, **form.cleaned_data),
        lambda p: redirect("supervision:problem_detail", pk=p.pk),
        lambda _p: _("已%(action)s") % {"action": ProblemAction(form.cleaned_data["action"]).label},
    )
    if done:
        return done
    page = form_page(
        request,
        form,
        title=f"{problem.title} · {problem.get_state_display()}",
        back=url("supervision:problem_detail", problem.pk),
        submit_label=_("确定"),
        warnings=[] if actions else [_("该问题当前没有您可以进行的操作。")],
    )
    page.status_code = 400 if request.method == "POST" else 200
    return page


# Meeting decisions ------------------------------------------------------------------------------


def _result(a: ActionItem) -> str:
    if a.problem is not None:
        return _("问题：%(state)s") % {"state": a.problem.get_state_display()}
    if a.milestone is not None:
        return _("节点任务：%(status)s") % {"status": a.milestone.get_status_display()}
    return ""


def action_item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "supervision.view_actionitem")
    user = request.user
    form = filter_form(ActionItemFilters)(request.GET or None, user=user)
    can_convert = user.has_perm("supervision.change_actionitem")
    # A meeting held by a unit outside the reader's scope is named, not linked (its page
    # would answer 404): the meetings of decisions the reader sees, in one query.
    meetings = set(
        activity_qs(user).filter(action_items__isnull=False).values_list("pk", flat=True)
    )

    def carried_out(a: ActionItem) -> SafeString:
        if a.problem is not None:
            href = url("supervision:problem_detail", a.problem.pk)
        elif a.milestone is not None:
            href = url("cooperation:base_detail", a.milestone.base_id) + "#milestones"
        elif can_convert:
            return format_html(
                '<a role="button" class="small outline" href="{}">{}</a>',
                url("supervision:action_item_move", a.pk),
                _("转办"),
            )
        else:
            return format_html("{}", a.get_state_display())
        return format_html('<a href="{}">{}</a>', href, _result(a))

    columns: list[Col[ActionItem]] = [
        Col(
            _("会议"),
            lambda a: a.meeting_title,
            lambda a: (
                url("cooperation:activity_detail", a.meeting_id)
                if a.meeting_id in meetings
                else None
            ),
            note=lambda a: a.meeting_date,
            width=30,
        ),
        Col(_("会议日期"), lambda a: a.meeting_date, kind="date", width=12, page=False),
        Col(_("决定事项"), lambda a: a.decision, width=40),
        Col(_("基地"), lambda a: a.base.name if a.base else "", width=24),
        unit_col(_("责任单位"), lambda a: a.responsible_unit),
        Col(_("完成时限"), lambda a: a.deadline, kind="date", width=12, sort="deadline"),
        Col(_("状态"), lambda a: a.get_state_display(), width=10, page=False),
        Col(_("落实情况"), _result, html=carried_out, width=20),
    ]
    actions = []
    if user.has_perm("supervision.add_actionitem"):
        actions.append(Action(_("登记决定事项"), url("supervision:action_item_new"), primary=True))
    rows = selectors.action_item_list(user=user, filters=form.filters())
    page = TablePage(
        _("会议决定事项"), columns, rows, form, actions=actions, empty=_("暂无决定事项")
    )
    return render_table(request, page)


def action_item_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "supervision.add_actionitem")
    user = request.user
    form = ActionItemForm(
        request.POST or None,
        meetings=selectors.meetings_of(user),
        bases=selectors.bases_of(user),
        units=selectors.units_of(user),
    )
    done = submit(
        request,
        form,
        lambda: services.action_item_create(actor=user, **form.cleaned_data),
        lambda _a: redirect("supervision:action_item_list"),
        _("决定事项已登记"),
    )
    back, title = url("supervision:action_item_list"), _("登记决定事项")
    return done or form_page(request, form, title=title, back=back, submit_label=_("登记"))


def action_item_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Turn a decision into a problem or a milestone."""
    require_perm(request, "supervision.change_actionitem")
    user = request.user
    item = selectors.action_item_get(user, pk)
    form = ActionItemMoveForm(
        request.POST or None, initial={"target": "milestone" if item.base_id else "problem"}
    )

    def done_page(a: ActionItem) -> HttpResponse:
        if a.problem_id:
            return redirect("supervision:problem_detail", pk=a.problem_id)
        return redirect("cooperation:base_detail", pk=a.base_id)

    done = submit(
        request,
        form,
        lambda: services.action_item_convert(actor=user, item=item, **form.cleaned_data),
        done_page,
        _("已转办"),
    )
    facts = [
        (_("会议"), f"{item.meeting_title}（{item.meeting_date:%Y-%m-%d}）"),
        (_("决定事项"), item.decision),
        (_("基地"), item.base.name if item.base else ""),
        (_("责任单位"), item.responsible_unit.name),
        (_("完成时限"), f"{item.deadline:%Y-%m-%d}"),
    ]
    converted = item.state != ActionItemState.OPEN
    return done or form_page(
        request,
        form,
        title=_("转办决定事项"),
        back=url("supervision:action_item_list"),
        submit_label=_("转办"),
        facts=facts,
        warnings=[_("该事项已转办。")] if converted else [],
    )
