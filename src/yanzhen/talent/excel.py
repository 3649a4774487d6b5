"""Placement data in Excel: applicants with their ranked choices, and hosts' rankings or scores.

Both imports are all-or-nothing (``core.excel.run_import``) and idempotent: applicants are
matched by 编号 within the programme, rankings by 接收单位 + 申请人编号, so importing the same
file twice changes nothing the second time.

An applicant's university is resolved as in every import (``reference.matching.UniversityMatcher``):
code, name, alias, pinyin or its initials, or a close enough name — which the preview reports
(``NamedImport.notes``). An uncertain name is an error of its row naming the candidates with
their confidence, so that a person confirms by correcting the file; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import (
    Column,
    Outcome,
    ParsedRow,
    column_letters,
    read_table,
    run_import,
    write_xlsx,
)
from yanzhen.core.models import Degree, User
from yanzhen.reference.matching import NamedImport, UniversityMatcher
from yanzhen.reference.models import Discipline, University
from yanzhen.talent import services
from yanzhen.talent.models import Host, HostRanking, PlacementApplicant, Programme

DEGREE_BY_LABEL = {label: value for value, label in Degree.choices}


def refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    """An error of one cell: the message names the value and is shown at the field's column."""
    return DomainError(code, message, {field: message})


def applicant_columns() -> tuple[Column, ...]:
    return (
        Column("code", "编号", required=True, width=12),
        Column("name", "姓名", required=True, width=10),
        Column("gender", "性别", kind="choice", choices=("男", "女"), width=6),
        Column("id_number", "身份证号", width=20),
        Column("mobile", "手机号", width=14),
        Column("university", "所在高校", width=24),
        Column("degree", "学位", kind="choice", choices=tuple(DEGREE_BY_LABEL), width=8),
        Column("discipline", "学科代码", width=10, help="2022年学科目录一级学科代码，如 0808"),
        Column("preferences", "志愿单位", kind="list", width=60),
    )


def ranking_columns() -> tuple[Column, ...]:
    return (
        Column("host", "接收单位", required=True, width=28),
        Column("code", "申请人编号", required=True, width=12),
        Column("rank", "排名", kind="int", width=8),
        Column("score", "评分", kind="decimal", width=8),
        Column("basis", "依据", width=30),
    )


NOTES = {
    "applicants": (
        "1. 带 * 的列必填；编号在本项目内唯一，重复导入按编号更新。",
        "2. 志愿单位按志愿顺序填写接收单位名称，第一志愿在前，用顿号“、”分隔。",
        "3. 已登记的人员按身份证号识别；所在高校可写全称、简称或学校标识码。",
        "4. 整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
    ),
    "rankings": (
        "1. 每行为一个接收单位对一名申请人的排名（1为最优）或评分（高者优先），两者至少填一项。",
        "2. 未列出的申请人视为该单位不接收；同一单位的排名不能重复。",
        "3. 整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
    ),
}


def template_bytes(programme: Programme, kind: str) -> bytes:
    if kind == "rankings":
        hosts = [h.unit.name for h in programme.hosts.select_related("unit")]
        columns = tuple(
            Column(c.key, c.header, kind="choice", required=True, choices=tuple(hosts), width=28)
            if c.key == "host"
            else c
            for c in ranking_columns()
        )
        return write_xlsx("接收单位排序", columns, [], notes=NOTES["rankings"], mark_required=True)
    return write_xlsx(
        "申请人及志愿", applicant_columns(), [], notes=NOTES["applicants"], mark_required=True
    )


def import_file(
    *, user: User, programme: Programme, kind: str, data: bytes, filename: str, commit: bool
) -> NamedImport:
    columns = ranking_columns() if kind == "rankings" else applicant_columns()
    rows, parse_errors = read_table(data, filename, columns)
    if parse_errors and not rows:
        return NamedImport(rows=0, errors=parse_errors)
    letters = column_letters(columns, data, filename)
    hosts = {h.unit.name: h for h in programme.hosts.select_related("unit")}
    hosts.update({h.unit.short_name: h for h in hosts.values() if h.unit.short_name})
    notes: list[tuple[int, str]] = []
    handle = (
        _rankings(programme, hosts)
        if kind == "rankings"
        else _applicants(user, programme, hosts, notes)
    )
    report = run_import(
        rows,
        handle,
        columns=columns,
        letters=letters,
        field_columns={"name": "name", "id_number": "id_number", "mobile": "mobile"},
        commit=commit,
        parse_errors=parse_errors,
    )
    return NamedImport.of(report, notes)


