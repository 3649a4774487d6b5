"""The ledger in Excel: export of the filtered list, the import template, and the import.

The export and the template have the same columns, so that an exported file can be edited
and imported back. Rows are matched to existing cooperations by 合作编号, or — for new rows
without one — by 登记单位 + 合作名称, so importing the same file twice adds nothing.

University names are resolved as in every import (``reference.matching.UniversityMatcher``): code,
name, alias, pinyin or its initials, or a close enough name — which the preview then reports
(``NamedImport.notes``). A name that is uncertain is an error of its row naming the candidates
with their confidence: the import keeps no row aside, so a person confirms by correcting the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from yanzhen.cooperation import services
from yanzhen.cooperation.models import (
    Base,
    Channel,
    Cooperation,
    CooperationKind,
    CooperationParty,
    CooperationUniversity,
)
from yanzhen.cooperation.selectors import base_qs, cooperation_qs
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
from yanzhen.core.models import Unit, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import local_units, unit_qs
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.matching import NamedImport, UniversityMatcher
from yanzhen.reference.models import Industry, LocalIndustry, University

STAGE_BY_LABEL = {label: stage.value for stage, label in STAGE_LABELS.items()}
CHANNEL_BY_LABEL = {label: value for value, label in Channel.choices}
KIND_BY_LABEL = {label: value for value, label in CooperationKind.choices}


def columns() -> tuple[Column, ...]:
    return (
        Column("code", "合作编号", width=14, help="新增时留空，系统自动编号"),
        Column("title", "合作名称", required=True, width=36),
        Column("owner_unit", "登记单位", required=True, width=22),
        Column("parties", "本地合作方", kind="list", required=True, width=30),
        Column("universities", "合作高校", kind="list", required=True, width=30),
        Column("channel", "对接渠道", kind="choice", required=True, choices=tuple(Channel.labels)),
        Column(
            "kind", "合作类型", kind="choice", required=True, choices=tuple(CooperationKind.labels)
        ),
        Column("base", "所属基地", width=24),
        Column(
            "local_industry",
            "本地产业",
            kind="choice",
            choices=tuple(LocalIndustry.objects.values_list("name", flat=True)),
        ),
        Column("industry", "国民经济行业代码", width=12),
        Column(
            "stage", "阶段", kind="choice", required=True, choices=tuple(STAGE_BY_LABEL), width=8
        ),
        Column("intention_date", "意向日期", kind="date", required=True, width=12),
        Column("agreement_date", "签约日期", kind="date", width=12),
        Column("landed_date", "落地日期", kind="date", width=12),
        Column("dropped_date", "终止日期", kind="date", width=12),
        Column("drop_reason", "终止原因", width=20),
        Column("planned_investment", "计划投资（万元）", kind="decimal", width=14),
        Column("landed_investment", "落地投资（万元）", kind="decimal", width=14),
        Column("participants", "参与学生（人）", kind="int", width=12),
        Column("online", "云对接/云签约", kind="bool", width=12),
        Column("description", "合作内容", width=40),
    )


# Service field → column key, for errors raised inside the services.
FIELD_COLUMNS = {
    "target": "stage",
    "date": "stage",
    "reason": "drop_reason",
}

NOTES = (
    "1. 带 * 的列必填；阶段、对接渠道、合作类型、本地产业请从下拉列表选择。",
    "2. 本地合作方、合作高校可填多个，用顿号“、”分隔；高校可写全称、常用简称或学校标识码。",
    "3. 单位重名时写成“上级单位/名称”，如“开张镇/东开张村”。",
    "4. 日期写成 2021-03-15；阶段为“签约”须填签约日期，“落地”须填签约和落地日期，“终止”须填终止日期和原因。",
    "5. 合作编号留空表示新增；同一文件重复导入不会重复新增（按合作编号，或登记单位+合作名称识别）。",
    "6. 导入时整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
)


def template_bytes() -> bytes:
    return write_xlsx("合作台账", columns(), [], notes=NOTES, mark_required=True)


@dataclass
class Lookups:
    owners: UnitResolver
    parties: UnitResolver
    universities: UniversityMatcher
    bases: dict[str, Base]
    industries: dict[str, LocalIndustry]


def lookups_for(user: User) -> Lookups:
    bases = list(base_qs(user))
    return Lookups(
        owners=UnitResolver.of(unit_qs(user)),
        parties=UnitResolver.of(local_units(user)),
        universities=UniversityMatcher(),
        bases={**{b.name: b for b in bases}, **{b.code: b for b in bases}},
        industries={i.name: i for i in LocalIndustry.objects.all()},
    )


def export_row(user: User) -> Callable[[Cooperation], Sequence[Any]]:
    """The row of a cooperation in an export, in the template's columns (parties and
    universities by name, units as the user's scope tells them apart)."""
    resolver = UnitResolver.of(unit_qs(user))

    def row(cooperation: Cooperation) -> Sequence[Any]:
        return (
            cooperation.code,
            cooperation.title,
            resolver.label(cooperation.owner_unit_id) or cooperation.owner_unit.name,
            [resolver.label(u.pk) or u.name for u in cooperation.parties.all()],
            [u.name for u in cooperation.universities.all()],
            cooperation.get_channel_display(),
            cooperation.get_kind_display(),
            cooperation.base.name if cooperation.base else "",
            cooperation.local_industry.name if cooperation.local_industry else "",
            cooperation.industry.code if cooperation.industry else "",
            STAGE_LABELS[Stage(cooperation.stage)],
            cooperation.intention_date,
            cooperation.agreement_date,
            cooperation.landed_date,
            cooperation.dropped_date,
            cooperation.drop_reason,
            cooperation.planned_investment,
            cooperation.landed_investment,
            cooperation.participants,
            cooperation.online,
            cooperation.description,
        )

    return row


