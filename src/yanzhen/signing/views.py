"""Pages of 云签约: the agreement register, an agreement (versions, parties, signing), the
live ceremony, verification of a PDF, the CA's certificate and CRL."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_page,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.core.selectors import active_units
from yanzhen.signing import authority, pades, selectors, services
from yanzhen.signing.forms import (
    SIGNER_FIELDS,
    AgreementForm,
    CeremonyForm,
    ObligationForm,
    RenewForm,
    ReviseForm,
    SealForm,
    SignForm,
    VerifyForm,
)
from yanzhen.signing.models import Agreement, AgreementState, Ceremony

STATE_TAGS: dict[str, str] = {
    AgreementState.DRAFT: "muted",
    AgreementState.SIGNING: "warn",
    AgreementState.SIGNED: "ok",
}


def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "signing.view_agreement")
    form = filter_form(selectors.AgreementFilters)(request.GET or None)
    columns: list[Col[Agreement]] = [
        Col(
            "协议编号", lambda a: a.code, lambda a: url("signing:agreement_detail", a.pk), width=14
        ),
        Col(
            "协议名称", lambda a: a.title, lambda a: url("signing:agreement_detail", a.pk), width=36
        ),
        Col("协议类型", lambda a: a.get_kind_display(), width=10),
        Col(
            "所属合作",
            lambda a: a.cooperation.title,
            lambda a: url("cooperation:cooperation_detail", a.cooperation_id),
            width=30,
        ),
        Col("状态", lambda a: a.get_state_display(), tag=lambda a: STATE_TAGS[a.state], width=8),
        Col("已签/签约方", lambda a: f"{a.n_signed}/{a.n_parties}", width=10),  # type: ignore[attr-defined]
        Col("起始日期", lambda a: a.starts_on, kind="date", width=12, sort="starts_on"),
        Col("到期日期", lambda a: a.expires_on, kind="date", width=12, sort="expires_on"),
        Col(
            "签署完成",
            lambda a: (
                timezone.localtime(a.signed_at).strftime("%Y-%m-%d %H:%M") if a.signed_at else ""
            ),
            width=18,
        ),
    ]
    actions = []
    if request.user.has_perm("signing.add_agreement"):
        actions.append(Action("起草协议", url("signing:agreement_new"), primary=True))
    actions.append(Action("集中云签约", url("signing:ceremony_list")))
    return render_table(
        request,
        TablePage(
            title="协议台账",
            columns=columns,
            rows=selectors.agreement_list(user=request.user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="signing.export_agreement",
            empty="尚无协议",
        ),
    )


def agreement_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "signing.add_agreement")
    user = request.user
    initial = {}
    if request.GET.get("cooperation", "").isdigit():
        initial["cooperation"] = request.GET["cooperation"]
    form = AgreementForm(
        request.POST or None,
        initial=initial,
        cooperations=cooperation_qs(user).order_by("-id"),
        signers=selectors.signer_choices(user),
    )

    def save() -> Agreement:
        data = form.cleaned_data
        signers = [data[name] for name in SIGNER_FIELDS if data.get(name) is not None]
        return services.agreement_create(
            actor=user,
            cooperation=data["cooperation"],
            kind=data["kind"],
            title=data["title"],
            starts_on=data["starts_on"],
            expires_on=data["expires_on"],
            parties=[services.PartyData(unit=s.unit, signer=s) for s in signers],
            content=data["content"],
        )

    done = submit(request, form, save, lambda a: redirect("signing:agreement_detail", pk=a.pk))
    return done or form_page(
        request,
        form,
        title="起草协议",
        back=url("signing:agreement_list"),
        intro="协议依据所选类型的模板起草，可多轮修改正文（保留各版本及差异），定稿后提交各方签署。",
    )


def agreement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "signing.view_agreement")
    user = request.user
    agreement = selectors.agreement_get(user, pk)
    versions = selectors.versions_of(agreement)
    diffs = [
        (newer, selectors.version_diff(older, newer))
        for older, newer in itertools.pairwise(versions)
    ]
    can_change = user.has_perm("signing.change_agreement")
    signed = agreement.state == AgreementState.SIGNED
    context = {
        "agreement": agreement,
        "obligations": selectors.obligations_of(agreement, today=timezone.localdate()),
        "renewals": selectors.renewals_of(user, agreement),
        "renews": selectors.renewed_of(user, agreement),
        "can_renew": user.has_perm("signing.add_agreement")
        and signed
        and not selectors.is_renewed(agreement),
        "parties": selectors.parties_of(agreement),
        "versions": versions,
        "latest": versions[-1],
        "diffs": diffs,
        "can_revise": can_change and agreement.state == AgreementState.DRAFT,
        "can_send": can_change and agreement.state == AgreementState.DRAFT,
        "to_sign": selectors.party_to_sign(agreement, user)
        if user.has_perm("signing.sign_agreement")
        else None,
    }
    return render(request, "signing/agreement_detail.html", context)


def agreement_revise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "signing.change_agreement")
    user = request.user
    agreement = selectors.agreement_get(user, pk)
    latest = services.latest_version(agreement)
    form = ReviseForm(request.POST or None, initial={"content": latest.content})
    done = submit(
        request,
        form,
        lambda: services.agreement_revise(
            actor=user,
            agreement=agreement,
            content=form.cleaned_data["content"],
            note=form.cleaned_data["note"],
        ),
        lambda v: redirect("signing:agreement_detail", pk=agreement.pk),
        message=lambda v: f"已保存为第{v.number}版",
    )
    return done or form_page(
        request,
        form,
        title=f"修改协议正文：{agreement.title}",
        back=url("signing:agreement_detail", agreement.pk),
        facts=[("当前版本", f"第{latest.number}版"), ("协议编号", agreement.code)],
    )


def obligation_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add an obligation to a draft (once sent, the service refuses: they are terms of it)."""
    require_perm(request, "signing.change_agreement")
    agreement = selectors.agreement_get(request.user, pk)
    units = selectors.party_units(agreement)
    form = ObligationForm(request.POST or None, units=units)
    back = url("signing:agreement_detail", agreement.pk)
    done = submit(
        request,
        form,
        lambda: services.obligation_add(
            actor=request.user, agreement=agreement, **form.cleaned_data
        ),
        lambda o: redirect("signing:agreement_detail", pk=agreement.pk),
        message="已添加义务条款",
    )
    return done or form_page(
        request,
        form,
        title=f"添加义务：{agreement.title}",
        back=back,
        intro="各方签署完成后，义务按责任方和完成时限纳入所属基地工作方案的节点任务，接受督办。",
        warnings=[]
        if agreement.state == AgreementState.DRAFT
        else ["协议已提交签署，不能再修改义务条款"],
        facts=[
            ("协议期限", f"{agreement.starts_on}至{agreement.expires_on}"),
            ("所属合作", agreement.cooperation.title),
        ],
    )


