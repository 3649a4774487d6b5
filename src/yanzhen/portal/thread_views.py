"""Pages of the portal's matchmaking: the list of negotiations (对接洽谈: filterable,
exportable, scoped), a negotiation with its messages, the expression of interest from a need's
or a result's page, a message with its attachment, the status, and the office turning an agreed
negotiation into a cooperation of its ledger."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Col, TablePage, form_view, render_table, url
from yanzhen.portal import hall_selectors, thread_selectors, thread_services
from yanzhen.portal.forms import MessageForm, ThreadCooperationForm, ThreadMoveForm
from yanzhen.portal.models import Thread, ThreadStatus

STATUS_TAGS: dict[str, str] = {
    ThreadStatus.OPEN: "warn",
    ThreadStatus.AGREED: "ok",
    ThreadStatus.CLOSED: "gap",
}
PORTAL_BASE = "portal/base.html"


def _base(request: AuthenticatedHttpRequest) -> str:
    """The portal's frame for its participants, the platform's for the county's users."""
    return PORTAL_BASE if hall_selectors.is_participant(request.user) else "base.html"


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]


def thread_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = filter_form(thread_selectors.ThreadFilters)(request.GET or None)
    internal = not hall_selectors.is_participant(user)
    may_open_ledger = internal and user.has_perm("cooperation.view_cooperation")
    columns: list[Col[Thread]] = [
        Col("洽谈事项", lambda t: t.subject, lambda t: url("portal:thread_detail", t.pk), width=30),
        Col("来源", lambda t: t.source_label, width=10),
        Col("企业", lambda t: t.enterprise.name, width=24),
        Col("高校（科研院所）", lambda t: t.organisation.name, width=20),
        Col(
            "状态",
            lambda t: t.get_status_display(),
            tag=lambda t: STATUS_TAGS.get(t.status, ""),
            width=10,
        ),
        Col("留言数", lambda t: t.messages_count, kind="int", width=8),
        Col("最后留言", lambda t: _when(t.last_message_at), width=18, sort="last_message_at"),
        Col(
            "转入的合作",
            lambda t: t.cooperation.code if t.cooperation else "",
            (
                lambda t: (
                    url("cooperation:cooperation_detail", t.cooperation_id)
                    if t.cooperation_id
                    else None
                )
            )
            if may_open_ledger
            else None,
            width=16,
        ),
    ]
    return render_table(
        request,
        TablePage(
            title="对接洽谈",
            columns=columns,
            rows=thread_selectors.thread_list(user=user, filters=form.filters()),
            form=form,
            empty="还没有对接洽谈：在需求大厅或成果大厅表达意向即可发起",
            context={"base_template": _base(request)},
            above="portal/_hall_nav.html" if not internal else "",
        ),
    )


def thread_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The negotiation and its messages; a party posts a message here (POST)."""
    user = request.user
    thread = thread_selectors.thread_get(user, pk)
    side = thread_services.side_of(user, thread)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if side is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                thread_services.message_post(
                    actor=user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, "留言已发送，对方将收到通知")
                return redirect("portal:thread_detail", pk=thread.pk)
    moves = (
        [(s, ThreadStatus(s).label) for s in sorted(thread_services.MOVES[thread.status])]
        if side is not None and thread.cooperation_id is None
        else []
    )
    return render(
        request,
        "portal/thread_detail.html",
        {
            "base_template": _base(request),
            "thread": thread,
            "thread_messages": list(thread_selectors.thread_messages(thread)),
            "side": side,
            "form": form if side is not None and thread.status != ThreadStatus.CLOSED else None,
            "moves": moves,
            "may_convert": thread_services.may_convert(user, thread),
            "may_open_cooperation": thread.cooperation_id is not None
            and side is None
            and user.has_perm("cooperation.view_cooperation"),
        },
    )


@require_POST
def thread_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = thread_selectors.thread_get(request.user, pk)
    form = ThreadMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "状态不在可选范围内")
        return redirect("portal:thread_detail", pk=thread.pk)
    status = form.cleaned_data["status"]
    try:
        thread_services.thread_move(actor=request.user, thread=thread, status=status)
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, f"洽谈状态已变更为“{ThreadStatus(status).label}”")
    return redirect("portal:thread_detail", pk=thread.pk)


def _interest(
    request: AuthenticatedHttpRequest, start: thread_services.Starter, back: str
) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES or None)
    if not form.is_valid():
        problems = "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
        messages.error(request, problems)
        return redirect(back)
    try:
        thread = start(form.cleaned_data["body"], form.cleaned_data["attachment"])
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, "意向已发送，对方将收到通知")
    return redirect("portal:thread_detail", pk=thread.pk)


@require_POST
def need_interest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = hall_selectors.tech_need_get(request.user, pk)
    return _interest(
        request,
        lambda body, file: thread_services.thread_start(
            actor=request.user, need=need, body=body, attachment=file
        ),
        url("portal:tech_need_detail", need.pk),
    )


@require_POST
def result_interest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = hall_selectors.result_get(request.user, pk)
    return _interest(
        request,
        lambda body, file: thread_services.thread_start(
            actor=request.user, result=result, body=body, attachment=file
        ),
        url("portal:result_detail", result.pk),
    )


def message_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    message = thread_selectors.message_get(request.user, pk)
    if not message.attachment:
        raise Http404
    try:
        handle = message.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = message.attachment_name or Path(message.attachment.name or "").name
    return FileResponse(handle, as_attachment=True, filename=name)


def thread_cooperation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The county office turns an agreed negotiation into a cooperation (意向) of its ledger."""
    user = request.user
    thread = thread_selectors.thread_get(user, pk)
    if not thread_services.may_convert(user, thread):
        raise PermissionDenied
    kind = "research" if thread.need_id else "transfer"
    form = ThreadCooperationForm(
        request.POST or None,
        initial={"title": thread.subject, "kind": kind, "intention_date": timezone.localdate()},
    )
    return form_view(
        request,
        form,
        lambda: thread_services.thread_to_cooperation(
            actor=user, thread=thread, **form.cleaned_data
        ),
        lambda _c: redirect("portal:thread_detail", pk=thread.pk),
        "已转入合作台账（意向阶段）",
        title="转为合作",
        back=url("portal:thread_detail", thread.pk),
        intro=f"把{thread.enterprise.name}与{thread.organisation.name}的洽谈“{thread.subject}”"
        "登记为合作台账中的合作意向（企业自主找，云对接）。",
        facts=[
            ("企业", thread.enterprise.name),
            ("高校（科研院所）", thread.organisation.name),
            ("留言数", thread.messages_count),
        ],
        submit_label="转为合作",
    )
