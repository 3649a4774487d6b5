"""Pages of secondments (挂职): the list (filtered and exported), the detail with its
history, new, edit, delete, the trash and restore, revert to a version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import activity_selectors, selectors
from yanzhen.cooperation.forms import SecondmentForm
from yanzhen.cooperation.models import Secondment
from yanzhen.cooperation.services import secondments as services
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import record_opened
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    delete_page,
    form_view,
    initial_of,
    render_table,
    restore_page,
    trash_columns,
    url,
)
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm, revert_to
from yanzhen.reference.selectors import university_resolver


def _term(s: Secondment) -> str:
    end = f"{s.end_date:%Y-%m-%d}" if s.end_date else ""
    return f"{s.start_date:%Y-%m-%d} — {end}"


def secondment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_secondment")
    user = request.user
    form = filter_form(selectors.SecondmentFilters)(request.GET or None)
    rows = selectors.secondment_list(user=user, filters=form.filters(), today=timezone.localdate())
    columns: list[Col[Secondment]] = [
        Col(
            _("挂职人员"),
            lambda s: s.person.name,
            lambda s: url("cooperation:secondment_detail", s.pk),
            width=12,
        ),
        Col(_("派出高校"), lambda s: s.university.name, width=24),
        Col(_("挂职单位"), lambda s: s.host_unit.name, width=28),
        Col(_("挂职岗位"), lambda s: s.post, width=30),
        Col(_("期限"), _term, export=False),
        Col(_("开始日期"), lambda s: s.start_date, kind="date", width=12, page=False),
        Col(_("结束日期"), lambda s: s.end_date, kind="date", width=12, page=False),
        Col(
            _("相关合作"),
            lambda s: str(s.cooperation) if s.cooperation else "",
            width=30,
            page=False,
        ),
        Col(_("备注"), lambda s: s.note, width=20, page=False),
    ]
    actions = []
    if user.has_perm("cooperation.add_secondment"):
        actions.append(Action(_("登记挂职"), url("cooperation:secondment_create"), primary=True))
    if user.has_perm("cooperation.delete_secondment"):
        actions.append(Action(_("回收站"), url("cooperation:secondment_trash"), secondary=True))
    return render_table(
        request,
        TablePage(
            title=_("挂职交流"),
            columns=columns,
            rows=rows,
            form=form,
            actions=actions,
            empty=_("暂无挂职记录"),
        ),
    )


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
    # the secondee stays a choice, in the user's scope or not
    people = activity_selectors.secondee_choices(user, current)
    return SecondmentForm(
        request.POST or None,
        initial=initial,
        people=people,
        units=unit_qs(user),
        cooperations=selectors.visible_cooperation_choices(user),
        university_index=university_resolver,
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


def _to_detail(secondment: Secondment) -> HttpResponse:
    return redirect("cooperation:secondment_detail", pk=secondment.pk)


def secondment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_secondment")
    user = request.user
    form = _secondment_form(request, user)
    return form_view(
        request,
        form,
        lambda: services.secondment_create(actor=user, data=_data(form)),
        _to_detail,
        lambda s: _("已登记%(name)s的挂职") % {"name": s.person.name},
        title=_("新增挂职交流"),
        back=url("cooperation:secondment_list"),
    )


def secondment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, pk)
    initial = {
        **initial_of(
            secondment,
            "person",
            "host_unit",
            "post",
            "start_date",
            "end_date",
            "cooperation",
            "note",
            "version",
        ),
        "university": secondment.university.name,
    }
    form = _secondment_form(request, user, initial, current=secondment)
    return form_view(
        request,
        form,
        lambda: services.secondment_update(
            actor=user,
            secondment=secondment,
            data=_data(form),
            expected_version=edited_version(form),
        ),
        _to_detail,
        title=_("编辑挂职交流"),
        back=url("cooperation:secondment_detail", secondment.pk),
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
    return delete_page(
        request,
        secondment,
        delete=lambda: services.secondment_delete(actor=user, secondment=secondment),
        done=url("cooperation:secondment_list"),
        message=_("已删除%(name)s的挂职记录，可在回收站中恢复") % {"name": secondment.person.name},
        back=url("cooperation:secondment_detail", secondment.pk),
        note=_(
            "删除后看板、考核和人才库中的挂职人数随之减少；可在回收站中恢复，保留期满后由系统清除。"
        ),
    )


def secondment_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted secondments (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_secondment")
    form = filter_form(selectors.TrashFilters)(request.GET or None)
    columns: list[Col[Secondment]] = [
        Col(_("挂职人员"), lambda s: s.person.name, width=12),
        Col(_("派出高校"), lambda s: s.university.name, width=24),
        Col(_("挂职单位"), lambda s: s.host_unit.name, width=28),
        *trash_columns(request, "cooperation:secondment_restore"),
    ]
    return render_table(
        request,
        TablePage(
            title=_("挂职交流回收站"),
            columns=columns,
            rows=selectors.deleted_secondment_list(user=request.user, filters=form.filters()),
            form=form,
            note=_(
                "删除的挂职记录不再出现在挂职列表、人才库、看板、考核和接口中；"
                "保留期内可以恢复，期满后由系统清除。"
            ),
            empty=_("回收站是空的"),
        ),
    )


@require_POST
def secondment_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_secondment")
    user = request.user
    secondment = selectors.deleted_secondment_get(user, pk)
    return restore_page(
        request,
        restore=lambda: services.secondment_restore(actor=user, secondment=secondment),
        done=url("cooperation:secondment_detail", secondment.pk),
        trash=url("cooperation:secondment_trash"),
        message=_("已恢复%(name)s的挂职记录") % {"name": secondment.person.name},
    )
