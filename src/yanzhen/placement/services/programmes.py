"""Placement programmes: hosts, applicants' preferences, hosts' rankings, the allocation by the
engine (verified before it is stored), manual adjustments, confirmation into the registry (interns: ``internships.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from yanzhen.core.errors import DomainError
from yanzhen.core.history import history_attrs
from yanzhen.core.models import Person, Unit, User
from yanzhen.engines import allocation as engine
from yanzhen.placement.models import (
    PROGRAMME_TALENT,
    AllocationRun,
    Assignment,
    AssignmentChange,
    Host,
    HostRanking,
    Internship,
    Optimality,
    PlacementApplicant,
    Preference,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
)
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models import Talent
from yanzhen.talent.services.common import changed, check_unit, fail, save

PROGRAMME_FIELDS = (
    *("name", "kind", "owner_unit", "year", "start_date", "end_date", "description"),
)


def programme_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    owner_unit: Unit,
    year: int,
    start_date: dt.date,
    end_date: dt.date | None = None,
    description: str = "",
) -> Programme:
    programme = Programme(
        name=name,
        kind=kind,
        owner_unit=owner_unit,
        year=year,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    return _programme_save(actor, programme, kind)


def programme_update(*, actor: User | None, programme: Programme, **fields: Any) -> Programme:
    """Change the fields given (``PROGRAMME_FIELDS``); the others keep their values. The
    kind of a confirmed programme stays."""
    kind = programme.kind
    return _programme_save(actor, changed(programme, fields, PROGRAMME_FIELDS), kind)


def _programme_save(actor: User | None, programme: Programme, kind: str) -> Programme:
    """Check and save ``programme`` (of the ``kind`` it had)."""
    owner_unit, start_date, end_date = (
        programme.owner_unit,
        programme.start_date,
        programme.end_date,
    )
    check_unit(actor, owner_unit, field="owner_unit", label="组织单位")
    if end_date is not None and end_date < start_date:
        raise fail("end_date", "结束日期不能早于到岗日期")
    if programme.kind == ProgrammeKind.INTERN and end_date is None:
        raise fail("end_date", "实习实训项目须填写结束日期")
    if programme.status == ProgrammeStatus.CONFIRMED and programme.kind != kind:
        raise fail("kind", "已确认到岗的项目不能修改类型")
    name = programme.name = programme.name.strip()
    duplicate = Programme.objects.filter(owner_unit=owner_unit, name=name)
    if duplicate.exclude(pk=programme.pk).exists():
        raise fail("name", f"{owner_unit.name}已有名为“{name}”的项目")
    save(programme, actor)
    return programme


def _open(programme: Programme, field: str = "__all__") -> None:
    if programme.status == ProgrammeStatus.CONFIRMED:
        raise fail(field, "该项目已确认到岗，不能再修改")


def host_create(
    *, actor: User | None, programme: Programme, unit: Unit, capacity: int, note: str = ""
) -> Host:
    return _host_save(actor, Host(programme=programme, unit=unit, capacity=capacity, note=note))


def host_update(*, actor: User | None, host: Host, **fields: Any) -> Host:
    """Change the fields given (unit, capacity, note); the others keep their values."""
    return _host_save(actor, changed(host, fields, ("unit", "capacity", "note")))


def _host_save(actor: User | None, host: Host) -> Host:
    _open(host.programme, "unit")
    if host.pk is not None:
        assigned = Assignment.objects.filter(host=host).count()
        if host.capacity < assigned:
            raise fail("capacity", f"该单位已分配{assigned}人，名额不能少于{assigned}")
    duplicate = Host.objects.filter(programme=host.programme_id, unit=host.unit_id)
    if duplicate.exclude(pk=host.pk).exists():
        raise fail("unit", f"{host.unit.name}已是本项目的接收单位")
    save(host, actor)
    return host


PLACEMENT_APPLICANT_FIELDS = (
    *("code", "person", "preferences", "university", "discipline", "degree"),
)


@transaction.atomic
def placement_applicant_create(
    *,
    actor: User | None,
    programme: Programme,
    code: str,
    person: Person,
    preferences: Sequence[Host],
    university: University | None = None,
    discipline: Discipline | None = None,
    degree: str = "",
) -> PlacementApplicant:
    """An applicant and their ranked choices of the programme's hosts (first = best)."""
    applicant = PlacementApplicant(
        programme=programme,
        code=code,
        person=person,
        university=university,
        discipline=discipline,
        degree=degree,
    )
    return _placement_applicant_save(actor, applicant, preferences)


