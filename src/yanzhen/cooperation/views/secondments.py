"""Pages of secondments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.cooperation import selectors, services
from yanzhen.cooperation.forms import SecondmentForm
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.masking import record_opened
from yanzhen.core.models import User
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm
from yanzhen.reference.selectors import university_resolver

# Secondments ---------------------------------------------------------------------------------


def secondment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    q = request.GET.get("q", "").strip()
    current = {"1": True, "0": False}.get(request.GET.get("current", ""))
    rows = selectors.secondment_list(user=user, q=q, current=current, today=timezone.localdate())
    if fmt := export_format(request):
        columns = (
            Column("person", "挂职人员", width=12),
            Column("university", "派出高校", width=24),
            Column("host", "挂职单位", width=28),
            Column("post", "挂职岗位", width=30),
            Column("start", "开始日期", kind="date", width=12),
            Column("end", "结束日期", kind="date", width=12),
        )
        return export_response(
            fmt=fmt,
            title="挂职交流",
            columns=columns,
            objects=rows,
            row=lambda s: (
                s.person.name,
                s.university.name,
                s.host_unit.name,
                s.post,
                s.start_date,
                s.end_date,
            ),
        )
    context = {
        "page": paginate(request, rows),
        "q": q,
        "current": request.GET.get("current", ""),
        "can_add": user.has_perm("cooperation.add_secondment"),
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
        "can_change": user.has_perm("cooperation.change_secondment"),
    }
    return render(request, "cooperation/secondment_detail.html", context)


def _secondment_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> SecondmentForm:
    return SecondmentForm(
        request.POST or None,
        initial=initial,
        people=person_qs(user),
        units=unit_qs(user),
        cooperations=selectors.visible_cooperation_choices(user),
        university_index=university_resolver(),
    )


def _save_secondment(
    request: HttpRequest, user: User, form: SecondmentForm, secondment: Any
) -> HttpResponse | None:
    fields = dict(form.cleaned_data)
    fields.pop("version")
    try:
        saved = services.secondment_save(
            actor=user,
            secondment=secondment,
            expected_version=None if secondment is None else edited_version(form),
            **fields,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("cooperation:secondment_detail", pk=saved.pk)


def secondment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_secondment")
    user = request.user
    form = _secondment_form(request, user)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_secondment(request, user, form, None))
    ):
        return done
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
    form = _secondment_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_secondment(request, user, form, secondment))
    ):
        return done
    return render(
        request, "cooperation/secondment_form.html", {"form": form, "secondment": secondment}
    )