@require_POST
def obligation_delete(
    request: AuthenticatedHttpRequest, pk: int, obligation_pk: int
) -> HttpResponse:
    require_perm(request, "signing.change_agreement")
    agreement = selectors.agreement_get(request.user, pk)
    obligation = selectors.obligation_get(agreement, obligation_pk)
    try:
        services.obligation_remove(actor=request.user, obligation=obligation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已删除义务条款")
    return redirect("signing:agreement_detail", pk=agreement.pk)


def agreement_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "signing.add_agreement")
    agreement = selectors.agreement_get(request.user, pk)
    if agreement.state != AgreementState.SIGNED or selectors.is_renewed(agreement):
        raise Http404
    starts_on = agreement.expires_on + dt.timedelta(days=1)
    term = agreement.expires_on - agreement.starts_on  # the same length again
    initial = {"starts_on": starts_on, "expires_on": starts_on + term}
    form = RenewForm(request.POST or None, initial=initial)
    done = submit(
        request,
        form,
        lambda: services.agreement_renew(
            actor=request.user, agreement=agreement, **form.cleaned_data
        ),
        lambda a: redirect("signing:agreement_detail", pk=a.pk),
        message=lambda a: f"已起草续签协议{a.code}",
    )
    return done or form_page(
        request,
        form,
        title=f"续签：{agreement.title}",
        back=url("signing:agreement_detail", agreement.pk),
        intro="续签协议沿用原协议的签约方、授权签署人和正文，起草后可修改并重新提交各方签署；"
        "原协议不再发送到期提醒。",
        facts=[
            ("原协议编号", agreement.code),
            ("原协议期限", f"{agreement.starts_on}至{agreement.expires_on}"),
        ],
    )


@require_POST
def agreement_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "signing.change_agreement")
    agreement = selectors.agreement_get(request.user, pk)
    try:
        services.agreement_send(actor=request.user, agreement=agreement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "协议已定稿，生成 PDF 并提交各方签署")
    return redirect("signing:agreement_detail", pk=agreement.pk)


def agreement_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "signing.sign_agreement")
    user = request.user
    agreement = selectors.agreement_get(user, pk)
    party = selectors.party_to_sign(agreement, user)
    if party is None:
        raise Http404
    form = SignForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda: services.agreement_sign(
            request=request, actor=user, agreement=agreement, token=form.cleaned_data["token"]
        ),
        lambda p: redirect("signing:agreement_detail", pk=agreement.pk),
        message=lambda p: f"已以{p.unit.name}的电子签章签署",
    )
    return done or form_page(
        request,
        form,
        title=f"签署：{agreement.title}",
        back=url("signing:agreement_detail", agreement.pk),
        submit_label="确认签署",
        intro="签署将使用本单位由平台证书机构签发的数字证书，加盖电子印章并加盖可信时间戳。",
        facts=[
            ("协议编号", agreement.code),
            ("签约方", f"{party.label}：{party.unit.name}"),
            ("签署人", str(user)),
        ],
    )