@transaction.atomic
def placement_applicant_update(
    *, actor: User | None, applicant: PlacementApplicant, **fields: Any
) -> PlacementApplicant:
    """Change the fields given (``PLACEMENT_APPLICANT_FIELDS``; ``preferences`` replaces the
    choices); the others keep their values."""
    preferences = fields.pop("preferences", None)
    applicant = changed(applicant, fields, PLACEMENT_APPLICANT_FIELDS)
    return _placement_applicant_save(actor, applicant, preferences)


def _placement_applicant_save(
    actor: User | None, applicant: PlacementApplicant, preferences: Sequence[Host] | None
) -> PlacementApplicant:
    programme = applicant.programme
    _open(programme, "code")
    code = applicant.code = applicant.code.strip()
    if not code:
        raise fail("code", "请填写编号")
    others = PlacementApplicant.objects.filter(programme=programme).exclude(pk=applicant.pk)
    if others.filter(code=code).exists():
        raise fail("code", f"编号“{code}”已被使用")
    if others.filter(person=applicant.person_id).exists():
        raise fail("name", f"{applicant.person.name}已是本项目的申请人")
    seen: set[int] = set()
    for host in preferences or ():
        if host.programme_id != programme.pk:
            raise fail("preferences", f"“{host.unit.name}”不是本项目的接收单位")
        if host.pk in seen:
            raise fail("preferences", f"志愿中“{host.unit.name}”重复")
        seen.add(host.pk)
    save(applicant, actor)
    if preferences is not None:
        Preference.objects.filter(applicant=applicant).delete()
        Preference.objects.bulk_create(
            Preference(applicant=applicant, host=host, rank=index)
            for index, host in enumerate(preferences, start=1)
        )
    return applicant


@transaction.atomic
def placement_applicant_delete(*, actor: User | None, applicant: PlacementApplicant) -> None:
    """Remove an applicant filed by mistake (an import undone), while the programme is open
    and before the applicant was assigned."""
    _open(applicant.programme, "code")
    if Assignment.objects.filter(applicant=applicant).exists():
        raise fail("code", f"申请人“{applicant.code}”已分配，不能删除")
    del actor
    applicant.delete()


@dataclass(frozen=True)
class RankingEntry:
    applicant: PlacementApplicant
    rank: int | None = None
    score: Decimal | None = None
    basis: str = ""


@transaction.atomic
def host_ranking_set(
    *, actor: User | None, host: Host, entries: Sequence[RankingEntry]
) -> list[HostRanking]:
    """Replace a host's rankings. An applicant with neither rank nor score is left out, i.e.
    unacceptable to the host."""
    del actor
    _open(host.programme, "__all__")
    ranks: dict[int, str] = {}
    rows = []
    for entry in entries:
        if entry.applicant.programme_id != host.programme_id:
            raise fail("__all__", f"{entry.applicant}不是本项目的申请人")
        if entry.rank is None and entry.score is None:
            continue
        if entry.rank is not None:
            if entry.rank < 1:
                raise fail(f"rank_{entry.applicant.pk}", "排名从1开始")
            if entry.rank in ranks:
                raise fail(
                    f"rank_{entry.applicant.pk}",
                    f"排名{entry.rank}与{ranks[entry.rank]}重复",
                )
            ranks[entry.rank] = entry.applicant.person.name
        rows.append(
            HostRanking(
                host=host,
                applicant=entry.applicant,
                rank=entry.rank,
                score=entry.score,
                basis=entry.basis.strip(),
            )
        )
    HostRanking.objects.filter(host=host).delete()
    return HostRanking.objects.bulk_create(rows)


@transaction.atomic
def host_ranking_put(
    *, actor: User | None, host: Host, entry: RankingEntry, existing: HostRanking | None = None
) -> HostRanking:
    """One host's rank or score of one applicant (the rest of its list as it is)."""
    del actor
    _open(host.programme, "rank")
    if entry.applicant.programme_id != host.programme_id:
        raise fail("code", f"{entry.applicant.code}不是本项目的申请人")
    if entry.rank is None and entry.score is None:
        raise fail("rank", "排名和评分至少填一项")
    if entry.rank is not None and entry.rank < 1:
        raise fail("rank", "排名从1开始")
    clash = HostRanking.objects.filter(host=host, rank=entry.rank).exclude(
        applicant=entry.applicant
    )
    if entry.rank is not None and clash.exists():
        raise fail("rank", f"{host.unit.name}的排名{entry.rank}已给了其他申请人")
    row = existing or HostRanking(host=host, applicant=entry.applicant)
    row.rank, row.score, row.basis = entry.rank, entry.score, entry.basis.strip()
    row.save()
    return row