def export_rows(cooperations: Iterable[Cooperation], *, user: User) -> Iterable[Sequence[Any]]:
    """The rows of an export (:func:`export_row`)."""
    return map(export_row(user), cooperations)


def _row_data(
    row: ParsedRow, lookups: Lookups, notes: list[str] | None = None
) -> services.CooperationData:
    """The cooperation of one row; ``notes`` gets what the preview says about its names."""
    values = row.values
    errors: dict[str, str] = {}
    owner_id, problem = lookups.owners.resolve(values["owner_unit"])
    if owner_id is None:
        errors["owner_unit"] = problem
    party_ids, problems = lookups.parties.resolve_all(values["parties"])
    if problems:
        errors["parties"] = "；".join(problems)
    uni_ids: list[int] = []
    unresolved: list[str] = []
    for name in values["universities"]:
        found = lookups.universities.match(name)
        if found.university_id is None:
            unresolved.append(found.problem)
            continue
        if found.note and notes is not None:
            notes.append(found.note)
        if found.university_id not in uni_ids:
            uni_ids.append(found.university_id)
    if unresolved:
        errors["universities"] = "；".join(unresolved)
    base = None
    if values["base"]:
        base = lookups.bases.get(values["base"])
        if base is None:
            errors["base"] = f"找不到基地“{values['base']}”（或不在您的数据范围内）"
    industry = None
    if values["industry"]:
        industry = Industry.objects.filter(code=values["industry"]).first()
        if industry is None:
            errors["industry"] = f"国民经济行业代码“{values['industry']}”不存在"
    if errors:
        raise DomainError("invalid_row", next(iter(errors.values())), errors)

    units = Unit.objects.in_bulk([owner_id, *party_ids])
    assert owner_id is not None
    return services.CooperationData(
        code=values["code"],
        title=values["title"],
        owner_unit=units[owner_id],
        parties=[units[u] for u in party_ids],
        universities=list(University.objects.filter(pk__in=uni_ids)),
        channel=CHANNEL_BY_LABEL[values["channel"]],
        kind=KIND_BY_LABEL[values["kind"]],
        base=base,
        local_industry=lookups.industries.get(values["local_industry"])
        if values["local_industry"]
        else None,
        industry=industry,
        stage=STAGE_BY_LABEL[values["stage"]],
        intention_date=values["intention_date"],
        agreement_date=values["agreement_date"],
        landed_date=values["landed_date"],
        dropped_date=values["dropped_date"],
        drop_reason=values["drop_reason"],
        planned_investment=values["planned_investment"] or Decimal(0),
        landed_investment=values["landed_investment"] or Decimal(0),
        participants=values["participants"] or 0,
        online=values["online"],
        description=values["description"],
    )


