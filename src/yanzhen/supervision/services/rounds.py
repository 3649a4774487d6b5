"""Scheduling rounds (工作调度) and the bases' reports to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.core.counties import settings_for
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Unit, User
from yanzhen.core.workflow import Flow, pending_for_target, register_flow, review_submit
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.supervision.models import (
    Evidence,
    Milestone,
    MilestoneStatus,
    ProblemSource,
    Report,
    ReportItem,
    ReportReview,
    Round,
    RoundState,
)
from yanzhen.supervision.selectors import round_milestones
from yanzhen.supervision.services.common import check_unit, require_base, save
from yanzhen.supervision.services.problems import problem_create


def _check_deadline(round: Round) -> None:
    if round.deadline < round.opened_on:
        raise DomainError(
            "invalid", _("报送截止日期不能早于发起日期"), {"deadline": _("不能早于发起日期")}
        )


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    title: str,
    kind: str,
    opened_on: dt.date,
    deadline: dt.date,
    bases: Sequence[Base],
    note: str = "",
) -> Round:
    """The office opens a scheduling round for ``bases`` with a deadline for the reports."""
    if not bases:
        raise DomainError("invalid", _("请选择参加调度的基地"), {"bases": _("至少选择一个基地")})
    round = Round(
        title=title.strip(), kind=kind, opened_on=opened_on, deadline=deadline, note=note.strip()
    )
    _check_deadline(round)
    for base in bases:
        require_base(actor, base, "bases")
    save(round, actor)
    round.bases.set(bases)
    for base in bases:  # each base's lead department is asked for its report
        notify(
            event=Event.ROUND_OPENED,
            about=round,
            occasion=f"base:{base.pk}",
            title=f"请报送{round.title}（{base.name}），{deadline:%Y-%m-%d}前",
            body=round.note,
            url=reverse("supervision:report_edit", args=[round.pk, base.pk]),
            units=[base.lead_department],
            actor=actor,
        )
    return round


ROUND_FIELDS = ("title", "deadline", "note", "state")


@transaction.atomic
def round_update(*, actor: User | None, round: Round, **fields: Any) -> Round:
    """Change a round's title, deadline or requirements, or close (and reopen) it
    (``ROUND_FIELDS``; the others keep their values).

    Reports already in keep their late mark: it is set once, at the first submission."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(round, name, value)
    _check_deadline(round)
    round.title = round.title.strip()
    round.note = round.note.strip()
    save(round, actor)
    return round


@dataclass
class ProgressInput:
    """A milestone's progress as the report form, the API or the demo give it."""

    milestone: Milestone
    percent: int
    progress: str = ""
    evidence: UploadedFile[bytes] | None = None


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    round: Round,
    base: Base,
    summary: str,
    items: Sequence[ProgressInput],
    problems: Sequence[str] = (),
) -> Report:
    """A base's report to a round (again to update it while the round is open).

    The first submission after the deadline day marks the report late. A milestone reported
    at 100 % is marked done on the day of the report. Each line of ``problems`` is raised as
    a problem of the base, coming from this round."""
    if round.state != RoundState.OPEN:
        raise DomainError("round_closed", _("本轮调度已结束，不能再报送"))
    if not round.bases.filter(pk=base.pk).exists():
        raise DomainError(
            "not_in_round",
            _("“%(base)s”不在本轮调度范围内") % {"base": base.name},
            {"base": _("不在本轮")},
        )
    check_unit(actor, base.lead_department, field="base", label=_("基地牵头部门"))
    allowed = {m.pk for m in round_milestones(round, base)}
    errors: dict[str, str] = {}
    for item in items:
        key = f"percent_{item.milestone.pk}"
        if item.milestone.pk not in allowed:
            errors[key] = _("“%(title)s”不是本基地本轮需报送的节点任务") % {
                "title": item.milestone.title
            }
        elif not 0 <= item.percent <= 100:
            errors[key] = _("完成进度应在 0 到 100 之间")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    now = timezone.now()
    today = timezone.localdate(now)
    report = Report.objects.filter(round=round, base=base).first()
    if report is None:
        report = Report(
            round=round,
            base=base,
            submitted_at=now,
            late=today > round.deadline,
            created_by=actor,
        )
    report.summary = summary.strip()
    report.updated_by = actor
    report.save()
    for item in items:
        row, _created = ReportItem.objects.update_or_create(
            report=report,
            milestone=item.milestone,
            defaults={"percent": item.percent, "progress": item.progress.strip()},
        )
        if item.evidence:  # None or False (a cleared field): no file
            evidence = Evidence(
                item=row, name=(item.evidence.name or _("佐证材料"))[:200], uploaded_by=actor
            )
            evidence.file.save(item.evidence.name or "evidence", item.evidence, save=False)
            evidence.save()
        milestone = item.milestone
        if item.percent == 100 and milestone.status != MilestoneStatus.DONE:
            milestone.status = MilestoneStatus.DONE
            milestone.done_date = today
            milestone.updated_by = actor
            milestone._history_user = actor  # type: ignore[attr-defined]
            milestone.save(update_fields=["status", "done_date", "updated_by", "updated_at"])
        elif (
            item.percent < 100 and milestone.status == MilestoneStatus.NOT_STARTED and item.percent
        ):
            milestone.status = MilestoneStatus.IN_PROGRESS
            milestone._history_user = actor  # type: ignore[attr-defined]
            milestone.save(update_fields=["status", "updated_at"])
    for line in problems:
        if line.strip():
            problem_create(
                actor=actor,
                title=line.strip()[:200],
                base=base,
                raised_by_unit=base.lead_department,
                source=ProblemSource.ROUND,
                round=round,
            )
    _submit_for_review(actor, report)
    return report


# The office accepts or returns each report (core.workflow) --------------------------------------


def _report_reviewer(report: Report, unit: Unit | None) -> Unit | None:
    settings = settings_for(unit)
    return settings.office if settings is not None else None


def _report_accept(approval: ApprovalRequest, approver: User) -> None:
    Report.objects.filter(pk=approval.target_id).update(review=ReportReview.ACCEPTED)


def _report_return(approval: ApprovalRequest, approver: User) -> None:
    Report.objects.filter(pk=approval.target_id).update(review=ReportReview.RETURNED)


REPORT_FLOW = register_flow(
    Flow(
        code="supervision.report",
        label="调度报告",
        model=Report,
        permission="supervision.review_report",
        reviewer=_report_reviewer,
        title=lambda r: f"{r.round.title} · {r.base.name}",
        url=lambda r: reverse("supervision:round_detail", args=[r.round_id]),
        apply=_report_accept,
        on_return=_report_return,
    ),
)


def _submit_for_review(actor: User | None, report: Report) -> None:
    """A lead department's report waits for the office's review (once open per report: a
    report updated while waiting stays in the same review)."""
    unit = report.base.lead_department
    if actor is None or _report_reviewer(report, unit) in (None, unit):
        return
    if pending_for_target(report).filter(kind=REPORT_FLOW.code).exists():
        return
    Report.objects.filter(pk=report.pk).update(review=ReportReview.SUBMITTED)
    report.review = ReportReview.SUBMITTED
    review_submit(flow=REPORT_FLOW, target=report, actor=actor, unit=unit, note=_("调度报告"))
