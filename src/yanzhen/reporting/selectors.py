"""Reads of the reporting tasks, always through the reader's data scope: a submission is seen
by the users whose scope holds its unit (the unit itself, its town, the office), a task by
those who see its issuing office or one of its submissions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, number, text
from yanzhen.core.models import Unit
from yanzhen.core.scope import scope_of
from yanzhen.reporting.fields import NUMBER_TYPES, FieldSpec, specs_from_json
from yanzhen.reporting.models import (
    MISSING_STATES,
    Recurrence,
    Submission,
    SubmissionFile,
    SubmissionState,
    Task,
    TaskState,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser


def submission_qs(user: AnyUser) -> QuerySet[Submission]:
    return Submission.objects.filter(scope_of(user).q("unit", None))


def task_qs(user: AnyUser) -> QuerySet[Task]:
    scope = scope_of(user)
    if scope.everything:
        return Task.objects.all()
    mine = submission_qs(user).values("task_id")
    return Task.objects.filter(scope.q("owner_unit", None) | Q(pk__in=mine))


@dataclass(frozen=True)
class TaskFilters(Filters):
    q: str = text("搜索")
    year: int | None = number("截止年份", low=1990, high=2100)
    state: str = choice("状态", TaskState)
    recurrence: str = choice("重复", Recurrence)


def task_list(*, user: AnyUser, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """Tasks with the number of their submissions the reader sees, by state."""
    visible = Q(submissions__in=submission_qs(user))

    def count(*states: str) -> Count:
        return Count("submissions", filter=visible & Q(submissions__state__in=states))

    qs = (
        task_qs(user)
        .select_related("owner_unit")
        .annotate(
            n_units=Count("submissions", filter=visible),
            n_submitted=count(SubmissionState.SUBMITTED),
            n_approved=count(SubmissionState.APPROVED),
            n_missing=count(*MISSING_STATES),
        )
        .order_by("-deadline", "-id")
    )
    if filters is not None:
        if filters.q:
            qs = qs.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
        if filters.year is not None:
            qs = qs.filter(deadline__year=filters.year)
        if filters.state:
            qs = qs.filter(state=filters.state)
        if filters.recurrence:
            qs = qs.filter(recurrence=filters.recurrence)
    return qs


def task_get(user: AnyUser, pk: int) -> Task:
    return get_object_or_404(task_qs(user).select_related("owner_unit"), pk=pk)


@dataclass(frozen=True)
class SubmissionFilters(Filters):
    q: str = text("单位")
    state: str = choice("状态", SubmissionState)


def task_submissions(
    *, user: AnyUser, task: Task, filters: SubmissionFilters | None = None
) -> QuerySet[Submission]:
    """The task's submissions in the reader's scope, in the order of the unit tree."""
    qs = (
        submission_qs(user)
        .filter(task=task)
        .select_related("unit", "reviewer_unit", "submitted_by", "reviewed_by", "task")
        .order_by("unit__sort_order", "unit_id")
    )
    if filters is not None:
        if filters.q:
            qs = qs.filter(Q(unit__name__icontains=filters.q) | Q(unit__short_name=filters.q))
        if filters.state:
            qs = qs.filter(state=filters.state)
    return qs


def submission_get(user: AnyUser, pk: int) -> Submission:
    qs = submission_qs(user).select_related(
        "task", "task__owner_unit", "unit", "reviewer_unit", "submitted_by", "reviewed_by"
    )
    return get_object_or_404(qs, pk=pk)


def submission_file_get(user: AnyUser, pk: int) -> SubmissionFile:
    qs = SubmissionFile.objects.filter(submission__in=submission_qs(user))
    return get_object_or_404(qs.select_related("submission"), pk=pk)


def submissions_awaiting_review(user: AnyUser) -> QuerySet[Submission]:
    """The submitted submissions ``user`` decides (the review inbox): in the user's scope,
    of the user's unit as reviewer, never the user's own unit's; none without the permission."""
    if (
        not user.is_authenticated
        or user.unit_id is None
        or not user.has_perm("reporting.review_submission")
    ):
        return Submission.objects.none()
    return (
        submission_qs(user)
        .filter(state=SubmissionState.SUBMITTED, reviewer_unit_id=user.unit_id)
        .exclude(unit_id=user.unit_id)
        .select_related("task", "unit", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def can_review(user: AnyUser, submission: Submission) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("reporting.review_submission")
        and submission.state == SubmissionState.SUBMITTED
        and user.unit_id == submission.reviewer_unit_id
        and user.unit_id != submission.unit_id
    )


def can_fill(user: AnyUser, submission: Submission) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("reporting.change_submission")
        and user.unit_id == submission.unit_id
        and submission.state in MISSING_STATES
    )


