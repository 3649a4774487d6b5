"""Pages of the portal's halls (read): 需求大厅 (technology and talent needs), 成果大厅 and the
expert directory, each with a search (BM25) and filters by field and discipline, and the
detail pages; the drafting of needs (enterprises) and results (universities, experts), their
publication, and the office hiding a need (also through ``/api/v1/portal/…``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import User
from yanzhen.portal import hall_selectors as selectors
from yanzhen.portal import hall_services, thread_services
from yanzhen.portal.call_selectors import hall_calls
from yanzhen.portal.forms import MessageForm, ResultForm, TechNeedForm
from yanzhen.portal.models import TechNeed
from yanzhen.reference.selectors import top_disciplines


def _query(request: AuthenticatedHttpRequest) -> selectors.HallQuery:
    get = request.GET
    return selectors.HallQuery(
        q=get.get("q", "").strip()[:100],
        field=get.get("field", "").strip()[:50],
        discipline=get.get("discipline", "").strip()[:6],
    )


def _disciplines() -> list[tuple[str, str]]:
    return top_disciplines()


def _interest(user: User, item: hall_services.Publication, action: str) -> dict[str, object]:
    """The expression of interest a page offers: its form, or the thread already open."""
    may, thread = thread_services.interest_of(user, item)
    return {
        "interest_form": MessageForm() if may else None,
        "interest_action": reverse(action, args=[item.pk]),
        "own_thread": thread,
    }


def need_hall(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    user = request.user
    return render(
        request,
        "portal/need_hall.html",
        {
            "query": query,
            "fields": selectors.tech_need_fields(user),
            "disciplines": _disciplines(),
            "tech_needs": selectors.tech_need_list(user=user, query=query),
            "talent_needs": selectors.talent_need_list(user=user, query=query),
            "calls": hall_calls(user=user, query=query),
        },
    )


def tech_need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = selectors.tech_need_get(user, pk)
    return render(
        request,
        "portal/tech_need_detail.html",
        {
            "need": need,
            "may_publish": need.state == "draft" and need.enterprise_id == user.unit_id,
            "may_hide": hall_services.may_hide(user, need),
            **_interest(user, need, "portal:need_interest"),
        },
    )


def talent_need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.talent_need_get(request.user, pk)
    return render(request, "portal/talent_need_detail.html", {"need": need})


def result_hall(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    return render(
        request,
        "portal/result_hall.html",
        {
            "query": query,
            "disciplines": _disciplines(),
            "results": selectors.result_list(user=request.user, query=query),
        },
    )


def result_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    result = selectors.result_get(user, pk)
    may_publish = result.state == "draft" and result.organisation_id == user.unit_id
    return render(
        request,
        "portal/result_detail.html",
        {
            "result": result,
            "may_publish": may_publish,
            "may_hide": hall_services.may_hide(user, result),
            **_interest(user, result, "portal:result_interest"),
        },
    )


def expert_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    return render(
        request,
        "portal/expert_directory.html",
        {
            "query": query,
            "disciplines": _disciplines(),
            "experts": selectors.directory_list(user=request.user, query=query),
        },
    )


# Writes ------------------------------------------------------------------------------------------


def _draft(
    request: AuthenticatedHttpRequest,
    form: TechNeedForm | ResultForm,
    create: Callable[[], Model],
    *,
    message: str,
    detail: str,
    title: str,
) -> HttpResponse:
    """The drafting page of a hall item: a valid POST calls the service ``create`` (its refusal
    is a 403, its other errors stand beside the fields), then says ``message`` and shows the
    item's page (the URL name ``detail``)."""
    if request.method == "POST" and form.is_valid():
        try:
            item = create()
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from error
            apply_domain_error(form, error)
        else:
            messages.success(request, message)
            return redirect(detail, pk=item.pk)
    return render(request, "portal/hall_form.html", {"form": form, "title": title})


def tech_need_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An enterprise drafts a technology need (published from its page)."""
    form = TechNeedForm(request.POST or None)
    return _draft(
        request,
        form,
        lambda: hall_services.tech_need_create(
            actor=request.user, data=hall_services.TechNeedData(**form.cleaned_data)
        ),
        message="技术难题已保存为草稿，发布后进入需求大厅",
        detail="portal:tech_need_detail",
        title="发布技术难题",
    )


def result_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A university or an expert drafts a result (published from its page)."""
    form = ResultForm(request.POST or None)
    return _draft(
        request,
        form,
        lambda: hall_services.result_create(
            actor=request.user, data=hall_services.ResultData(**form.cleaned_data)
        ),
        message="成果已保存为草稿，发布后进入成果大厅",
        detail="portal:result_detail",
        title="发布科技成果",
    )


def _act(request: AuthenticatedHttpRequest, action: Callable[[], object], done: str) -> None:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


def _publish(request: AuthenticatedHttpRequest, item: hall_services.Publication) -> None:
    done = (
        "已发布，匹配的专家和高校已收到通知"
        if isinstance(item, TechNeed)
        else "已发布，匹配的企业已收到通知"
    )
    _act(request, lambda: hall_services.publication_publish(actor=request.user, item=item), done)


def _hide(request: AuthenticatedHttpRequest, item: hall_services.Publication) -> None:
    _act(request, lambda: hall_services.publication_hide(actor=request.user, item=item), "已隐藏")


@require_POST
def tech_need_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.tech_need_get(request.user, pk)
    _publish(request, need)
    return redirect("portal:tech_need_detail", pk=need.pk)


@require_POST
def tech_need_hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.tech_need_get(request.user, pk)
    _hide(request, need)
    return redirect("portal:tech_need_detail", pk=need.pk)


@require_POST
def result_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_get(request.user, pk)
    _publish(request, result)
    return redirect("portal:result_detail", pk=result.pk)


@require_POST
def result_hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_get(request.user, pk)
    _hide(request, result)
    return redirect("portal:result_detail", pk=result.pk)
