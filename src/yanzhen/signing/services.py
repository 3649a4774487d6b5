"""Writes of 云签约: drafting an agreement from a template, its versions, sending it for
signature (the PDF), each party's signature (second factor, certificate, PAdES B-LT), and,
when every party has signed, the cooperation's move to "agreement" with the signed PDF as
verified evidence; the expiry reminders; ceremonies and seals."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.accounts import otp
from yanzhen.cooperation import services as cooperation_services
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.counties import settings_for
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.core.services import validate
from yanzhen.engines.stages import Stage
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.signing import authority, document, pades, pki
from yanzhen.signing.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementState,
    AgreementVersion,
    Ceremony,
    Obligation,
    Seal,
)
from yanzhen.signing.seal import draw_seal
from yanzhen.supervision import services as supervision_services
from yanzhen.supervision.selectors import work_plan_of

MAX_PARTIES = 8
REMIND_DAYS = (90, 30, 7)  # before the expiry


def _error(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, {field: message})


@dataclass(frozen=True)
class PartyData:
    unit: Unit
    signer: User


def _next_code(year: int) -> str:
    prefix = f"XY{year}-"
    last = (
        Agreement.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
    ).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _check_parties(parties: Sequence[PartyData]) -> None:
    if len(parties) < 2:
        raise _error("invalid", "parties", "协议至少须有两方签约单位")
    if len(parties) > MAX_PARTIES:
        raise _error("invalid", "parties", f"签约单位不能超过{MAX_PARTIES}个")
    seen: set[int] = set()
    for number, party in enumerate(parties, start=1):
        if party.unit.pk in seen:
            raise _error("invalid", "parties", f"第{number}个签约单位重复：{party.unit.name}")
        seen.add(party.unit.pk)
        if party.signer.unit_id != party.unit.pk or not party.signer.is_active:
            raise _error(
                "invalid",
                "parties",
                f"第{number}个签约单位的授权签署人须是该单位的在用账号：{party.signer}",
            )


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    cooperation: Cooperation,
    kind: str,
    title: str,
    starts_on: dt.date,
    expires_on: dt.date,
    parties: Sequence[PartyData],
    content: str = "",
) -> Agreement:
    """A draft agreement of a cooperation, its first version from the kind's template."""
    if kind not in AgreementKind.values:
        raise _error("invalid", "kind", "协议类型不正确")
    if expires_on <= starts_on:
        raise _error("invalid", "expires_on", "到期日期须晚于起始日期")
    _check_parties(parties)
    agreement = Agreement(
        code=_next_code(starts_on.year),
        cooperation=cooperation,
        kind=kind,
        title=title.strip() or f"{cooperation.title}合作协议",
        starts_on=starts_on,
        expires_on=expires_on,
        created_by=actor,
        updated_by=actor,
    )
    validate(agreement, exclude=["pdf", "ceremony"])
    agreement.save()
    for position, party in enumerate(parties):
        AgreementParty.objects.create(
            agreement=agreement, position=position, unit=party.unit, signer=party.signer
        )
    text = content.strip() or document.from_template(
        kind, cooperation=cooperation.title, starts_on=starts_on, expires_on=expires_on
    )
    AgreementVersion.objects.create(
        agreement=agreement, number=1, content=text, note="依据模板起草", created_by=actor
    )
    return agreement


def latest_version(agreement: Agreement) -> AgreementVersion:
    version = agreement.versions.order_by("-number").first()
    assert version is not None  # every agreement is created with its first version
    return version


