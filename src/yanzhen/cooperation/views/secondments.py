"""Pages of secondments (挂职): the list (filtered and exported), the detail with its
history, new, edit, delete, the trash and restore, revert to a version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.cooperation import selectors
from yanzhen.cooperation.forms import SecondmentFilterForm, SecondmentForm
from yanzhen.cooperation.models import Secondment
from yanzhen.cooperation.services import secondments as services
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, edited_version
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.masking import record_opened
from yanzhen.core.models import Person, User
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm, revert_to
from yanzhen.reference.selectors import university_resolver

EXPORT_COLUMNS = (
    Column("person", "挂职人员", width=12),
    Column("university", "派出高校", width=24),
    Column("host", "挂职单位", width=28),
    Column("post", "挂职岗位", width=30),
    Column("start", "开始日期", kind="date", width=12),
    Column("end", "结束日期", kind="date", width=12),
    Column("cooperation", "相关合作", width=30),
    Column("note", "备注", width=20),
)


def secondment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    form = SecondmentFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.secondment_list(user=user, filters=filters, today=timezone.localdate())
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="挂职交流",
            columns=EXPORT_COLUMNS,
            objects=rows,
            row=lambda s: (
                s.person.name,
                s.university.name,
                s.host_unit.name,
                s.post,
                s.start_date,
                s.end_date,
                str(s.cooperation) if s.cooperation else "",
                s.note,
            ),
        )
    context = {
        "form": form,
        "filters": filters,
        "page": paginate(request, rows),
        "can_add": user.has_perm("cooperation.add_secondment"),
        "can_delete": user.has_perm("cooperation.delete_secondment"),
    }
    return render_list(request, "cooperation/secondment_list.html", context)


def secondment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    record_opened(request, record_type="secondment", record_id=secondment.pk)  # a person's
    cooperation = None
    if secondment.cooperation_id:
        cooperation = selectors.cooperation_qs(user).filter(pk=secondment.cooperation_id).first()
    context = {
        "secondment": secondment,
        "cooperation": cooperation,
        "history": history_rows(secondment, user=user),
        "can_change": user.has_perm("cooperation.change_secondment"),
        "can_delete": user.has_perm("cooperation.delete_secondment"),
    }
    return render(request, "cooperation/secondment_detail.html", context)


def _secondment_form(
    request: HttpRequest,
    user: User,
    initial: dict[str, Any] | None = None,
    current: Secondment | None = None,
) -> SecondmentForm:
    people = person_qs(user)
    if current is not None:  # the secondee stays a choice, in the user's scope or not
        people = people | Person.objects.filter(pk=current.person_id)
    return SecondmentForm(
        request.POST or None,
        initial=initial,
        people=people,
        units=unit_qs(user),
        cooperations=selectors.visible_cooperation_choices(user),
        university_index=university_resolver(),
    )


def _data(form: SecondmentForm) -> services.SecondmentData:
    d = form.cleaned_data
    return services.SecondmentData(
        person=d["person"],
        university=d["university"],
        host_unit=d["host_unit"],
        post=d["post"],
        start_date=d["start_date"],
        end_date=d["end_date"],
        cooperation=d["cooperation"],
        note=d["note"],
    )


def secondment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_secondment")
    user = request.user
    form = _secondment_form(request, user)
    if request.method == "POST" and form.is_valid():
        try:
            secondment = services.secondment_create(actor=user, data=_data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已登记{secondment.person.name}的挂职")
            return redirect("cooperation:secondment_detail", pk=secondment.pk)
    return render(request, "cooperation/secondment_form.html", {"form": form, "secondment": None})


def secondment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    initial = {
        "person": secondment.person_id,
        "university": secondment.university.name,
        "host_unit": secondment.host_unit_id,
        "post": secondment.post,
        "start_date": secondment.start_date,
        "end_date": secondment.end_date,
        "cooperation": secondment.cooperation_id,
        "note": secondment.note,
        "version": secondment.version,
    }
    form = _secondment_form(request, user, initial, current=secondment)
    if request.method == "POST" and form.is_valid():
        try:
            services.secondment_update(
                actor=user,
                secondment=secondment,
                data=_data(form),
                expected_version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("cooperation:secondment_detail", pk=secondment.pk)
    return render(
        request, "cooperation/secondment_form.html", {"form": form, "secondment": secondment}
    )


@require_POST
def secondment_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    secondment = selectors.secondment_get(request.user, pk)
    revert_to(request, secondment, history_id, "cooperation.change_secondment")
    return redirect("cooperation:secondment_detail", pk=secondment.pk)


def secondment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    if request.method == "POST":
        services.secondment_delete(actor=user, secondment=secondment)
        messages.success(request, f"已删除{secondment.person.name}的挂职记录，可在回收站中恢复")
        return redirect("cooperation:secondment_list")
    return render(
        request,
        "cooperation/record_delete.html",
        {
            "title": "删除挂职记录",
            "question": f"确认删除{secondment.person.name}（{secondment.post}）的挂职记录？"
            "删除后看板、考核和人才库中的挂职人数随之减少。",
            "back": reverse("cooperation:secondment_detail", args=[secondment.pk]),
        },
    )


def secondment_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted secondments (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_secondment")
    deleted = (
        selectors.secondment_qs(request.user, deleted=True)
        .select_related("person", "university", "host_unit", "deleted_by")
        .order_by("-deleted_at", "-id")
    )
    return render_list(
        request, "cooperation/secondment_trash.html", {"page": paginate(request, deleted)}
    )


@require_POST
def secondment_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_secondment")
    user = request.user
    secondment: Secondment = get_object_or_404(selectors.secondment_qs(user, deleted=True), pk=pk)
    try:
        services.secondment_restore(actor=user, secondment=secondment)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:secondment_trash")
    messages.success(request, f"已恢复{secondment.person.name}的挂职记录")
    return redirect("cooperation:secondment_detail", pk=secondment.pk)
