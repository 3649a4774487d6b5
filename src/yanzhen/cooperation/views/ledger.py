"""Pages of the ledger: the list and the trash, a cooperation's page, its form, stage moves
and files; the universities it works with."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import excel, selectors, services
from yanzhen.cooperation.forms import (
    AttachmentForm,
    CooperationForm,
    MoveForm,
    cooperation_filter_form,
    cooperation_initial,
)
from yanzhen.cooperation.models import Cooperation
from yanzhen.core import integrity
from yanzhen.core.counties import stage_rules
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.history import history_rows
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    Tag,
    cell_text,
    delete_page,
    form_page,
    render_table,
    require_perm,
    restore_page,
    submit,
    trash_columns,
    url,
)
from yanzhen.core.selectors import local_units, unit_qs
from yanzhen.core.views import revert_to
from yanzhen.core.widgets import chosen_values, search_options
from yanzhen.core.workflow import reviews_for
from yanzhen.reference.local import local_industries
from yanzhen.reference.models import University
from yanzhen.reference.selectors import university_resolver


def _detail_url(cooperation: Cooperation) -> str:
    return url("cooperation:cooperation_detail", cooperation.pk)


def _to_detail(cooperation: Cooperation) -> HttpResponseRedirect:
    return redirect("cooperation:cooperation_detail", pk=cooperation.pk)


def cooperation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    form = cooperation_filter_form(request.GET or None, user=user)
    columns: list[Col[Cooperation]] = [
        Col(_("编号"), lambda c: c.code, _detail_url, sort="code"),
        Col(_("合作名称"), lambda c: c.title, _detail_url),
        Col(_("本地合作方"), lambda c: [u.label for u in c.parties.all()], tag=lambda c: ""),
        Col(_("合作高校"), lambda c: [u.name for u in c.universities.all()]),
        Col(
            _("阶段"),
            lambda c: c.get_stage_display() if c.approved else _("待审核"),
            tag=lambda c: c.stage if c.approved else "gap",
            marks=lambda c: (
                [Tag(_("待审核"), "gap")]
                if getattr(c, "review_pending", False) and c.approved
                else []
            ),
        ),
        Col(_("意向日期"), lambda c: c.intention_date, sort="intention_date"),
        Col(_("签约日期"), lambda c: c.agreement_date, sort="agreement_date"),
        Col(_("落地日期"), lambda c: c.landed_date, sort="landed_date"),
        Col(_("计划投资（万元）"), lambda c: c.planned_investment, sort="planned_investment"),
        Col(_("所属基地"), lambda c: c.base.name if c.base else None),
    ]
    pending = selectors.pending_count(selectors.cooperation_qs(user))
    actions = []
    if user.has_perm("cooperation.add_cooperation"):
        actions.append(Action(_("登记合作"), url("cooperation:cooperation_new"), primary=True))
    if user.has_perm("cooperation.import_cooperation"):
        actions.append(Action(_("Excel 导入"), url("cooperation:import_upload")))
    if user.has_perm("cooperation.delete_cooperation"):
        actions.append(Action(_("回收站"), url("cooperation:cooperation_trash"), secondary=True))
    return render_table(
        request,
        TablePage(
            title=_("合作台账"),
            columns=columns,
            rows=selectors.cooperation_list(
                user=user, filters=form.filters(), today=timezone.localdate()
            ),
            form=form,
            actions=actions,
            export_perm="cooperation.export_cooperation",
            # The file has the import template's columns: it can be edited and imported back.
            export=Export(excel.columns(), excel.export_row(user), excel.export_values(user))
            if export_format(request)
            else None,
            empty=_("没有符合条件的合作"),
            # The stages shown are the approved ones; what waits for review is counted apart.
            note=_("另有 %(n)s 项待审核（审核通过后计入统计）") % {"n": pending} if pending else "",
        ),
    )


def cooperation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    cooperation = selectors.cooperation_detail(user, pk)
    can_change = user.has_perm("cooperation.change_cooperation")
    context = {
        "cooperation": cooperation,
        "events": selectors.stage_events(cooperation),
        "history": history_rows(cooperation, user=user),
        "can_change": can_change,
        "can_delete": user.has_perm("cooperation.delete_cooperation"),
        "attachment_form": AttachmentForm() if can_change else None,
        "pending": selectors.pending_of([cooperation.pk]).get(cooperation.pk),
        "reviews": reviews_for(cooperation),
    }
    integrity.read_check(request, [cooperation])
    return render(request, "cooperation/detail.html", context)


def _cooperation_form(
    request: AuthenticatedHttpRequest,
    *,
    initial: dict[str, Any],
    editing: Cooperation | None = None,
) -> CooperationForm:
    user = request.user
    return CooperationForm(
        request.POST or None,
        initial=initial,
        owners=unit_qs(user),
        bases=selectors.base_choices(user=user),
        party_units=local_units(user),
        university_index=university_resolver,
        editing=editing,
        owner_fixed=editing is not None and not services.may_change_owner(user),
        base_fixed=editing is not None and not services.may_change_base(user, editing.base),
        industries=local_industries(user.unit),
    )


# The form's fields the services take as they are.
_AS_IS = (
    *("title", "owner_unit", "parties", "universities", "channel", "kind", "base"),
    *("local_industry", "intention_date", "agreement_date", "landed_date", "dropped_date"),
    *("drop_reason", "online", "description"),
)


def _data(form: CooperationForm, stage: str) -> services.CooperationData:
    d = form.cleaned_data
    return services.CooperationData(
        **{name: d[name] for name in _AS_IS},
        industry=d["industry_code"],
        stage=stage,
        planned_investment=d["planned_investment"] or Decimal(0),
        landed_investment=d["landed_investment"] or Decimal(0),
        participants=d["participants"] or 0,
    )


STAGES = (("intention", "意向"), ("agreement", "签约"), ("landed", "落地"))


def _stage_rules(user: User) -> list[tuple[str, str, bool]]:
    """The county's stage definitions (统计口径), as the forms show them."""
    rules = stage_rules(user.unit)
    return [(label, rules[s]["text"], bool(rules[s]["evidence"])) for s, label in STAGES]