@transaction.atomic
def agreement_revise(
    *, actor: User | None, agreement: Agreement, content: str, note: str
) -> AgreementVersion:
    """A new version of the text (only while the agreement is a draft)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != AgreementState.DRAFT:
        raise _error("not_draft", "content", "协议已提交签署，不能再修改正文")
    text = content.strip()
    if not text:
        raise _error("invalid", "content", "请填写协议正文")
    last = latest_version(agreement)
    if last.content == text:
        raise _error("unchanged", "content", "正文与上一版相同")
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=last.number + 1,
        content=text,
        note=note.strip()[:200],
        created_by=actor,
    )


def _party_lines(agreement: Agreement) -> list[document.PartyLine]:
    return [
        document.PartyLine(p.label, p.unit.name, str(p.signer))
        for p in agreement.parties.select_related("unit", "signer")
    ]


@transaction.atomic
def agreement_send(*, actor: User | None, agreement: Agreement) -> Agreement:
    """Freeze the latest version as the PDF to be signed: the agreement goes for signature."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != AgreementState.DRAFT:
        raise _error("not_draft", "__all__", "协议已提交签署")
    version = latest_version(agreement)
    pdf = document.render(
        title=agreement.title,
        code=agreement.code,
        content=version.content,
        parties=_party_lines(agreement),
    )
    _store(agreement, pdf, f"{agreement.code}-v{version.number}.pdf")
    agreement.state = AgreementState.SIGNING
    agreement.updated_by = actor
    agreement.save(update_fields=["state", "updated_by", "updated_at"])
    return agreement


def _store(agreement: Agreement, pdf: bytes, name: str) -> None:
    agreement.pdf.save(name, ContentFile(pdf), save=False)
    agreement.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    agreement.save(update_fields=["pdf", "pdf_sha256"])


def seal_png(unit: Unit) -> bytes:
    """The unit's uploaded seal, else one drawn from its name."""
    seal = Seal.objects.filter(unit=unit).first()
    if seal is not None and seal.image:
        with seal.image.open("rb") as handle:
            data: bytes = handle.read()
        return data
    return draw_seal(unit.name)


def seal_upload(*, actor: User, unit: Unit, image: bytes) -> Seal:
    """Set the unit's seal image (a PNG, kept as uploaded)."""
    if not image.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _error("invalid", "image", "印章图片须为 PNG 格式")
    seal = Seal.objects.filter(unit=unit).first() or Seal(unit=unit, created_by=actor)
    seal.updated_by = actor
    seal.image.save(f"{unit.pk}.png", ContentFile(image), save=False)
    seal.save()
    return seal


def read_pdf(agreement: Agreement) -> bytes:
    with agreement.pdf.open("rb") as handle:
        data: bytes = handle.read()
    return data


@transaction.atomic
def agreement_sign(
    *, request: HttpRequest | None, actor: User, agreement: Agreement, token: str | None
) -> AgreementParty:
    """The actor signs for their party: second factor (``token``; ``None`` only for the
    demo's loader), the organisation's certificate (issued now if it has none), a PAdES
    B-LT signature with its seal. The last signature completes the agreement."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != AgreementState.SIGNING:
        raise _error("not_signing", "token", "协议不在签署中")
    party = (
        agreement.parties.select_related("unit")
        .filter(signer=actor, signed_at__isnull=True)
        .order_by("position")
        .first()
    )
    if party is None:
        raise _error("not_signer", "token", "您不是本协议待签署的授权签署人")
    if token is not None:
        if request is None:
            raise _error("otp_missing", "token", "签署须输入动态口令")
        otp.verify(request, actor, token)
    certificate = authority.certificate_for(party.unit, actor=actor)
    signed = pades.sign(
        read_pdf(agreement),
        pades.Signing(
            field_name=party.field_name,
            position=party.position,
            certificate=pki.asn1_certificate(certificate.certificate.encode("ascii")),
            key_pem=authority.certificate_key(certificate),
            root=authority.root_asn1(),
            signer_name=str(actor),
            reason=f"{party.label}签署《{agreement.title}》",
            seal_png=seal_png(party.unit),
        ),
        timestamper=authority.timestamper(),
        context=authority.signing_context(),
    )
    _store(agreement, signed, f"{agreement.code}-{party.field_name}.pdf")
    party.signed_at = timezone.now()
    party.certificate = certificate
    party.save(update_fields=["signed_at", "certificate"])
    if not agreement.parties.filter(signed_at__isnull=True).exists():
        _complete(actor, agreement, signed)
    return party


def _complete(actor: User, agreement: Agreement, pdf: bytes) -> None:
    """Every party has signed: verify the PDF, then record it in the cooperation's ledger."""
    report = pades.verify(pdf, roots=[authority.root_asn1()])
    if not report.valid:
        raise _error("invalid_signature", "__all__", "签署后的协议签名验证未通过，未记入台账")
    agreement.state = AgreementState.SIGNED
    agreement.signed_at = timezone.now()
    agreement.updated_by = actor
    agreement.save(update_fields=["state", "signed_at", "updated_by", "updated_at"])
    obligations_to_milestones(agreement=agreement)
    cooperation = agreement.cooperation
    evidence = ContentFile(pdf, name=f"{agreement.code}.pdf")
    if cooperation.stage == Stage.INTENTION:
        cooperation_services.cooperation_move(
            actor=actor,
            cooperation=cooperation,
            target=Stage.AGREEMENT,
            date=timezone.localdate(),
            reason=f"云签约：《{agreement.title}》各方电子签名已验证（{agreement.code}）",
            evidence=evidence,  # type: ignore[arg-type]
        )
    else:
        cooperation_services.attachment_create(
            actor=actor,
            cooperation=cooperation,
            title=f"电子签约协议{agreement.code}（签名已验证）",
            file=evidence,  # type: ignore[arg-type]
        )