def host_ranking_remove(*, actor: User | None, ranking: HostRanking) -> None:
    del actor
    _open(ranking.host.programme, "rank")
    ranking.delete()


# The engine ----------------------------------------------------------------------------------


@dataclass
class ProgrammeModel:
    """A programme as the engine sees it: applicants and hosts keyed by their pks as text."""

    instance: engine.Instance
    applicants: dict[str, PlacementApplicant]
    hosts: dict[str, Host]


def ranking_key(row: HostRanking) -> tuple[bool, int, Decimal, str]:
    """Ranked applicants first by rank, then scored ones by score (higher first); equal
    scores are ordered by the applicants' numbers."""
    return (
        row.rank is None,
        row.rank or 0,
        -(row.score if row.score is not None else Decimal(0)),
        row.applicant.code,
    )


def programme_model(programme: Programme) -> ProgrammeModel:
    hosts = {str(h.pk): h for h in programme.hosts.select_related("unit").order_by("pk")}
    applicants = {
        str(a.pk): a
        for a in programme.applicants.select_related("person", "university").order_by("code")
    }
    prefs: dict[str, list[str]] = {key: [] for key in applicants}
    for applicant_id, host_id in (
        Preference.objects.filter(applicant__programme=programme)
        .order_by("applicant_id", "rank")
        .values_list("applicant_id", "host_id")
    ):
        prefs[str(applicant_id)].append(str(host_id))
    by_host: dict[str, list[HostRanking]] = {key: [] for key in hosts}
    for row in HostRanking.objects.filter(host__programme=programme).select_related("applicant"):
        by_host[str(row.host_id)].append(row)
    units = {
        key: engine.HostUnit(
            host.capacity,
            tuple(str(r.applicant_id) for r in sorted(by_host[key], key=ranking_key)),
        )
        for key, host in hosts.items()
    }
    return ProgrammeModel(engine.Instance(prefs, units), applicants, hosts)


def current_assignment(model: ProgrammeModel) -> dict[str, str | None]:
    stored = dict(
        Assignment.objects.filter(applicant_id__in=[int(k) for k in model.applicants]).values_list(
            "applicant_id", "host_id"
        )
    )
    return {
        key: (str(stored[int(key)]) if stored.get(int(key)) is not None else None)
        for key in model.applicants
    }


def _not_mutual(model: ProgrammeModel, applicant: str, host: str) -> list[str]:
    """Why placing ``applicant`` at ``host`` is not a mutual choice (empty if it is)."""
    person = model.applicants[applicant]
    name = f"{person.code} {person.person.name}"
    unit = model.hosts[host].unit.name
    found = []
    if host not in model.instance.applicants.get(applicant, ()):
        found.append(f"{name}未填报{unit}")
    if applicant not in model.instance.units[host].ranking:
        found.append(f"{unit}未将{name}列入排序")
    return found


