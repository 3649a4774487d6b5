"""Work plans in Excel (through ``core.excel``): the milestones of the bases exported in the
columns of the import template — imported back through the one import flow (register
``milestones``, ``supervision.importers``) — and the XLSX of a round's scheduling summary for
the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils import timezone

from yanzhen.core.excel import (
    Column,
    write_xlsx,
)
from yanzhen.core.models import User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import unit_qs
from yanzhen.supervision.models import Milestone, MilestoneStatus
from yanzhen.supervision.selectors import RoundSummary

STATUS_BY_LABEL = {label: value for value, label in MilestoneStatus.choices}


def columns() -> tuple[Column, ...]:
    return (
        Column("id", "节点编号", kind="int", width=10, help="新增时留空"),
        Column("base", "基地编号", required=True, width=10),
        Column("base_name", "基地名称", width=28, readonly=True),
        Column("title", "节点任务", required=True, width=36),
        Column("owner_unit", "责任单位", required=True, width=24),
        Column("due_date", "完成时限", kind="date", required=True, width=12),
        Column("deliverable", "预期成果", width=24),
        Column(
            "status", "状态", kind="choice", required=True, choices=tuple(STATUS_BY_LABEL), width=10
        ),
        Column("done_date", "完成日期", kind="date", width=12),
        Column("sort_order", "排序", kind="int", width=8),
    )


NOTES = (
    "1. 带 * 的列必填；状态请从下拉列表选择（未开始、推进中、已完成）。",
    "2. 基地编号如 YJ-B01；责任单位写全称，重名时写成“上级单位/名称”。",
    "3. 日期写成 2021-03-31；状态为“已完成”须填完成日期，其他状态不填。",
    "4. 节点编号留空表示新增；有编号的行更新该节点。同一文件重复导入不会重复新增。",
    "5. 导入时整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
)


def template_bytes() -> bytes:
    return write_xlsx("工作方案节点", columns(), [], notes=NOTES, mark_required=True)


def export_row(*, user: User) -> Callable[[Milestone], Sequence[Any]]:
    """The row of a milestone in the import layout (its unit named as an import finds it)."""
    resolvers: list[UnitResolver] = []

    def row(m: Milestone) -> Sequence[Any]:
        if not resolvers:  # read the units once, when the first row is written
            resolvers.append(UnitResolver.of(unit_qs(user)))
        return (
            m.pk,
            m.base.code,
            m.base.name,
            m.title,
            resolvers[0].label(m.owner_unit_id) or m.owner_unit.name,
            m.due_date,
            m.deliverable,
            m.get_status_display(),
            m.done_date,
            m.sort_order,
        )

    return row


# The scheduling summary of a round ------------------------------------------------------------

STATUS_LABELS = {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送"}


def summary_columns() -> tuple[Column, ...]:
    return (
        Column("n", "序号", kind="int", width=6),
        Column("base", "基地", width=28),
        Column("lead", "牵头部门", width=22),
        Column("leader", "责任领导", width=12),
        Column("status", "报送情况", width=10),
        Column("at", "报送时间", width=18),
        Column("progress", "节点任务进展", width=60),
        Column("summary", "总体进展", width=40),
        Column("problems", "提出的问题", width=40),
    )


def summary_rows(summary: RoundSummary) -> Iterable[Sequence[Any]]:
    for n, row in enumerate(summary.rows, start=1):
        report = row.report
        submitted = report.submitted_at if report else None
        yield (
            n,
            row.base.name,
            row.base.lead_department.name,
            row.base.leader.name if row.base.leader else "",
            STATUS_LABELS[row.status],
            _local(submitted) if submitted else "",
            "；".join(f"{i.milestone.title} {i.percent}%" for i in row.items),
            report.summary if report else "",
            "；".join(p.title for p in row.problems),
        )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