# Obligations and renewals --------------------------------------------------------------------


def _draft(agreement: Agreement, field: str) -> Agreement:
    agreement = (
        Agreement.objects.select_for_update().select_related("cooperation").get(pk=agreement.pk)
    )
    if agreement.state != AgreementState.DRAFT:
        raise _error("not_draft", field, "协议已提交签署，不能再修改义务条款")
    return agreement


@transaction.atomic
def obligation_add(
    *,
    actor: User | None,
    agreement: Agreement,
    unit: Unit,
    title: str,
    due_date: dt.date,
    deliverable: str = "",
) -> Obligation:
    """An obligation of a draft agreement: one of its parties does ``title`` by ``due_date``
    (within the term). It becomes a supervision milestone when every party has signed, so
    the cooperation must belong to a base (whose work plan receives it)."""
    agreement = _draft(agreement, "title")
    if agreement.cooperation.base_id is None:
        raise _error(
            "no_base",
            "title",
            "所属合作未归入合作基地，义务无法纳入督办节点任务：请先为合作指定所属基地",
        )
    if not agreement.parties.filter(unit=unit).exists():
        raise _error("invalid", "unit", "责任方须是本协议的签约单位")
    if not agreement.starts_on <= due_date <= agreement.expires_on:
        raise _error(
            "invalid",
            "due_date",
            f"完成时限须在协议期限内（{agreement.starts_on}至{agreement.expires_on}）",
        )
    obligation = Obligation(
        agreement=agreement,
        unit=unit,
        title=title.strip(),
        due_date=due_date,
        deliverable=deliverable.strip(),
    )
    validate(obligation, exclude=["milestone"])
    obligation.save()
    if actor is not None:
        agreement.updated_by = actor
        agreement.save(update_fields=["updated_by", "updated_at"])
    return obligation


@transaction.atomic
def obligation_remove(*, actor: User | None, obligation: Obligation) -> None:
    """Remove an obligation from a draft agreement."""
    agreement = _draft(obligation.agreement, "__all__")
    obligation.delete()
    if actor is not None:
        agreement.updated_by = actor
        agreement.save(update_fields=["updated_by", "updated_at"])


def obligations_to_milestones(*, agreement: Agreement) -> list[Obligation]:
    """File the signed agreement's obligations as milestones of its cooperation's base (the
    base's work plan, made now when it has none), through supervision's services; each
    obligation once (one that has its milestone is left alone). Done by the platform on the
    last signature (no actor: the parties' signatures are the authority, and a signer may
    not otherwise hand work to another party's unit)."""
    obligations = list(agreement.obligations.filter(milestone__isnull=True).select_related("unit"))
    base = agreement.cooperation.base
    if not obligations or base is None:
        return []
    if work_plan_of(base) is None:
        supervision_services.work_plan_create(
            actor=None,
            base=base,
            title=f"{base.name}工作方案",
            adopted_on=timezone.localdate(),
            summary=f"含协议《{agreement.title}》（{agreement.code}）约定的义务",
        )
    for obligation in obligations:
        obligation.milestone = supervision_services.milestone_create(
            actor=None,
            base=base,
            title=f"{obligation.title}（协议{agreement.code}）",
            owner_unit=obligation.unit,
            due_date=obligation.due_date,
            deliverable=obligation.deliverable,
        )
        obligation.save(update_fields=["milestone"])
    return obligations


