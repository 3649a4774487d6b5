"""Briefings: drafted by the office in the template language, reviewed by another office member,
签发 by the leader — both steps flows of ``core.workflow``, in the reviewers' inbox
(/reviews/) — and frozen when issued.

Issuing stores a snapshot of each figure the briefing names (value, definition, filter, time,
the ids and versions of the records behind it and their hash), so that the issued briefing
reads the same later, even after records change or are purged, and a later check proves which
records made each figure. The .docx and the PDF are written from the snapshot once issued, from
live figures before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from yanzhen.core import counties, workflow
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, User, check_version
from yanzhen.core.scope import scope_of
from yanzhen.engines.briefing_template import (
    Block,
    Kind,
    Template,
    TemplateError,
    Value,
    format_value,
    parse,
)
from yanzhen.reports import figures
from yanzhen.reports.figures import Context, Period, records_hash
from yanzhen.reports.gongwen import Document, GongwenError
from yanzhen.reports.gongwen import Kind as DocKind
from yanzhen.reports.models import Briefing, BriefingFigure, BriefingKind, BriefingTemplate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


class State:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    AWAITING_SIGN = "awaiting_sign"
    ISSUED = "issued"


STATE_LABELS = {
    State.DRAFT: "拟稿",
    State.IN_REVIEW: "待审核",
    State.AWAITING_SIGN: "待签发",
    State.ISSUED: "已印发",
}


# The template ----------------------------------------------------------------------------------


def parse_text(text: str) -> Template:
    """The briefing's template parsed with the catalogue; a DomainError naming the line and
    column (beside the field ``text``) when it cannot be."""
    try:
        return parse(text, figures.template_catalogue())
    except TemplateError as error:
        raise DomainError(
            "template",
            str(error),
            {"text": str(error)},
        ) from error


def template_errors(text: str) -> list[dict[str, Any]]:
    """The errors of a template text (line, column, message), empty when it parses."""
    try:
        parse(text, figures.template_catalogue())
    except TemplateError as error:
        return [{"line": error.line, "column": error.column, "message": error.message}]
    return []


# Writes ----------------------------------------------------------------------------------------

FIELDS = (
    "kind",
    "title",
    "unit",
    "start",
    "end",
    "text",
    "issue",
    "masthead",
    "number",
    "recipients",
    "report_to",
    "copy_to",
    "signature",
)


@dataclass
class BriefingData:
    kind: str
    title: str
    unit: Unit
    start: dt.date
    end: dt.date
    text: str
    masthead: str
    signature: str
    issue: int | None = None
    number: str = ""
    recipients: str = ""
    report_to: str = ""
    copy_to: str = ""
    template: BriefingTemplate | None = None


def _validate(data: BriefingData) -> None:
    if data.end < data.start:
        message = "统计截止日期不能早于起始日期"
        raise DomainError("period", message, {"end": message})
    if data.kind == BriefingKind.BULLETIN and not data.issue:
        message = "工作简报须填写期号"
        raise DomainError("issue", message, {"issue": message})
    parse_text(data.text)


@transaction.atomic
def briefing_create(*, actor: User, data: BriefingData) -> Briefing:
    _validate(data)
    briefing = Briefing(
        drafter=actor,
        created_by=actor,
        updated_by=actor,
        template=data.template,
        **{f: getattr(data, f) for f in FIELDS},
    )
    briefing.full_clean()
    briefing.save()
    return briefing


@transaction.atomic
def briefing_update(
    *, actor: User, briefing: Briefing, data: BriefingData, version: int
) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if state_of(briefing) != State.DRAFT:
        message = "简报已提交审核或已印发，不能再修改"
        raise DomainError("not_draft", message, {"__all__": message}, status=409)
    _validate(data)
    check_version(briefing, version)
    for field in FIELDS:
        setattr(briefing, field, getattr(data, field))
    briefing.updated_by = actor
    briefing.full_clean()
    briefing.save()
    return briefing


def _open(briefing: Briefing, flow: workflow.Flow) -> ApprovalRequest | None:
    return workflow.pending_for_target(briefing).filter(kind=flow.code).order_by("-id").first()


def state_of(briefing: Briefing) -> str:
    if briefing.issued_at is not None:
        return State.ISSUED
    open_kinds = set(workflow.pending_for_target(briefing).values_list("kind", flat=True))
    if SIGN.code in open_kinds:
        return State.AWAITING_SIGN
    if REVIEW.code in open_kinds:
        return State.IN_REVIEW
    return State.DRAFT


def briefing_submit(
    *, actor: User, briefing: Briefing, request: HttpRequest | None = None
) -> ApprovalRequest:
    """The drafter asks another office member to review the briefing (it then waits in their
    review inbox, /reviews/)."""
    if state_of(briefing) != State.DRAFT:
        message = "简报已提交审核或已印发"
        raise DomainError("not_draft", message, {"__all__": message}, status=409)
    if actor.pk != briefing.drafter_id:
        message = "只有拟稿人可以提交审核"
        raise DomainError("not_drafter", message, {"__all__": message}, status=403)
    parse_text(briefing.text)
    return workflow.review_submit(
        flow=REVIEW,
        target=briefing,
        actor=actor,
        unit=actor.unit,
        note=f"提请审核：{briefing.title}",
        request=request,
    )


def _locked(approval: ApprovalRequest) -> Briefing:
    return Briefing.objects.select_for_update().get(pk=approval.target_id)


def _apply_review(approval: ApprovalRequest, approver: User) -> None:
    """Reviewed: by another office member than the drafter; the 签发 is asked of the leader
    (it waits in the leader's review inbox)."""
    briefing = _locked(approval)
    if approver.pk == briefing.drafter_id:
        message = "审核人不能是拟稿人"
        raise DomainError("self_review", message, {"__all__": message}, status=403)
    briefing.reviewed_by = approver
    briefing.reviewed_at = timezone.now()
    briefing.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
    workflow.review_submit(
        flow=SIGN,
        target=briefing,
        actor=approver,
        unit=approver.unit,
        note=f"审核通过，提请签发：{briefing.title}",
    )


def _apply_sign(approval: ApprovalRequest, approver: User) -> None:
    """签发: the figures are frozen, the briefing is issued and its readers are told."""
    briefing = _locked(approval)
    if approver.pk in (briefing.drafter_id, briefing.reviewed_by_id):
        message = "签发人不能是拟稿人或审核人"
        raise DomainError("self_sign", message, {"__all__": message}, status=403)
    issue_now(briefing=briefing, signer=approver)
    from yanzhen.notifications.services import notify  # notifications depend on core only

    notify(
        event="briefing.issued",
        about=briefing,
        title=f"{briefing.get_kind_display()}印发：{briefing.title}",
        url=reverse("reports:briefing_detail", args=[briefing.pk]),
        users=[u for u in (briefing.drafter, briefing.reviewed_by) if u is not None],
        units=[briefing.unit],
        actor=approver,
    )


def _signing_unit(briefing: Briefing, unit: Unit | None) -> Unit | None:
    """The leader's unit: the county of the office that reviewed (or of the briefing)."""
    return counties.county_of(unit) or counties.county_of(briefing.unit)


def _briefing_url(briefing: Briefing) -> str:
    return reverse("reports:briefing_detail", args=[briefing.pk])


# Review: four eyes inside the drafter's unit (another holder of the permission, never the
# drafter). 签发: the leader of the county above (``reports.sign_briefing``, nothing else).
REVIEW = workflow.register_flow(
    workflow.Flow(
        code="reports.briefing_review",
        label="简报审核",
        model=Briefing,
        permission="reports.review_briefing",
        reviewer=lambda briefing, unit: unit,
        title=lambda b: b.title,
        url=_briefing_url,
        apply=_apply_review,
        deadline_days=3,
    )
)
SIGN = workflow.register_flow(
    workflow.Flow(
        code="reports.briefing_sign",
        label="简报签发",
        model=Briefing,
        permission="reports.sign_briefing",
        reviewer=_signing_unit,
        title=lambda b: b.title,
        url=_briefing_url,
        apply=_apply_sign,
        deadline_days=3,
    )
)


def may_decide(briefing: Briefing, user: User) -> bool:
    """Whether the briefing's open step (review or 签发) is in ``user``'s review inbox."""
    return (
        workflow.inbox_qs(user)
        .filter(
            kind__in=[REVIEW.code, SIGN.code],
            target_type__app_label="reports",
            target_type__model="briefing",
            target_id=briefing.pk,
        )
        .exists()
    )


def briefing_decide(
    *,
    actor: User,
    briefing: Briefing,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Decide the open step of the briefing (review or 签发): approve, or return with a note
    (the briefing is a draft again). The same decision as in the review inbox."""
    for flow in (SIGN, REVIEW):
        approval = _open(briefing, flow)
        if approval is not None:
            return workflow.review_decide(
                approval=approval,
                approver=actor,
                decision="approve" if approve else "return",
                comment=note,
                request=request,
            )
    message = "该简报没有待审核或待签发的步骤"
    raise DomainError("nothing_open", message, {"__all__": message}, status=409)


def _raw(value: Value) -> str:
    return "" if value is None else str(value)


def _unraw(kind: Kind, raw: str) -> Value:
    if raw == "":
        return None
    if kind is Kind.TEXT:
        return raw
    if kind is Kind.COUNT:
        return int(raw)
    return Decimal(raw)


def _context(briefing: Briefing, user: AnyUser) -> Context:
    return Context(user=user, period=Period(briefing.start, briefing.end), unit=briefing.unit)


def issue_now(*, briefing: Briefing, signer: User) -> Briefing:
    """Freeze the briefing's figures (computed in the signer's scope, for its unit)."""
    template = parse_text(briefing.text)
    ctx = _context(briefing, signer)
    now = timezone.now()
    rows = []
    digest = hashlib.sha256()
    for ref in template.figures():
        result = figures.compute(ref, ctx)
        records = result.record_versions()
        model = result.model_label
        row_hash = records_hash(model, records)
        digest.update(f"{ref.key}={_raw(result.value)}:{row_hash}\n".encode())
        rows.append(
            BriefingFigure(
                briefing=briefing,
                key=ref.key,
                value=format_value(figures.kind_of(ref.name), result.value),
                raw=_raw(result.value),
                definition=result.definition[:300],
                filter={
                    "start": result.period.start.isoformat(),
                    "end": result.period.end.isoformat(),
                    "unit": briefing.unit.code or briefing.unit.name,
                    "unit_id": briefing.unit.pk,
                    "figure": ref.key,
                },
                computed_at=now,
                model=model,
                records=[[pk, version] for pk, version in records],
                records_hash=row_hash,
            )
        )
    BriefingFigure.objects.bulk_create(rows)
    briefing.frozen_text = briefing.text
    briefing.snapshot_hash = digest.hexdigest()
    briefing.signed_by = signer
    briefing.issued_at = now
    briefing.issued_on = timezone.localdate()
    briefing.save(
        update_fields=[
            "frozen_text",
            "snapshot_hash",
            "signed_by",
            "issued_at",
            "issued_on",
            "updated_at",
        ]
    )
    return briefing


# Reads -----------------------------------------------------------------------------------------


def briefing_qs(user: AnyUser) -> QuerySet[Briefing]:
    return Briefing.objects.filter(scope_of(user).q("unit"))


def briefing_list(*, user: AnyUser) -> QuerySet[Briefing]:
    pending = ApprovalRequest.objects.filter(
        target_type__app_label="reports",
        target_type__model="briefing",
        target_id=OuterRef("pk"),
        state=RequestState.REQUESTED,
    )
    return (
        briefing_qs(user)
        .select_related("unit", "drafter")
        .annotate(
            in_review=Exists(pending.filter(kind=REVIEW.code)),
            awaiting_sign=Exists(pending.filter(kind=SIGN.code)),
        )
        .order_by("-end", "-id")
    )


def briefing_get(user: AnyUser, pk: int) -> Briefing:
    return get_object_or_404(
        briefing_qs(user).select_related("unit", "drafter", "reviewed_by", "signed_by"), pk=pk
    )


@dataclass(frozen=True)
class Shown:
    """A figure of the briefing as its page shows it."""

    key: str
    value: str
    definition: str
    url: str
    live: str  # the live value, for an issued briefing
    changed: bool
    records: int


def figure_values(briefing: Briefing, user: AnyUser) -> tuple[dict[str, Value], list[Shown]]:
    """The values the briefing is written with — frozen once issued, live before — and each
    figure as the page shows it (for an issued one, the live value beside the frozen one)."""
    template = parse_text(briefing.frozen_text or briefing.text)
    ctx = _context(briefing, user)
    values: dict[str, Value] = {}
    shown: list[Shown] = []
    if briefing.issued_at is not None:
        frozen = {f.key: f for f in briefing.figures.all()}
        for ref in template.figures():
            figure = frozen[ref.key]
            kind = figures.kind_of(ref.name)
            values[ref.key] = _unraw(kind, figure.raw)
            live = figures.compute(ref, ctx)
            live_text = format_value(kind, live.value)
            shown.append(
                Shown(
                    key=ref.key,
                    value=figure.value,
                    definition=figure.definition,
                    url=reverse("reports:briefing_figure", args=[briefing.pk, figure.pk]),
                    live=live_text,
                    changed=live_text != figure.value,
                    records=len(figure.records),
                )
            )
        return values, shown
    for ref in template.figures():
        result = figures.compute(ref, ctx)
        values[ref.key] = result.value
        text = format_value(figures.kind_of(ref.name), result.value)
        shown.append(
            Shown(
                key=ref.key,
                value=text,
                definition=result.definition,
                url=figures.records_url(ref.key, ctx),
                live=text,
                changed=False,
                records=result.records.count() if result.records is not None else 0,
            )
        )
    return values, shown


def blocks_of(briefing: Briefing, values: dict[str, Value]) -> tuple[Block, ...]:
    template = parse_text(briefing.frozen_text or briefing.text)
    try:
        return template.render(values)
    except TemplateError as error:
        raise DomainError("template", str(error), {"text": str(error)}) from error


def _names(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p)


def document_of(briefing: Briefing, blocks: tuple[Block, ...]) -> Document:
    """The briefing as a 工作简报 or a 公文 (GB/T 9704-2012)."""
    day = briefing.issued_on or briefing.end
    signer = briefing.signed_by.full_name if briefing.signed_by else ""
    if briefing.kind == BriefingKind.BULLETIN:
        return Document(
            DocKind.BRIEFING,
            briefing.title,
            blocks,
            masthead=briefing.masthead,
            issue=briefing.issue,
            compiler=briefing.signature,
            issued_on=day,
            report_to=_names(briefing.report_to),
            copy_to=_names(briefing.copy_to),
        )
    return Document(
        DocKind.OFFICIAL,
        briefing.title,
        blocks,
        masthead=briefing.masthead,
        number=briefing.number,
        signer=signer,
        recipients=_names(briefing.recipients),
        signature=briefing.signature,
        signed_on=day,
        copy_to=_names(briefing.copy_to),
        printed_by=briefing.signature,
        printed_on=day,
    )


def briefing_docx(briefing: Briefing, user: AnyUser, *, for_libreoffice: bool = False) -> bytes:
    from yanzhen.reports.gongwen import render_docx  # python-docx, loaded when asked

    values, _ = figure_values(briefing, user)
    try:
        return render_docx(
            document_of(briefing, blocks_of(briefing, values)), for_libreoffice=for_libreoffice
        )
    except GongwenError as error:
        raise DomainError("document", str(error)) from error


def briefing_pdf(briefing: Briefing, user: AnyUser) -> bytes:
    # The LibreOffice runner: loaded only when a PDF is asked for.
    from yanzhen.reports.pdf import PdfError, docx_to_pdf

    data = briefing_docx(briefing, user, for_libreoffice=True)
    try:
        return docx_to_pdf(data)
    except PdfError as error:
        raise DomainError("pdf", str(error), status=503) from error


def verify(briefing: Briefing) -> list[str]:
    """The keys of the frozen figures whose stored records no longer match their hash."""
    return [
        f.key
        for f in briefing.figures.all()
        if records_hash(f.model, [(pk, v) for pk, v in f.records]) != f.records_hash
    ]