def _applicants(
    user: User, programme: Programme, hosts: dict[str, Host], notes: list[tuple[int, str]]
) -> Callable[[ParsedRow], Outcome]:
    """Handles an applicant's row; ``notes`` gets the names resolved but not written exactly."""
    matcher = UniversityMatcher()
    seen: dict[str, int] = {}

    def handle(row: ParsedRow) -> Outcome:
        names: list[str] = []
        outcome = _handle(row, names)
        notes.extend((row.number, note) for note in names)
        return outcome

    def _handle(row: ParsedRow, names: list[str]) -> Outcome:
        v = row.values
        code = v["code"]
        if code in seen:
            raise refuse("code", f"与第{seen[code]}行编号重复", "duplicate_row")
        seen[code] = row.number
        choices: list[Host] = []
        for name in v["preferences"]:
            if name not in hosts:
                raise refuse("preferences", f"“{name}”不是本项目的接收单位")
            choices.append(hosts[name])
        university = None
        if v["university"]:
            found = matcher.match(v["university"])
            if found.university_id is None:
                raise refuse("university", found.problem)
            if found.note:
                names.append(found.note)
            university = University.objects.get(pk=found.university_id)
        discipline = None
        if v["discipline"]:
            discipline = Discipline.objects.filter(code=v["discipline"]).first()
            if discipline is None:
                raise refuse("discipline", f"学科代码“{v['discipline']}”不存在")
        degree = DEGREE_BY_LABEL.get(v["degree"], "")
        existing = PlacementApplicant.objects.filter(programme=programme, code=code).first()
        if existing is not None:
            old = (
                existing.university_id,
                existing.discipline_id,
                existing.degree,
                list(existing.choices.order_by("rank").values_list("host_id", flat=True)),
            )
            new = (
                university.pk if university else None,
                discipline.pk if discipline else None,
                degree,
                [h.pk for h in choices],
            )
            if old == new:
                return "unchanged"
            services.placement_applicant_update(
                actor=user,
                applicant=existing,
                code=code,
                person=existing.person,
                preferences=choices,
                university=university,
                discipline=discipline,
                degree=degree,
            )
            return "updated"
        person = services.person_for(
            actor=user,
            unit=programme.owner_unit,
            name=v["name"],
            id_number=v["id_number"],
            mobile=v["mobile"],
            gender={"男": "M", "女": "F"}.get(v["gender"], ""),
            degree=degree,
        )
        services.placement_applicant_create(
            actor=user,
            programme=programme,
            code=code,
            person=person,
            preferences=choices,
            university=university,
            discipline=discipline,
            degree=degree,
        )
        return "created"

    return handle


def _rankings(programme: Programme, hosts: dict[str, Host]) -> Callable[[ParsedRow], Outcome]:
    applicants = {a.code: a for a in programme.applicants.all()}
    seen_pairs: dict[tuple[int, int], int] = {}
    seen_ranks: dict[tuple[int, int], int] = {}
    if programme.status == "confirmed":
        raise DomainError("closed", "该项目已确认到岗，不能再修改")

    def handle(row: ParsedRow) -> Outcome:
        v = row.values
        host = hosts.get(v["host"])
        if host is None:
            raise refuse("host", f"“{v['host']}”不是本项目的接收单位")
        applicant = applicants.get(v["code"])
        if applicant is None:
            raise refuse("code", f"没有编号为“{v['code']}”的申请人")
        rank, score = v["rank"], v["score"]
        if rank is None and score is None:
            raise refuse("rank", "排名和评分至少填一项")
        if rank is not None and rank < 1:
            raise refuse("rank", "排名从1开始")
        pair = (host.pk, applicant.pk)
        if pair in seen_pairs:
            raise refuse("code", f"与第{seen_pairs[pair]}行重复", "duplicate_row")
        seen_pairs[pair] = row.number
        if rank is not None:
            key = (host.pk, rank)
            if key in seen_ranks:
                raise refuse("rank", f"排名{rank}与第{seen_ranks[key]}行重复")
            seen_ranks[key] = row.number
        existing = HostRanking.objects.filter(host=host, applicant=applicant).first()
        values = (rank, Decimal(score) if score is not None else None, v["basis"])
        if existing is not None and (existing.rank, existing.score, existing.basis) == values:
            return "unchanged"
        clash = HostRanking.objects.filter(host=host, rank=rank).exclude(applicant=applicant)
        if rank is not None and clash.exists():
            raise refuse("rank", f"{host.unit.name}的排名{rank}已给了其他申请人")
        if existing is not None:
            existing.rank, existing.score, existing.basis = values
            existing.save(update_fields=["rank", "score", "basis"])
            return "updated"
        HostRanking.objects.create(
            host=host, applicant=applicant, rank=rank, score=values[1], basis=v["basis"]
        )
        return "created"

    return handle
