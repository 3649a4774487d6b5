"""The Yongji demo's year of closed-loop supervision (2021): a monthly scheduling round for
the twelve bases with their reports (some late, a few missing), the problem list raised
from the rounds, from the standing committee and directly (most verified and closed, some
still open and overdue, escalated 督办), and the standing committee's action items.

Idempotent: nothing is added when the rounds are already there. The records are written
with their 2021 dates (the services stamp "now"), and the demo roles get the permissions.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from yanzhen.cooperation.models import Activity, ActivityKind, Base
from yanzhen.core.models import Unit, User
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.supervision.models import (
    ActionItem,
    ActionItemState,
    Escalation,
    Evidence,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemAction,
    ProblemEvent,
    ProblemSource,
    ProblemState,
    Report,
    ReportItem,
    Round,
    RoundKind,
)
from yanzhen.supervision.services import (
    escalation_level_due,
    problem_create,
    remind_due,
    round_create,
)

YEAR = 2021
ZONE = ZoneInfo("Asia/Shanghai")
OFFICE = "永济市省校合作办公室"

PERMISSIONS: dict[str, list[str]] = {
    "office": [
        *(
            f"supervision.{action}_{model}"
            for model in ("round", "report", "problem", "actionitem")
            for action in ("view", "add", "change", "delete")
        ),
        "supervision.assign_problem",
        "supervision.verify_problem",
        "supervision.escalate_problem",
    ],
    "leader": [
        "supervision.view_round",
        "supervision.view_report",
        "supervision.view_problem",
        "supervision.view_actionitem",
    ],
    "base_lead": [
        "supervision.view_round",
        "supervision.view_report",
        "supervision.add_report",
        "supervision.change_report",
        "supervision.view_problem",
        "supervision.add_problem",
        "supervision.change_problem",
        "supervision.view_actionitem",
    ],
    "town": ["supervision.view_problem", "supervision.change_problem"],
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


# Rounds and reports ---------------------------------------------------------------------------


def round_dates(month: int) -> tuple[dt.date, dt.date]:
    """A monthly round opens on the 20th and asks for the reports by the 25th."""
    return dt.date(YEAR, month, 20), dt.date(YEAR, month, 25)


def report_fate(order: int, month: int) -> str:
    """Whether base number ``order`` reported to the round of ``month``: on time, late, none."""
    if (order * 5 + month) % 17 == 0:
        return "missing"
    if (order * 3 + month) % 7 == 0:
        return "late"
    return "on_time"


def _percent(milestone: Milestone, day: dt.date) -> int:
    done = milestone.done_date
    if milestone.status == MilestoneStatus.DONE and done is not None and done <= day:
        return 100
    start = dt.date(YEAR, 1, 1)
    span = max((milestone.due_date - start).days, 1)
    return max(5, min(95, round(100 * (day - start).days / span / 5) * 5))


def _rounds(result: DemoResult, bases: list[Base], office: User | None) -> list[Round]:
    rounds = []
    for month in range(1, 13):
        opened, deadline = round_dates(month)
        rounds.append(
            Round(
                title=f"{YEAR}年{month}月省校合作工作调度",
                kind=RoundKind.MONTHLY,
                opened_on=opened,
                deadline=deadline,
                state="closed",
                note="请各基地牵头部门报送本月节点任务进展，并提出需协调解决的问题。",
                created_at=at(opened, 9),
                created_by=office,
                updated_by=office,
            )
        )
    rounds = Round.objects.bulk_create(rounds)
    Round.bases.through.objects.bulk_create(
        Round.bases.through(round_id=r.pk, base_id=b.pk) for r in rounds for b in bases
    )
    result.add("rounds", len(rounds))
    milestones: dict[int, list[Milestone]] = {b.pk: [] for b in bases}
    for m in Milestone.objects.filter(base__in=bases).order_by("due_date", "sort_order", "id"):
        milestones[m.base_id].append(m)
    reports: list[Report] = []
    pending_items: list[tuple[int, list[tuple[Milestone, int]]]] = []
    for round_ in rounds:
        for order, base in enumerate(bases):
            fate = report_fate(order, round_.opened_on.month)
            if fate == "missing":
                continue
            day = round_.deadline - dt.timedelta(days=order % 3)
            if fate == "late":
                day = round_.deadline + dt.timedelta(days=1 + order % 2)
            items = [
                (m, _percent(m, day))
                for m in milestones[base.pk]
                if m.status != MilestoneStatus.DONE
                or (m.done_date is not None and m.done_date >= round_.opened_on)
            ]
            reports.append(
                Report(
                    round=round_,
                    base=base,
                    summary=f"{base.name}{round_.opened_on.month}月工作稳步推进。",
                    submitted_at=at(day, 10 + order % 6),
                    late=fate == "late",
                    created_at=at(day, 10 + order % 6),
                )
            )
            pending_items.append((len(reports) - 1, items))
    reports = Report.objects.bulk_create(reports)
    result.add("reports", len(reports))
    rows = [
        ReportItem(
            report=reports[index],
            milestone=m,
            percent=percent,
            progress=f"{m.title}：已完成{percent}%。",
        )
        for index, items in pending_items
        for m, percent in items
    ]
    rows = ReportItem.objects.bulk_create(rows)
    december = [r for r in rows if r.report.round_id == rounds[-1].pk]
    seen: set[int] = set()
    for row in december:  # one evidence file per December report
        if row.report_id in seen:
            continue
        seen.add(row.report_id)
        evidence = Evidence(
            item=row, name="12月工作进展佐证.txt", uploaded_at=row.report.submitted_at
        )
        evidence.file.save(
            "12月工作进展佐证.txt",
            ContentFile(f"{row.milestone.title}：完成{row.percent}%。\n".encode()),
            save=False,
        )
        evidence.save()
    return rounds


# Problems ---------------------------------------------------------------------------------------

# (base code, month raised, title, responsible unit, days to solve, outcome)
# outcome: closed (verified in time), late (solved after its deadline), returned (sent back
# once, then closed), resolved (awaiting verification), open (in progress, overdue),
# stuck (assigned, never started, overdue)
PROBLEMS: tuple[tuple[str, int, str, str, int, str], ...] = (
    ("YJ-B01", 2, "牵引电机联合实验室场地尚未落实", "永济经济技术开发区管委会", 45, "closed"),
    ("YJ-B01", 5, "合作高校专家驻企时间不足", "永济市科学技术局", 30, "closed"),
    ("YJ-B02", 3, "新材料中试线环评手续办理慢", "永济市发展和改革局", 40, "late"),
    ("YJ-B03", 4, "3D打印成果作价入股评估难", "永济市科学技术局", 60, "closed"),
    ("YJ-B04", 3, "芦笋示范基地灌溉设施不足", "永济市农业农村局", 50, "returned"),
    ("YJ-B05", 6, "鲜食枣设施大棚建设资金缺口", "永济市林业局", 45, "closed"),
    ("YJ-B06", 4, "面食产业学院实训场地紧张", "永济市教育局", 60, "closed"),
    ("YJ-B07", 7, "文旅规划合作经费未列入预算", "永济市文化和旅游局", 40, "late"),
    ("YJ-B08", 5, "医学毕业生编制周转不足", "中共永济市委组织部", 50, "closed"),
    ("YJ-B09", 6, "师范院校结对学校覆盖不全", "永济市教育局", 45, "closed"),
    ("YJ-B10", 8, "部分村级合作项目缺少运营主体", "永济市乡村振兴局", 60, "resolved"),
    ("YJ-B11", 5, "实习学生住宿保障不足", "永济市人力资源和社会保障局", 30, "closed"),
    ("YJ-B12", 9, "挂职干部工作生活保障待完善", "永济经济技术开发区管委会", 30, "closed"),
    ("YJ-B02", 9, "企业研发人员短缺影响项目落地", "永济市人力资源和社会保障局", 60, "open"),
    ("YJ-B04", 10, "农业科技小院专家往返交通不便", "永济市农业农村局", 30, "stuck"),
    ("YJ-B08", 10, "远程会诊平台网络改造滞后", "永济市卫生健康局", 35, "open"),
    ("YJ-B12", 11, "孵化器入驻企业用地审批进度慢", "永济经济技术开发区管委会", 20, "stuck"),
)
# Decisions of the standing committee of 18 June: problems for coordination.
MEETING_PROBLEMS: tuple[tuple[str, str, int, str], ...] = (
    ("建立省校合作项目用地保障绿色通道", "永济市发展和改革局", 60, "closed"),
    ("落实人才公寓拎包入住保障", "中共永济市委组织部", 45, "closed"),
    ("统筹省校合作专项资金拨付", "永济市省校合作办公室", 40, "late"),
)
DIRECT_PROBLEMS: tuple[tuple[str, str, dt.date, int, str], ...] = (
    ("部分企业对高校合作政策知晓率低", "永济市科学技术局", dt.date(2021, 7, 12), 30, "closed"),
    ("合作协议履约情况缺少跟踪", "永济市省校合作办公室", dt.date(2021, 11, 8), 25, "open"),
)


def _problem(
    *,
    units: dict[str, Unit],
    office: User | None,
    title: str,
    source: str,
    base: Base | None,
    raised_by: Unit,
    responsible: str,
    raised_on: dt.date,
    days: int,
    outcome: str,
    round_: Round | None = None,
    description: str = "",
) -> tuple[Problem, list[ProblemEvent]]:
    unit = units[responsible]
    assigned_on = raised_on + dt.timedelta(days=3)
    deadline = assigned_on + dt.timedelta(days=days)
    problem = Problem(
        title=title,
        description=description or f"{title}，需协调解决。",
        source=source,
        round=round_,
        base=base,
        raised_by_unit=raised_by,
        responsible_unit=unit,
        deadline=deadline,
        created_at=at(raised_on, 11),
        created_by=office if source != ProblemSource.ROUND else None,
    )
    moves: list[tuple[str, str, str, dt.date, str]] = [
        (ProblemAction.RAISE, "", ProblemState.RAISED, raised_on, ""),
        (ProblemAction.ASSIGN, ProblemState.RAISED, ProblemState.ASSIGNED, assigned_on, ""),
    ]
    started = assigned_on + dt.timedelta(days=2)
    solved = {
        "closed": deadline - dt.timedelta(days=5),
        "late": deadline + dt.timedelta(days=12),
        "returned": deadline - dt.timedelta(days=10),
        "resolved": deadline - dt.timedelta(days=2),
    }
    state = ProblemState.ASSIGNED
    if outcome != "stuck":
        moves.append((ProblemAction.START, state, ProblemState.IN_PROGRESS, started, ""))
        state = ProblemState.IN_PROGRESS
    if outcome in solved:
        day = solved[outcome]
        moves.append((ProblemAction.RESOLVE, state, ProblemState.RESOLVED, day, "已协调解决。"))
        state = ProblemState.RESOLVED
        problem.resolved_on = day
        if outcome == "returned":
            back = day + dt.timedelta(days=2)
            moves.append(
                (
                    ProblemAction.RETURN,
                    state,
                    ProblemState.RETURNED,
                    back,
                    "设施尚未验收，退回继续办理。",
                )
            )
            moves.append(
                (ProblemAction.RESOLVE, ProblemState.RETURNED, ProblemState.RESOLVED, deadline - dt.timedelta(days=1), "设施已建成并验收。")
            )  # fmt: skip
            problem.resolved_on = deadline - dt.timedelta(days=1)
        if outcome != "resolved":
            closed = problem.resolved_on + dt.timedelta(days=4)
            moves.append((ProblemAction.VERIFY, ProblemState.RESOLVED, ProblemState.CLOSED, closed, "经核实已解决，予以销号。"))  # fmt: skip
            state = ProblemState.CLOSED
            problem.closed_on = closed
    problem.state = state
    events = [
        ProblemEvent(
            action=action,
            from_state=before,
            to_state=after,
            responsible_unit=None if action == ProblemAction.RAISE else unit,
            deadline=None if action == ProblemAction.RAISE else deadline,
            note=note,
            actor=None if action in (ProblemAction.RAISE, ProblemAction.START, ProblemAction.RESOLVE) else office,
            at=at(day, 15),
        )
        for action, before, after, day, note in moves
    ]  # fmt: skip
    return problem, events


def _problems(
    result: DemoResult,
    units: dict[str, Unit],
    bases: dict[str, Base],
    rounds: list[Round],
    office: User | None,
) -> list[Problem]:
    made: list[tuple[Problem, list[ProblemEvent]]] = []
    for code, month, title, responsible, days, outcome in PROBLEMS:
        base = bases[code]
        made.append(
            _problem(
                units=units, office=office, title=title, source=ProblemSource.ROUND, base=base,
                raised_by=base.lead_department, responsible=responsible,
                raised_on=round_dates(month)[1], days=days, outcome=outcome,
                round_=rounds[month - 1],
            )
        )  # fmt: skip
    meeting = Activity.objects.get(kind=ActivityKind.STANDING_COMMITTEE, date=dt.date(2021, 6, 18))
    for title, responsible, days, outcome in MEETING_PROBLEMS:
        made.append(
            _problem(
                units=units, office=office, title=title, source=ProblemSource.MEETING, base=None,
                raised_by=units[OFFICE], responsible=responsible, raised_on=meeting.date,
                days=days, outcome=outcome,
                description=f"{meeting.title}（{meeting.date:%Y-%m-%d}）决定：{title}。",
            )
        )  # fmt: skip
    for title, responsible, raised_on, days, outcome in DIRECT_PROBLEMS:
        made.append(
            _problem(
                units=units, office=office, title=title, source=ProblemSource.DIRECT, base=None,
                raised_by=units[OFFICE], responsible=responsible, raised_on=raised_on,
                days=days, outcome=outcome,
            )
        )  # fmt: skip
    problems = Problem.objects.bulk_create([p for p, _ in made])
    for problem, (_p, events) in zip(problems, made, strict=True):
        for event in events:
            event.problem = problem
    ProblemEvent.objects.bulk_create([e for _p, events in made for e in events])
    result.add("problems", len(problems))
    _escalations(problems, made_on=dt.date(YEAR, 12, 31))
    items = list(
        ActionItem.objects.filter(meeting=meeting).order_by("id")
    )  # the decisions of 18 June
    by_title = {p.title: p for p in problems if p.source == ProblemSource.MEETING}
    for item in items:
        item.problem = by_title[item.decision]
        item.state = ActionItemState.CONVERTED
    ActionItem.objects.bulk_update(items, ["problem", "state"])
    return problems


def _escalations(problems: list[Problem], *, made_on: dt.date) -> None:
    """督办 as the daily command made it in 2021: the day after the deadline to the unit, a
    week later to the base's responsible leader."""
    rows = []
    open_states = (ProblemState.ASSIGNED, ProblemState.IN_PROGRESS, ProblemState.RETURNED)
    for problem in problems:
        assert problem.deadline is not None
        if problem.state not in open_states:
            continue
        level_due = escalation_level_due(problem.deadline, made_on)
        for level in range(1, level_due + 1):
            day = problem.deadline + dt.timedelta(days=1 if level == 1 else 8)
            leader = problem.base.leader if problem.base and level == 2 else None
            note = f"逾期{(day - problem.deadline).days}天，" + (
                "督办责任单位" if level == 1 else (f"报责任领导{leader.name}督办" if leader else "基地未明确责任领导")
            )  # fmt: skip
            rows.append(
                Escalation(
                    problem=problem, level=level, due_date=problem.deadline,
                    unit=problem.responsible_unit, leader=leader, note=note, created_at=at(day, 8),
                )
            )  # fmt: skip
        problem.escalation_level = level_due
    Escalation.objects.bulk_create(rows)
    Problem.objects.bulk_update(problems, ["escalation_level"])
    ProblemEvent.objects.bulk_create(
        ProblemEvent(
            problem=e.problem,
            action=ProblemAction.ESCALATE,
            from_state=e.problem.state if e.problem else "",
            to_state=e.problem.state if e.problem else "",
            responsible_unit=e.unit,
            deadline=e.due_date,
            note=e.note,
            at=e.created_at,
        )
        for e in rows
    )