_COMPARED = (
    "title", "owner_unit_id", "channel", "kind", "base_id", "local_industry_id", "industry_id",
    "stage", "intention_date", "agreement_date", "landed_date", "dropped_date", "drop_reason",
    "planned_investment", "landed_investment", "participants", "online", "description",
)  # fmt: skip


def _unchanged(cooperation: Cooperation, data: services.CooperationData) -> bool:
    wanted = {
        "title": data.title.strip(),
        "owner_unit_id": data.owner_unit.pk,
        "channel": data.channel,
        "kind": data.kind,
        "base_id": data.base.pk if data.base else None,
        "local_industry_id": data.local_industry.pk if data.local_industry else None,
        "industry_id": data.industry.pk if data.industry else None,
        "stage": data.stage,
        "intention_date": data.intention_date,
        "agreement_date": data.agreement_date,
        "landed_date": data.landed_date,
        "dropped_date": data.dropped_date,
        "drop_reason": data.drop_reason,
        "planned_investment": data.planned_investment,
        "landed_investment": data.landed_investment,
        "participants": data.participants,
        "online": data.online,
        "description": data.description,
    }
    if any(getattr(cooperation, f) != wanted[f] for f in _COMPARED):
        return False
    parties = set(
        CooperationParty.objects.filter(cooperation=cooperation).values_list("unit_id", flat=True)
    )
    universities = set(
        CooperationUniversity.objects.filter(cooperation=cooperation).values_list(
            "university_id", flat=True
        )
    )
    return parties == {u.pk for u in data.parties} and universities == {
        u.pk for u in data.universities
    }


def import_file(*, user: User, data: bytes, filename: str, commit: bool) -> NamedImport:
    """Check (``commit=False``) or import an uploaded ledger file, all or nothing."""
    cols = columns()
    rows, parse_errors = read_table(data, filename, cols)
    if parse_errors and not rows:
        return NamedImport(rows=0, errors=parse_errors)
    letters = column_letters(cols, data, filename)
    lookups = lookups_for(user)
    visible = cooperation_qs(user)
    seen: dict[str, int] = {}
    notes: list[tuple[int, str]] = []

    def handle(row: ParsedRow) -> Outcome:
        names: list[str] = []
        outcome = _handle(row, names)
        notes.extend((row.number, note) for note in names)
        return outcome

    def _handle(row: ParsedRow, names: list[str]) -> Outcome:
        item = _row_data(row, lookups, names)
        key = item.code or f"{item.owner_unit.pk}\x00{item.title.strip()}"
        if key in seen:
            raise DomainError(
                "duplicate_row",
                f"与第{seen[key]}行重复",
                {"code" if item.code else "title": f"与第{seen[key]}行是同一项合作"},
            )
        seen[key] = row.number
        if item.code:
            existing = visible.filter(code=item.code).first()
            if existing is None:
                if Cooperation.objects.filter(code=item.code).exists():
                    raise DomainError(
                        "forbidden", "无权修改该合作", {"code": "合作编号不在您的数据范围内"}
                    )
                return _create(user, item)
        else:
            existing = visible.filter(
                Q(owner_unit=item.owner_unit) & Q(title=item.title.strip())
            ).first()
            if existing is None:
                return _create(user, item)
        if _unchanged(existing, item):
            return "unchanged"
        services.cooperation_update(
            actor=user,
            cooperation=existing,
            data=item,
            allow_stage_forward=True,
            note="Excel导入更新",
        )
        return "updated"

    report = run_import(
        rows,
        handle,
        columns=cols,
        letters=letters,
        field_columns=FIELD_COLUMNS,
        commit=commit,
        parse_errors=parse_errors,
    )
    return NamedImport.of(report, notes)


def _create(user: User, item: services.CooperationData) -> Outcome:
    services.cooperation_create(actor=user, data=item)
    return "created"