def _pair_names(model: ProgrammeModel, pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
    return [
        [f"{model.applicants[a].code} {model.applicants[a].person.name}", model.hosts[u].unit.name]
        for a, u in pairs
    ]


@transaction.atomic
def programme_allocate(
    *, actor: User | None, programme: Programme, optimal: str = Optimality.APPLICANT
) -> AllocationRun:
    """Run the engine, verify its result (no blocking pair, capacities, acceptability), and
    only then store the assignments; manual adjustments of an earlier run are replaced."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _open(programme, "optimal")
    if optimal not in Optimality.values:
        raise fail("optimal", "最优方应为申请人或接收单位")
    model = programme_model(programme)
    if not model.applicants:
        raise fail("optimal", "尚无申请人")
    if not model.hosts:
        raise fail("optimal", "尚无接收单位")
    result = engine.solve(model.instance, optimal)  # type: ignore[arg-type]
    problems = engine.verify(model.instance, result)
    if problems:  # never expected: the engine's result is checked, not trusted
        raise DomainError(
            "unverified", "分配结果未通过校验，未保存：" + "；".join(p.message for p in problems)
        )
    Assignment.objects.filter(applicant__programme=programme).delete()
    Assignment.objects.bulk_create(
        Assignment(
            applicant_id=int(a),
            host_id=int(u) if u is not None else None,
            choice_rank=engine.choice_rank(model.instance, a, u),
        )
        for a, u in result.items()
    )
    figures = engine.stats(model.instance, result, optimal=optimal)  # type: ignore[arg-type]
    figures["unfilled_places"] = {
        model.hosts[u].unit.name: n for u, n in figures["unfilled_places"].items()
    }
    run = AllocationRun.objects.create(
        programme=programme, optimal=optimal, stats=figures, run_by=actor
    )
    programme.status = ProgrammeStatus.ALLOCATED
    save(programme, actor)
    return run


@dataclass
class UnmatchedRow:
    applicant: PlacementApplicant
    label: str
    details: list[str]


@dataclass
class HostFill:
    host: Host
    assigned: int

    @property
    def free(self) -> int:
        return self.host.capacity - self.assigned


@dataclass
class ProgrammeResult:
    rows: list[tuple[PlacementApplicant, Host | None, int | None, bool]]
    distribution: list[tuple[int, int]]
    unmatched: list[UnmatchedRow]
    fill: list[HostFill]
    blocking: list[list[str]]
    matched: int
    not_mutual: list[str] = field(default_factory=list)


VERDICT_TEXT = {
    "unknown": "不是本项目的接收单位",
    "not_ranked": "未将其列入排序",
    "no_capacity": "名额为零",
    "outranked": "已满额，录取的最后一名排第{last}，其排第{own}",
    "has_room": "有空余名额",
}


def programme_result(programme: Programme) -> ProgrammeResult:
    """The stored allocation: who goes where and by which choice, how many got their n-th
    choice, who is unmatched and why (unit by unit), how full each host is, and the blocking
    pairs and the pairs that are not mutual choices left by manual adjustments."""
    model = programme_model(programme)
    assignment = current_assignment(model)
    manual = set(
        Assignment.objects.filter(applicant__programme=programme, manual=True).values_list(
            "applicant_id", flat=True
        )
    )
    stored = Assignment.objects.filter(applicant__programme=programme).exists()
    rows = [
        (
            model.applicants[a],
            model.hosts[u] if u is not None else None,
            engine.choice_rank(model.instance, a, u),
            int(a) in manual,
        )
        for a, u in assignment.items()
    ]
    unmatched: list[UnmatchedRow] = []
    if stored:
        for a, reason in engine.unmatched_reasons(model.instance, assignment).items():
            details = [
                f"{model.hosts[v.unit].unit.name}："
                + VERDICT_TEXT[v.code].format(last=v.last_admitted_rank, own=v.applicant_rank)
                for v in reason.units
            ]
            unmatched.append(UnmatchedRow(model.applicants[a], reason.label, details))
    load: dict[str, int] = {}
    for u in assignment.values():
        if u is not None:
            load[u] = load.get(u, 0) + 1
    return ProgrammeResult(
        rows=rows,
        distribution=sorted(engine.rank_distribution(model.instance, assignment).items()),
        unmatched=unmatched,
        fill=[HostFill(h, load.get(key, 0)) for key, h in model.hosts.items()],
        blocking=_pair_names(model, engine.blocking_pairs(model.instance, assignment))
        if stored
        else [],
        matched=sum(1 for u in assignment.values() if u is not None),
        not_mutual=[
            issue
            for a, u in assignment.items()
            if u is not None
            for issue in _not_mutual(model, a, u)
        ],
    )


@transaction.atomic
def assignment_adjust(
    *,
    actor: User | None,
    applicant: PlacementApplicant,
    host: Host | None,
    reason: str,
    accept_blocking: bool = False,
    accept_not_mutual: bool = False,
) -> AssignmentChange:
    """Move one applicant by hand (or leave them unplaced), with a reason. A move that
    creates blocking pairs is refused unless ``accept_blocking``; a move to a unit that did
    not rank the applicant, or that the applicant did not list, unless
    ``accept_not_mutual`` (the page asks for each). The pairs and the missing choices are
    recorded with the change."""
    programme = Programme.objects.select_for_update().get(pk=applicant.programme_id)
    if programme.status != ProgrammeStatus.ALLOCATED:
        raise fail("host", "只能调整已分配、尚未确认到岗的结果")
    if not reason.strip():
        raise fail("reason", "人工调整须说明原因")
    current = Assignment.objects.filter(applicant=applicant).first()
    if current is None:
        raise fail("host", "该申请人不在分配结果中，请重新运行分配")
    if host is not None and host.programme_id != programme.pk:
        raise fail("host", "不是本项目的接收单位")
    if (host.pk if host else None) == current.host_id:
        raise fail("host", "调整前后单位相同")
    if host is not None:
        taken = Assignment.objects.filter(host=host).exclude(pk=current.pk).count()
        if taken >= host.capacity:
            raise fail("host", f"{host.unit.name}名额{host.capacity}人已满")
    model = programme_model(programme)
    before = current_assignment(model)
    after = dict(before)
    after[str(applicant.pk)] = str(host.pk) if host is not None else None
    old_pairs = set(engine.blocking_pairs(model.instance, before))
    created = [p for p in engine.blocking_pairs(model.instance, after) if p not in old_pairs]
    not_mutual = _not_mutual(model, str(applicant.pk), str(host.pk)) if host is not None else []
    messages: list[str] = []
    fields: dict[str, str] = {}
    if created and not accept_blocking:
        names = _pair_names(model, created)
        messages.append(
            "此调整会造成不稳定：" + "；".join(f"{a}与{u}都更愿意彼此匹配" for a, u in names)
        )
        fields["accept_blocking"] = f"将产生{len(created)}个不稳定对，确认调整请勾选"
    if not_mutual and not accept_not_mutual:
        messages.append("此调整不是双方互选：" + "；".join(not_mutual))
        fields["accept_not_mutual"] = "确认调整到非互选单位请勾选"
    if messages:
        code = "blocking_pairs" if "accept_blocking" in fields else "not_mutual"
        raise DomainError(code, "。".join(messages), fields)
    change = AssignmentChange.objects.create(
        applicant=applicant,
        from_host_id=current.host_id,
        to_host=host,
        reason=reason.strip(),
        blocking_pairs=_pair_names(model, created),
        not_mutual=not_mutual,
        created_by=actor,
    )
    current.host = host
    current.choice_rank = engine.choice_rank(
        model.instance, str(applicant.pk), str(host.pk) if host else None
    )
    current.manual = True
    current.save(update_fields=["host", "choice_rank", "manual"])
    return change


@transaction.atomic
def programme_confirm(*, actor: User | None, programme: Programme) -> list[Talent]:
    """The placed applicants report for duty: each becomes a talent of the programme's type at
    the host unit (and an internship for interns), written in bulk with their history."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status != ProgrammeStatus.ALLOCATED:
        raise fail("target", "只有已分配的项目可以确认到岗")
    talent_type, channel = PROGRAMME_TALENT[programme.kind]
    placed = list(
        Assignment.objects.filter(applicant__programme=programme, host__isnull=False)
        .select_related("applicant__person", "host__unit")
        .order_by("applicant__code")
    )
    persons = [a.applicant.person_id for a in placed]
    clash = Talent.objects.filter(
        person_id__in=persons, talent_type=talent_type, start_date=programme.start_date
    ).select_related("person")
    if clash.exists():
        names = "、".join(t.person.name for t in clash)
        raise fail("target", f"以下人员已有同类型、同到岗日期的人才记录：{names}")
    intern = programme.kind == ProgrammeKind.INTERN
    talents = [
        Talent(
            person_id=a.applicant.person_id,
            talent_type=talent_type,
            degree=a.applicant.degree,
            university_id=a.applicant.university_id,
            discipline_id=a.applicant.discipline_id,
            employer_id=a.host.unit_id,  # type: ignore[union-attr]
            channel=channel,
            start_date=programme.start_date,
            end_date=programme.end_date if intern else None,
            note=programme.name,
            created_by=actor,
            updated_by=actor,
        )
        for a in placed
    ]
    bulk_create_with_history(
        talents, Talent, default_user=actor, custom_historical_attrs=history_attrs(actor)
    )
    if intern:
        internships = [
            Internship(
                talent=talent,
                programme=programme,
                host_unit_id=a.host.unit_id,  # type: ignore[union-attr]
                university_id=a.applicant.university_id,
                start_date=programme.start_date,
                end_date=programme.end_date,
                created_by=actor,
                updated_by=actor,
            )
            for talent, a in zip(talents, placed, strict=True)
        ]
        bulk_create_with_history(
            internships,
            Internship,
            default_user=actor,
            custom_historical_attrs=history_attrs(actor),
        )
    programme.status = ProgrammeStatus.CONFIRMED
    save(programme, actor)
    return talents