# Roll-up ------------------------------------------------------------------------------------


@dataclass
class Rollup:
    """The figures of a task as the reader sees them: totals per field of the approved
    submissions (numbers summed, choices counted), the subtotal of each reviewing unit (a
    town's villages, the office's units), each unit's row, and the units still missing."""

    specs: list[FieldSpec]
    totals: dict[str, Any]
    subtotals: dict[int, dict[str, Any]]
    rows: list[Submission]
    missing: list[Unit]
    reviewers: dict[int, Unit] = field(default_factory=dict)


def summed_keys(specs: list[FieldSpec]) -> list[tuple[str, str, str]]:
    """(total key, label, type) of every summed figure: number fields, and the number
    columns of tables as ``table.column``."""
    out = []
    for spec in specs:
        if spec.type in NUMBER_TYPES:
            out.append((spec.key, spec.label, spec.type))
        elif spec.type == "table":
            out.extend(
                (f"{spec.key}.{c.key}", f"{spec.label}·{c.label}", c.type)
                for c in spec.columns
                if c.type in NUMBER_TYPES
            )
    return out


def _totals(specs: list[FieldSpec], submissions: list[Submission]) -> dict[str, Any]:
    keys = summed_keys(specs)
    sums: dict[str, Decimal] = {key: Decimal(0) for key, _label, _type in keys}
    counts: dict[str, dict[str, int]] = {
        s.key: dict.fromkeys(s.choices, 0) for s in specs if s.type in ("choice", "multichoice")
    }
    for submission in submissions:
        values = submission.values
        for spec in specs:
            value = values.get(spec.key)
            if value is None:
                continue
            if spec.type in NUMBER_TYPES:
                sums[spec.key] += Decimal(str(value))
            elif spec.type == "choice" and value in counts[spec.key]:
                counts[spec.key][value] += 1
            elif spec.type == "multichoice":
                for option in value:
                    if option in counts[spec.key]:
                        counts[spec.key][option] += 1
            elif spec.type == "table":
                for row in value:
                    for column in spec.columns:
                        cell = row.get(column.key)
                        if column.type in NUMBER_TYPES and cell is not None:
                            sums[f"{spec.key}.{column.key}"] += Decimal(str(cell))
    out: dict[str, Any] = {}
    for key, _label, kind in keys:
        out[key] = int(sums[key]) if kind == "integer" else str(sums[key].quantize(Decimal("0.01")))
    out.update(counts)
    return out


def rollup(*, user: AnyUser, task: Task) -> Rollup:
    specs = specs_from_json(task.fields)
    rows = list(task_submissions(user=user, task=task))
    approved = [s for s in rows if s.state == SubmissionState.APPROVED]
    by_reviewer: dict[int, list[Submission]] = defaultdict(list)
    reviewers: dict[int, Unit] = {}
    for submission in approved:
        by_reviewer[submission.reviewer_unit_id].append(submission)
        reviewers[submission.reviewer_unit_id] = submission.reviewer_unit
    return Rollup(
        specs=specs,
        totals=_totals(specs, approved),
        subtotals={pk: _totals(specs, subs) for pk, subs in by_reviewer.items()},
        rows=rows,
        missing=[s.unit for s in rows if s.state in MISSING_STATES],
        reviewers=reviewers,
    )