def _cooperation_page(
    request: AuthenticatedHttpRequest, form: CooperationForm, *, title: str, back: str
) -> HttpResponse:
    """The form, with the names of the local units the parties field suggests."""
    names = selectors.suggested_unit_names(request.user)
    return form_page(
        request,
        form,
        title=title,
        back=back,
        template="cooperation/form.html",
        context={"unit_names": names, "stage_rules": _stage_rules(request.user)},
    )


def cooperation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.add_cooperation")
    user = request.user
    initial = {"owner_unit": user.unit_id, "intention_date": timezone.localdate()}
    form = _cooperation_form(request, initial=initial)
    done = submit(
        request,
        form,
        lambda: services.cooperation_create(
            actor=user, data=_data(form, form.cleaned_data["stage"])
        ),
        _to_detail,
        lambda c: _("已登记合作“%(title)s”（%(code)s）") % {"title": c.title, "code": c.code},
    )
    return done or _cooperation_page(
        request, form, title=_("登记合作"), back=url("cooperation:cooperation_list")
    )


def cooperation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_detail(user, pk)
    initial = cooperation_initial(cooperation, local_units(user))
    form = _cooperation_form(request, initial=initial, editing=cooperation)
    done = submit(
        request,
        form,
        lambda: services.cooperation_update(
            actor=user,
            cooperation=cooperation,
            data=_data(form, cooperation.stage),
            expected_version=edited_version(form),
        ),
        _to_detail,
    )
    return done or _cooperation_page(
        request,
        form,
        title=_("编辑合作：%(code)s") % {"code": cooperation.code},
        back=_detail_url(cooperation),
    )


def cooperation_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A stage move; a refused one is answered with the refusal's status (400, 409)."""
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    form = MoveForm(
        request.POST or None,
        request.FILES or None,
        current=cooperation.stage,
        initial={"version": cooperation.version},
    )
    refused = HTTPStatus.BAD_REQUEST

    def move() -> Cooperation:
        nonlocal refused
        try:
            version = edited_version(form)
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            return services.cooperation_move(
                actor=user, cooperation=cooperation, expected_version=version, **fields
            )
        except DomainError as error:
            refused = HTTPStatus(error.status)
            raise

    def moved(c: Cooperation) -> str:
        if selectors.pending_of([c.pk]):
            return _("已报送，待审核通过后生效")
        return _("阶段已变更")

    done = submit(request, form, move, _to_detail, moved)
    if done:
        return done
    response = form_page(
        request,
        form,
        title=_("变更阶段：%(title)s") % {"title": cooperation.title},
        back=_detail_url(cooperation),
        submit_label=_("确认变更"),
        template="cooperation/form.html",
        context={"stage_rules": _stage_rules(user)},
        facts=[
            (_("当前阶段"), Tag(cooperation.get_stage_display(), cooperation.stage).__html__()),
            (_("意向日期"), cell_text(cooperation.intention_date)),
            (_("签约日期"), cell_text(cooperation.agreement_date)),
            (_("落地日期"), cell_text(cooperation.landed_date)),
        ],
    )
    if request.method == "POST":
        response.status_code = refused
    return response


