"""The records behind one indicator figure (``supervision/indicators.py``) for one subject and
period, as rows that link to each record's page — the click-through of the score pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse

from yanzhen.cooperation.models import Activity, Cooperation, Secondment
from yanzhen.cooperation.selectors import (
    activity_qs,
    base_qs,
    cooperation_qs,
    secondment_qs,
)
from yanzhen.core.forms import bounded_date
from yanzhen.core.indicators import Subject
from yanzhen.core.models import User
from yanzhen.core.schemas import as_id
from yanzhen.core.selectors import unit_qs
from yanzhen.supervision.indicators import (
    BY_CODE,
    REPORTS_ON_TIME,
    SOURCES,
    Definition,
    report_slots,
)
from yanzhen.supervision.models import Milestone, Problem, Report
from yanzhen.supervision.selectors import milestone_qs, problem_qs

DATE_FIELDS = {
    "cooperation.intentions": "intention_date",
    "cooperation.agreements": "agreement_date",
    "cooperation.landed": "landed_date",
    "cooperation.investment": "landed_date",
}


@dataclass
class RecordRow:
    label: str
    url: str
    date: dt.date | None
    detail: str = ""
    on_time: bool | None = None
    amount: Decimal | None = None


@dataclass
class Listing:
    error: str = ""
    code: str = ""
    label: str = ""
    measure: str = ""
    subject_name: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    value: Decimal | None = None
    rows: list[RecordRow] = field(default_factory=list)
    hidden: int = 0
    ratio: bool = False

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)


def _subject(user: User, text: str) -> tuple[Subject, str]:
    kind, _, pk_text = text.partition("-")
    pk = as_id(pk_text)
    if kind not in ("base", "unit") or pk is None:
        raise ValueError
    if kind == "base":
        base = base_qs(user).filter(pk=pk).first()
        if base is None:
            raise Http404
        return ("base", pk), base.name
    unit = unit_qs(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return ("unit", pk), unit.name


def listing(*, user: User, code: str, subject: str, start: str, end: str) -> Listing:
    sources = {s.code: s for s in SOURCES}
    if code not in sources:
        return Listing(error="请从考核得分页面点击指标值，查看其对应的记录。")
    start_date, end_date = bounded_date(start), bounded_date(end)
    try:
        if start_date is None or end_date is None:
            raise ValueError
        key, name = _subject(user, subject)
    except ValueError:
        return Listing(error="链接参数不正确：需要考核对象和起止日期。")
    source = sources[code]
    out = Listing(
        code=code,
        label=source.label,
        measure=source.measure,
        subject_name=name,
        start=start_date,
        end=end_date,
        value=source.compute([key], start_date, end_date).get(key),
        ratio=source.measure == "%",
    )
    if code == REPORTS_ON_TIME:
        _report_rows(out, key, start_date, end_date)
    else:
        _definition_rows(out, user, BY_CODE[code], key, start_date, end_date)
    return out


def _scoped(user: User, model: type[Model]) -> QuerySet[Any]:
    scoped: dict[type[Model], QuerySet[Any]] = {
        Cooperation: cooperation_qs(user),
        Activity: activity_qs(user),
        Secondment: secondment_qs(user),
        Milestone: milestone_qs(user),
        Problem: problem_qs(user),
    }
    return scoped[model]


def _definition_rows(
    out: Listing,
    user: User,
    definition: Definition,
    subject: Subject,
    start: dt.date,
    end: dt.date,
) -> None:
    records = definition.of(subject, start, end)
    model = records.model
    visible = records.filter(pk__in=_scoped(user, model).values("pk"))
    out.hidden = records.count() - visible.count()
    on_time: set[int] = set()
    if definition.on_time is not None:
        on_time = set(records.filter(definition.on_time).values_list("pk", flat=True))
    if model is Cooperation:
        date_field = DATE_FIELDS[definition.code]
        for c in visible.order_by(date_field, "id"):
            out.rows.append(
                RecordRow(
                    f"{c.code} {c.title}",
                    reverse("cooperation:cooperation_detail", args=[c.pk]),
                    getattr(c, date_field),
                    c.get_stage_display(),
                    amount=c.landed_investment if definition.sum_field else None,
                )
            )
    elif model is Activity:
        for a in visible.order_by("date", "id"):
            out.rows.append(
                RecordRow(
                    a.title,
                    reverse("cooperation:activity_detail", args=[a.pk]),
                    a.date,
                    a.get_kind_display(),
                )
            )
    elif model is Secondment:
        for s in visible.select_related("person", "university").order_by("start_date", "id"):
            out.rows.append(
                RecordRow(
                    f"{s.person.name} · {s.post}",
                    reverse("cooperation:secondment_detail", args=[s.pk]),
                    s.start_date,
                    s.university.name,
                )
            )
    elif model is Milestone:
        for m in visible.select_related("base").order_by("due_date", "id"):
            done = f"，{m.done_date:%Y-%m-%d}完成" if m.done_date else ""
            out.rows.append(
                RecordRow(
                    f"{m.base.name}：{m.title}",
                    reverse("cooperation:base_detail", args=[m.base_id]) + "#milestones",
                    m.due_date,
                    f"{m.get_status_display()}{done}",
                    on_time=m.pk in on_time,
                )
            )
    else:
        for p in visible.select_related("responsible_unit").order_by("deadline", "id"):
            solved = f"，{p.resolved_on:%Y-%m-%d}办结" if p.resolved_on else ""
            out.rows.append(
                RecordRow(
                    p.title,
                    reverse("supervision:problem_detail", args=[p.pk]),
                    p.deadline,
                    f"{p.get_state_display()}{solved}",
                    on_time=p.pk in on_time,
                )
            )


def _report_rows(out: Listing, subject: Subject, start: dt.date, end: dt.date) -> None:
    slots = list(report_slots(subject, start, end).order_by("round__deadline", "base__sort_order"))
    reports = {
        (r.round_id, r.base_id): r
        for r in Report.objects.filter(
            round_id__in={s.round_id for s in slots}, base_id__in={s.base_id for s in slots}
        )
    }
    for slot in slots:
        report = reports.get((slot.round_id, slot.base_id))
        status = "未报送" if report is None else ("逾期报送" if report.late else "按时报送")
        out.rows.append(
            RecordRow(
                f"{slot.round.title} · {slot.base.name}",
                reverse("supervision:round_detail", args=[slot.round_id]),
                slot.round.deadline,
                status,
                on_time=report is not None and not report.late,
            )
        )