# Meeting decisions ------------------------------------------------------------------------------


def _action_items(
    result: DemoResult, units: dict[str, Unit], bases: list[Base], office: User | None
) -> None:
    first, second, third = Activity.objects.filter(
        kind=ActivityKind.STANDING_COMMITTEE, date__year=YEAR
    ).order_by("date")[:3]
    items = []
    plans = {
        m.base_id: m for m in Milestone.objects.filter(base__in=bases, sort_order=0).order_by("id")
    }
    for base in bases:  # 23 February: every base's plan and task force, as its first milestone
        milestone = plans.get(base.pk)
        items.append(
            ActionItem(
                meeting=first, meeting_title=first.title, meeting_date=first.date,
                decision=f"{base.name}3月底前印发工作方案并组建落实专班", base=base,
                responsible_unit=base.lead_department, deadline=dt.date(YEAR, 3, 31),
                state=ActionItemState.CONVERTED if milestone else ActionItemState.OPEN,
                milestone=milestone, created_at=at(first.date, 17), created_by=office,
            )
        )  # fmt: skip
    for title, responsible, days, _outcome in MEETING_PROBLEMS:  # 18 June: problems
        items.append(
            ActionItem(
                meeting=second, meeting_title=second.title, meeting_date=second.date,
                decision=title, responsible_unit=units[responsible],
                deadline=second.date + dt.timedelta(days=3 + days), created_at=at(second.date, 17),
                created_by=office,
            )
        )  # fmt: skip
    for decision, responsible, deadline in (  # 26 October: still to be turned into work
        ("12月底前完成各基地年度考核自评和数据核对", OFFICE, dt.date(YEAR, 12, 31)),
        ("研究制定2022年省校合作重点任务清单", OFFICE, dt.date(2022, 1, 31)),
    ):
        items.append(
            ActionItem(
                meeting=third, meeting_title=third.title, meeting_date=third.date,
                decision=decision, responsible_unit=units[responsible], deadline=deadline,
                created_at=at(third.date, 17), created_by=office,
            )
        )  # fmt: skip
    ActionItem.objects.bulk_create(items)
    result.add("action items", len(items))


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    if Round.objects.filter(opened_on__year=YEAR).exists():
        return
    bases = list(
        Base.objects.select_related("lead_department", "leader").order_by("sort_order", "id")
    )
    if not bases:
        return
    units = {u.name: u for u in Unit.objects.filter(parent__name="永济市")}
    office = User.objects.filter(username="office").first()
    rounds = _rounds(result, bases, office)
    _action_items(result, units, bases, office)
    _problems(result, units, {b.code: b for b in bases}, rounds, office)
    if office is not None:
        _handed_on(bases, units, office)


def _handed_on(bases: list[Base], units: dict[str, Unit], office: User) -> None:
    """Work handed on through the services, which notify whom it is handed to (the demo's
    inboxes): the office opens the January 2022 round (each base's lead department is asked
    for its report) and assigns a problem to 开张镇 (due two weeks after the demo is loaded);
    then the daily run of 31 December 2021 reminds the units of what is overdue or due."""
    round_create(
        actor=office,
        title="2022年1月省校合作工作调度",
        kind=RoundKind.MONTHLY,
        opened_on=dt.date(2022, 1, 20),
        deadline=dt.date(2022, 1, 25),
        bases=bases,
        note="请各基地牵头部门报送本月节点任务进展，并提出需协调解决的问题。",
    )
    problem_create(
        actor=office,
        title="东开张村与太原理工大学共建实践基地的场地尚未落实",
        description="太原理工大学拟在东开张村设立大学生实践基地，需镇里协调落实场地和住宿。",
        raised_by_unit=units[OFFICE],
        responsible_unit=units["开张镇"],
        deadline=timezone.localdate() + dt.timedelta(days=14),
    )
    remind_due(today=dt.date(YEAR, 12, 31))