def _pdf_response(field: object, name: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")  # type: ignore[attr-defined]
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


def agreement_pdf(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "signing.view_agreement")
    agreement = selectors.agreement_get(request.user, pk)
    return _pdf_response(agreement.pdf, f"{agreement.code}.pdf")


# Ceremonies ----------------------------------------------------------------------------------


def ceremony_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "signing.view_agreement")
    form = filter_form(selectors.CeremonyFilters)(request.GET or None)
    columns: list[Col[Ceremony]] = [
        Col(
            "活动名称", lambda c: c.title, lambda c: url("signing:ceremony_detail", c.pk), width=36
        ),
        Col("主办单位", lambda c: c.owner_unit.name, width=24),
        Col("活动日期", lambda c: c.held_on, kind="date", width=12, sort="held_on"),
        Col(
            "协议数",
            lambda c: c.n_agreements,  # type: ignore[attr-defined]
            lambda c: url("signing:agreement_list", query={"ceremony": str(c.pk)}),
            kind="int",
        ),
        Col("已签署", lambda c: c.n_signed, kind="int"),  # type: ignore[attr-defined]
    ]
    actions = []
    if request.user.has_perm("signing.add_ceremony"):
        actions.append(Action("组织集中云签约", url("signing:ceremony_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="集中云签约",
            columns=columns,
            rows=selectors.ceremony_list(user=request.user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="signing.export_agreement",
            empty="尚无集中云签约活动",
        ),
    )


def ceremony_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "signing.add_ceremony")
    user = request.user
    form = CeremonyForm(
        request.POST or None,
        initial={"owner_unit": user.unit_id, "held_on": timezone.localdate()},
        units=active_units(user),
        agreements=selectors.signable_agreements(user),
    )
    done = submit(
        request,
        form,
        lambda: services.ceremony_create(actor=user, **form.cleaned_data),
        lambda c: redirect("signing:ceremony_detail", pk=c.pk),
    )
    return done or form_page(
        request, form, title="组织集中云签约", back=url("signing:ceremony_list")
    )


def ceremony_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The live page: the agreements and their signatures, refreshed by htmx every few
    seconds (only the board is sent again)."""
    require_perm(request, "signing.view_agreement")
    ceremony = selectors.ceremony_get(request.user, pk)
    agreements = selectors.ceremony_agreements(request.user, ceremony)
    parties = [p for a in agreements for p in a.parties.all()]
    context = {
        "ceremony": ceremony,
        "agreements": agreements,
        "n_parties": len(parties),
        "n_signed": sum(1 for p in parties if p.signed_at is not None),
        "now": timezone.localtime(),
    }
    template = "signing/ceremony_detail.html"
    if request.htmx:
        template += "#board"
    return render(request, template, context)


# Verification, the CA ------------------------------------------------------------------------


def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a PDF, see its signatures checked against the platform's root (offline)."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    report: pades.Report | None = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            report = pades.verify(data, roots=[authority.root_asn1()])
        except pades.NotSignedError:
            problem = "该文件不是已签名的 PDF 文件"
    return render(
        request,
        "signing/verify.html",
        {"form": form, "report": report, "problem": problem, "title": "验证电子签名"},
    )


def seal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's organisation's seal: upload a PNG (else one is drawn from its name)."""
    require_perm(request, "signing.add_seal")
    user = request.user
    if user.unit is None:
        raise Http404
    unit = user.unit
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seal_upload(actor=user, unit=unit, image=form.cleaned_data["image"].read())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存电子印章")
            return redirect("signing:seal")
    return form_page(
        request,
        form,
        title=f"电子印章：{unit.name}",
        back=url("signing:agreement_list"),
        intro="未上传印章图片时，签署时依单位名称自动生成圆形电子印章。",
        template="signing/seal.html",
        context={"unit": unit},
    )


def seal_image(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "signing.add_seal")
    if request.user.unit is None:
        raise Http404
    return HttpResponse(services.seal_png(request.user.unit), content_type="image/png")


@login_not_required
def ca_certificate(request: HttpRequest) -> HttpResponse:
    """The root certificate (public: whoever validates an agreement needs it)."""
    response = HttpResponse(authority.root_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="yanzhen-ca.pem"'
    return response


@login_not_required
def ca_crl(request: HttpRequest) -> HttpResponse:
    """The certificate revocation list named in every certificate (public, DER)."""
    return HttpResponse(authority.crl_der(), content_type="application/pkix-crl")