@transaction.atomic
def agreement_renew(
    *, actor: User | None, agreement: Agreement, starts_on: dt.date, expires_on: dt.date
) -> Agreement:
    """A draft renewing a signed agreement: the same cooperation, kind, parties and signers
    and the text of the signed version, for a new term that starts after the old one
    began; linked to the old agreement (whose expiry reminders then stop). Once."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != AgreementState.SIGNED:
        raise _error("not_signed", "__all__", "只有已签署的协议可以续签")
    if agreement.renewals.exists():
        raise _error("renewed", "__all__", "该协议已有续签协议")
    if starts_on <= agreement.starts_on:
        raise _error("invalid", "starts_on", f"续签协议的起始日期须晚于{agreement.starts_on}")
    renewal = agreement_create(
        actor=actor,
        cooperation=agreement.cooperation,
        kind=agreement.kind,
        title=f"{agreement.title}（续签）"[:200],
        starts_on=starts_on,
        expires_on=expires_on,
        parties=[PartyData(unit=p.unit, signer=p.signer) for p in _parties(agreement)],
        content=latest_version(agreement).content,
    )
    renewal.renews = agreement
    renewal.save(update_fields=["renews"])
    return renewal


def _parties(agreement: Agreement) -> list[AgreementParty]:
    return list(agreement.parties.select_related("unit", "signer").order_by("position"))


@transaction.atomic
def ceremony_create(
    *,
    actor: User,
    title: str,
    owner_unit: Unit,
    held_on: dt.date,
    agreements: Sequence[Agreement],
) -> Ceremony:
    if not agreements:
        raise _error("invalid", "agreements", "请选择至少一份协议")
    ceremony = Ceremony(
        title=title.strip(),
        owner_unit=owner_unit,
        held_on=held_on,
        created_by=actor,
        updated_by=actor,
    )
    validate(ceremony)
    ceremony.save()
    Agreement.objects.filter(pk__in=[a.pk for a in agreements]).update(ceremony=ceremony)
    return ceremony


def remind_expiring(*, today: dt.date) -> int:
    """Tell the parties of each signed agreement that expires in 90, 30 or 7 days (or has
    expired) to renew it; once per agreement and threshold. Returns the notifications sent."""
    sent = 0
    horizon = today + dt.timedelta(days=max(REMIND_DAYS))
    due = (
        Agreement.objects.filter(state=AgreementState.SIGNED, expires_on__lte=horizon)
        .filter(renewals__isnull=True)  # renewed: the new agreement carries on
        .select_related("cooperation__owner_unit")
        .prefetch_related("parties__unit")
    )
    for agreement in due:
        left = (agreement.expires_on - today).days
        if left < 0:
            occasion, title = "expired", f"协议《{agreement.title}》已于{agreement.expires_on}到期"
        else:
            threshold = min(d for d in REMIND_DAYS if left <= d)
            occasion = f"{threshold}d"
            title = f"协议《{agreement.title}》将于{agreement.expires_on}到期，请商议续签"
        units = [p.unit for p in agreement.parties.all()]
        units.append(agreement.cooperation.owner_unit)
        county = settings_for(agreement.cooperation.owner_unit)
        if county is not None and county.office is not None:
            units.append(county.office)  # the county's 省校合作办 follows every renewal
        sent += len(
            notify(
                event=Event.REMINDER,
                about=agreement,
                title=title,
                body=f"协议编号 {agreement.code}，所属合作：{agreement.cooperation.title}",
                url=f"/signing/agreements/{agreement.pk}/",
                units=units,
                occasion=f"{agreement.expires_on}:{occasion}",
            )
        )
    return sent
