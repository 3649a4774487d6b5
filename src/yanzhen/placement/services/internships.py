"""Interns: their logs, their hosts' feedback, the end of an internship (completed, left, or
hired into the registry) and the conversion figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from yanzhen.core.models import User
from yanzhen.placement.models import HostFeedback, InternLog, Internship, InternshipStatus
from yanzhen.talent.models import TalentType
from yanzhen.talent.services.common import fail, not_in_future, save
from yanzhen.talent.services.registry import talent_create


def intern_log_create(
    *, actor: User | None, internship: Internship, date: dt.date, hours: Decimal, content: str
) -> InternLog:
    if date < internship.start_date or (
        internship.end_date is not None and date > internship.end_date
    ):
        raise fail("date", "日期应在实习期内")
    not_in_future(date, "date", "日期")
    if not Decimal(0) < hours <= Decimal(24):
        raise fail("hours", "时长应在0到24小时之间")
    log = InternLog(internship=internship, date=date, hours=hours, content=content.strip())
    save(log, actor)
    return log


def host_feedback_create(
    *,
    actor: User | None,
    internship: Internship,
    date: dt.date,
    score: int,
    comment: str = "",
    recommend_hire: bool = False,
) -> HostFeedback:
    if not 1 <= score <= 5:
        raise fail("score", "评价应为1到5分")
    not_in_future(date, "date", "日期")
    if date < internship.start_date:
        raise fail("date", "日期不能早于实习开始")
    feedback = HostFeedback(
        internship=internship,
        date=date,
        score=score,
        comment=comment.strip(),
        recommend_hire=recommend_hire,
    )
    save(feedback, actor)
    return feedback


INTERNSHIP_MOVES: dict[str, tuple[str, ...]] = {
    InternshipStatus.COMPLETED: (InternshipStatus.ACTIVE,),
    InternshipStatus.LEFT: (InternshipStatus.ACTIVE,),
    InternshipStatus.HIRED: (InternshipStatus.ACTIVE, InternshipStatus.COMPLETED),
}


@transaction.atomic
def internship_move(
    *,
    actor: User | None,
    internship: Internship,
    target: str,
    date: dt.date,
    note: str = "",
    hire_type: str = TalentType.FULL_TIME,
) -> Internship:
    """Complete an internship, record an early departure, or hire the intern (a new talent
    record at the host unit: the conversion)."""
    internship = (
        Internship.objects.select_for_update().select_related("talent").get(pk=internship.pk)
    )
    labels = dict(InternshipStatus.choices)
    if target not in INTERNSHIP_MOVES:
        raise fail("target", "操作不正确")
    if internship.status not in INTERNSHIP_MOVES[target]:
        raise fail("target", f"“{labels[internship.status]}”的实习不能变更为“{labels[target]}”")
    if date < internship.start_date:
        raise fail("date", "日期不能早于实习开始")
    if target == InternshipStatus.LEFT and not note.strip():
        raise fail("note", "中途离开须说明原因")
    intern = internship.talent
    if target in (InternshipStatus.COMPLETED, InternshipStatus.LEFT):
        internship.end_date = date
        intern.end_date = date
        save(intern, actor, history=True)
    else:
        if hire_type == TalentType.INTERN:
            raise fail("hire_type", "留用后的人才类型不能是实习实训学生")
        if internship.end_date is None or internship.end_date > date:
            internship.end_date = date
            intern.end_date = date
            save(intern, actor, history=True)
        internship.hired_talent = talent_create(
            actor=actor,
            person=intern.person,
            talent_type=hire_type,
            degree=intern.degree,
            university=intern.university,
            discipline=intern.discipline,
            employer=internship.host_unit,
            channel="other",
            start_date=date,
            note="实习留用",
            check_scope=False,
        )
    internship.status = target
    internship.status_note = note.strip()
    save(internship, actor, history=True)
    return internship


@dataclass(frozen=True)
class ConversionRow:
    key: str
    label: str
    interns: int
    hired: int

    @property
    def rate(self) -> Decimal:
        if not self.interns:
            return Decimal(0)
        return (Decimal(self.hired) * 100 / self.interns).quantize(Decimal("0.1"))


def conversion(internships: QuerySet[Internship], by: str) -> list[ConversionRow]:
    """Interns and hires grouped ``by`` "university" or "host_unit" (the query is scoped by
    the caller)."""
    field = {"university": "university", "host_unit": "host_unit"}[by]
    rows = (
        internships.values(f"{field}_id", f"{field}__name")
        .annotate(n=Count("pk"), hired=Count("pk", filter=Q(status=InternshipStatus.HIRED)))
        .order_by("-n", f"{field}__name")
    )
    return [
        ConversionRow(
            str(r[f"{field}_id"] or ""), r[f"{field}__name"] or "（未填）", r["n"], r["hired"]
        )
        for r in rows
    ]