@require_POST
def cooperation_revert(request: AuthenticatedHttpRequest, pk: int, history_id: int) -> HttpResponse:
    cooperation = selectors.cooperation_get(request.user, pk)
    revert_to(request, cooperation, history_id, "cooperation.change_cooperation")
    return _to_detail(cooperation)


def cooperation_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    return delete_page(
        request,
        cooperation,
        delete=lambda: services.cooperation_delete(actor=user, cooperation=cooperation),
        done=url("cooperation:cooperation_list"),
        message=_("已删除合作“%(title)s”，可在回收站中恢复") % {"title": cooperation.title},
        back=_detail_url(cooperation),
    )


def cooperation_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deleted cooperations (in scope), restorable until they are purged."""
    require_perm(request, "cooperation.delete_cooperation")
    columns: list[Col[Cooperation]] = [
        Col(_("编号"), lambda c: c.code),
        Col(_("合作名称"), lambda c: c.title),
        Col(_("登记单位"), lambda c: c.owner_unit.name),
        *trash_columns(request, "cooperation:cooperation_restore"),
    ]
    return render_table(
        request,
        TablePage(
            title=_("合作台账回收站"),
            columns=columns,
            rows=selectors.cooperation_trash(request.user),
            exportable=False,
            note=_(
                "删除的合作不再出现在台账、看板、接口和导出中；保留期内可以恢复，期满后由系统清除。"
            ),
            empty=_("回收站是空的"),
        ),
    )


@require_POST
def cooperation_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cooperation.delete_cooperation")
    user = request.user
    cooperation = selectors.deleted_cooperation_get(user, pk)
    return restore_page(
        request,
        restore=lambda: services.cooperation_restore(actor=user, cooperation=cooperation),
        done=_detail_url(cooperation),
        trash=url("cooperation:cooperation_trash"),
        message=_("已恢复合作“%(title)s”") % {"title": cooperation.title},
    )


def cooperation_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ``<option>``s of a cooperation picker (:func:`~yanzhen.cooperation.forms.cooperation_choices`)."""
    require_perm(request, "cooperation.view_cooperation")
    user = request.user
    return search_options(
        request,
        lambda q: selectors.visible_cooperation_choices(user, q),
        chosen=chosen_values(request),
        label=str,
        empty=_("没有匹配的合作"),
    )


# Files ---------------------------------------------------------------------------------------


@require_POST
def attachment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An attachment uploaded from the cooperation's page; what is wrong is said there."""
    require_perm(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda: services.attachment_create(
            actor=user, cooperation=cooperation, **form.cleaned_data
        ),
        lambda a: _to_detail(cooperation),
        _("附件已上传"),
    )
    if done:
        return done
    messages.error(
        request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
    )
    return _to_detail(cooperation)


def _file_response(field: FieldFile) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(field.name or "").name)


def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_cooperation")
    return _file_response(selectors.attachment_get(request.user, pk).file)


def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "cooperation.view_cooperation")
    return _file_response(selectors.stage_event_get(request.user, pk).evidence)


# Universities --------------------------------------------------------------------------------


def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The universities the dashboard counts, with their cooperations by stage, each number
    opening the ledger of exactly those cooperations."""
    require_perm(request, "cooperation.view_cooperation")
    form = filter_form(selectors.PartnerFilters)(request.GET or None)
    filters = form.filters()
    year = filters.year

    def reached(stage: str) -> Callable[[University], str]:
        return lambda u: url(
            "cooperation:cooperation_list",
            query=selectors.CooperationFilters(
                university=u.pk, reached=stage, year=year
            ).as_query(),
        )

    columns: list[Col[University]] = [
        Col(_("高校（院所）"), lambda u: u.name, width=30),
        Col(_("省份"), lambda u: u.province or u.country, width=10),
        Col(_("层次"), lambda u: u.flags, tag=lambda u: "", width=16),
        Col(_("意向"), lambda u: u.n_intention, reached("intention"), kind="int"),  # type: ignore[attr-defined]
        Col(_("签约"), lambda u: u.n_agreement, reached("agreement"), kind="int"),  # type: ignore[attr-defined]
        Col(_("落地"), lambda u: u.n_landed, reached("landed"), kind="int"),  # type: ignore[attr-defined]
    ]
    title = _("合作高校（院所）")
    return render_table(
        request,
        TablePage(
            title=_("%(title)s · %(year)s年") % {"title": title, "year": year} if year else title,
            columns=columns,
            rows=selectors.partner_list(user=request.user, filters=filters),
            form=form,
            per_page=50,
            empty=_("暂无合作高校"),
        ),
    )
