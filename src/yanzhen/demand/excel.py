"""Needs and experts in Excel: exports of the filtered lists and import templates (the
imports themselves run through the one import flow, registers ``needs`` and ``experts`` in
``demand.importers``), and the rows *held* for a person to confirm their university
(``held_resolve``): a held row is written once a person has picked among its candidates,
never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import (
    Column,
    Outcome,
    write_xlsx,
)
from yanzhen.core.models import Unit, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.demand import services
from yanzhen.demand.models import (
    Expert,
    HeldRow,
    ImportKind,
    NeedDegree,
    NeedSource,
    NeedStatus,
    SurveyCampaign,
    TalentNeed,
    Urgency,
)
from yanzhen.demand.selectors import campaign_qs, expert_qs, need_enterprises, need_qs
from yanzhen.reference.matching import UniversityMatch, UniversityMatcher
from yanzhen.reference.models import Discipline, University

DEGREE_BY_LABEL = {label: value for value, label in NeedDegree.choices} | {"学士": "bachelor"}
URGENCY_BY_LABEL = {label: value for value, label in Urgency.choices}
STATUS_BY_LABEL = {label: value for value, label in NeedStatus.choices}
TENTH = Decimal("0.1")


def need_columns(user: User) -> tuple[Column, ...]:
    campaigns = tuple(campaign_qs(user).order_by("-opens_on").values_list("title", flat=True))
    return (
        Column("code", "需求编号", width=16, help="新增时留空，系统自动编号"),
        Column("enterprise", "需求单位", required=True, width=30),
        Column("position", "岗位名称", required=True, width=22),
        Column("disciplines", "学科代码", kind="list", width=18),
        Column("majors", "专业要求", width=22),
        Column(
            "degree", "学历要求", kind="choice", required=True, choices=tuple(NeedDegree.labels)
        ),
        Column("number", "需求人数", kind="int", required=True, width=10),
        Column("urgency", "紧迫程度", kind="choice", required=True, choices=tuple(Urgency.labels)),
        Column("salary_min", "年薪下限（万元）", kind="decimal", width=14),
        Column("salary_max", "年薪上限（万元）", kind="decimal", width=14),
        Column("deadline", "到岗期限", kind="date", width=12),
        Column("description", "需求描述", width=44),
        Column("preferred_universities", "意向高校", kind="list", width=26),
        Column("campaign", "所属调查", kind="choice", choices=campaigns, width=26),
        Column("status", "状态", kind="choice", choices=tuple(NeedStatus.labels), width=10),
        Column("reported_on", "填报日期", kind="date", width=12),
    )


NEED_NOTES = (
    "1. 带 * 的列必填；学历要求、紧迫程度、所属调查、状态请从下拉列表选择。",
    "2. 学科代码写一级学科代码或名称（如 0808 或 电气工程），多个用顿号“、”分隔。",
    "3. 意向高校写全称、常用简称或学校标识码；无法确定是哪所高校的行不会被猜测，而是放入“待确认导入”由人工确认。",
    "4. 日期写成 2021-03-15；年薪单位为万元/年。",
    "5. 需求编号留空表示新增；同一文件重复导入不会重复新增（按需求编号，或需求单位+岗位名称+所属调查识别）。",
    "6. 导入时整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
)

EXPERT_COLUMNS = (
    Column("name", "姓名", required=True, width=12),
    Column("university", "所在高校", required=True, width=26),
    Column("department", "院系", width=20),
    Column("title", "职称", width=12),
    Column("honours", "人才称号", width=18),
    Column("disciplines", "学科代码", kind="list", width=16),
    Column("directions", "研究方向", required=True, width=44),
    Column("projects", "参与的本地合作", kind="list", width=22),
    Column("project_notes", "其他合作经历", width=30),
)

EXPERT_NOTES = (
    "1. 带 * 的列必填；所在高校写全称、常用简称或学校标识码。",
    "2. 学科代码写一级学科代码或名称，多个用顿号“、”分隔；参与的本地合作写合作编号（如 HZ2021000001）。",
    "3. 无法确定是哪所高校的行不会被猜测，而是放入“待确认导入”由人工确认。",
    "4. 同一文件重复导入不会重复新增（按所在高校+姓名识别）；整表校验，有错误则整表不导入。",
)


def need_template(user: User) -> bytes:
    return write_xlsx(_("人才需求"), need_columns(user), [], notes=NEED_NOTES, mark_required=True)


def expert_template() -> bytes:
    return write_xlsx(_("专家"), EXPERT_COLUMNS, [], notes=EXPERT_NOTES, mark_required=True)


def enterprise_labels(user: User) -> Callable[[int], str]:
    """The names the survey spreadsheet gives the units of ``user`` (the export's labels)."""
    return UnitResolver.of(need_enterprises(user)).label


def need_export_row(need: TalentNeed, label: Callable[[int], str]) -> Sequence[Any]:
    """A need as a row of the survey spreadsheet (``label``: :func:`enterprise_labels`)."""
    return (
        need.code,
        label(need.enterprise_id) or need.enterprise.name,
        need.position,
        [d.code for d in need.disciplines.all()],
        need.majors,
        need.get_degree_display(),
        need.number,
        need.get_urgency_display(),
        need.salary_min,
        need.salary_max,
        need.deadline,
        need.description,
        [u.name for u in need.preferred_universities.all()],
        need.campaign.title if need.campaign else "",
        need.get_status_display(),
        need.reported_on,
    )


def expert_export_row(expert: Expert) -> Sequence[Any]:
    return (
        expert.name,
        expert.university.name,
        expert.department,
        expert.title,
        expert.honours,
        [d.code for d in expert.disciplines.all()],
        expert.directions,
        [c.code for c in expert.projects.all()],
        expert.project_notes,
    )


# Lookups shared by the rows of one file -------------------------------------------------------


@dataclass
class Lookups:
    user: User
    enterprises: UnitResolver
    universities: UniversityMatcher
    disciplines: dict[str, Discipline]
    campaigns: dict[str, SurveyCampaign]
    cooperations: dict[str, Cooperation]
    units: dict[int, Unit] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User) -> Lookups:
        disciplines: dict[str, Discipline] = {}
        for discipline in Discipline.objects.filter(parent__isnull=False):
            disciplines[discipline.code] = discipline
            disciplines.setdefault(discipline.name, discipline)
        return cls(
            user=user,
            enterprises=UnitResolver.of(need_enterprises(user)),
            universities=UniversityMatcher(),
            disciplines=disciplines,
            campaigns={c.title: c for c in campaign_qs(user)},
            cooperations={c.code: c for c in cooperation_qs(user).only("pk", "code", "title")},
        )

    def unit(self, pk: int) -> Unit:
        if pk not in self.units:
            self.units[pk] = Unit.objects.get(pk=pk)
        return self.units[pk]

    def discipline_list(self, texts: Sequence[str], errors: dict[str, str]) -> list[Discipline]:
        found: list[Discipline] = []
        bad: list[str] = []
        for text in texts:
            code = text.split()[0] if text.split() else text
            discipline = self.disciplines.get(code) or self.disciplines.get(text.strip())
            if discipline is None:
                bad.append(text)
            elif discipline not in found:
                found.append(discipline)
        if bad:
            errors["disciplines"] = _("无法识别学科“%(names)s”，请写一级学科代码或名称") % {
                "names": "、".join(bad)
            }
        return found


@dataclass
class Resolved:
    """The universities of one row: certain ones, held ones, and the notes for the preview."""

    universities: list[University] = field(default_factory=list)
    held: list[UniversityMatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _universities(
    names: Sequence[str],
    lookups: Lookups,
    overrides: dict[str, int],
    errors: dict[str, str],
    column: str,
) -> Resolved:
    out = Resolved()
    unknown: list[str] = []
    for name in names:
        if name in overrides:
            out.universities.append(University.objects.get(pk=overrides[name]))
            continue
        found = lookups.universities.match(name)
        if found.status == "resolved" and found.university_id is not None:
            out.universities.append(University.objects.get(pk=found.university_id))
            if found.note:
                out.notes.append(found.note)
        elif found.status == "held":
            out.held.append(found)
        else:
            unknown.append(found.note)
    if unknown:
        errors[column] = "；".join(unknown)
    return out


def _restored(values: dict[str, Any], columns: Sequence[Column]) -> dict[str, Any]:
    out = dict(values)
    for column in columns:
        value = out.get(column.key)
        if value in (None, ""):
            continue
        if column.kind == "date":
            out[column.key] = dt.date.fromisoformat(value)
        elif column.kind == "decimal":
            out[column.key] = Decimal(value)
    return out


# Needs ---------------------------------------------------------------------------------------


def _need_row(
    values: dict[str, Any], lookups: Lookups, overrides: dict[str, int]
) -> tuple[services.NeedData | None, Resolved]:
    """The need of one row, or (None, held names) when a university is uncertain."""
    errors: dict[str, str] = {}
    enterprise_id, problem = lookups.enterprises.resolve(values["enterprise"])
    if enterprise_id is None:
        errors["enterprise"] = problem
    disciplines = lookups.discipline_list(values["disciplines"], errors)
    resolved = _universities(
        values["preferred_universities"], lookups, overrides, errors, "preferred_universities"
    )
    campaign = None
    if values["campaign"]:
        campaign = lookups.campaigns.get(values["campaign"])
        if campaign is None:
            errors["campaign"] = _("找不到需求调查“%(campaign)s”（或不在您的数据范围内）") % {
                "campaign": values["campaign"]
            }
    if values["number"] is not None and values["number"] < 1:
        errors["number"] = _("需求人数至少为 1")
    if errors:
        raise DomainError("invalid_row", next(iter(errors.values())), errors)
    if resolved.held:
        return None, resolved
    assert enterprise_id is not None

    def tenth(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(TENTH)

    data = services.NeedData(
        code=values["code"],
        enterprise=lookups.unit(enterprise_id),
        position=values["position"],
        disciplines=disciplines,
        majors=values["majors"],
        degree=DEGREE_BY_LABEL[values["degree"]],
        number=values["number"],
        urgency=URGENCY_BY_LABEL[values["urgency"]],
        salary_min=tenth(values["salary_min"]),
        salary_max=tenth(values["salary_max"]),
        deadline=values["deadline"],
        description=values["description"],
        preferred_universities=resolved.universities,
        campaign=campaign,
        status=STATUS_BY_LABEL.get(values["status"], NeedStatus.OPEN),
        source=NeedSource.IMPORT,
        reported_on=values["reported_on"],
    )
    return data, resolved


def _save_need(user: User, data: services.NeedData) -> Outcome:
    visible = need_qs(user)
    if data.code:
        existing = visible.filter(code=data.code).first()
        if existing is None and TalentNeed.objects.filter(code=data.code).exists():
            raise DomainError(
                "forbidden", _("无权修改该需求"), {"code": _("需求编号不在您的数据范围内")}
            )
    else:
        existing = visible.filter(
            enterprise=data.enterprise, position=data.position.strip(), campaign=data.campaign
        ).first()
    if existing is None:
        services.need_create(actor=user, data=data)
        return "created"
    if services.need_unchanged(existing, data):
        return "unchanged"
    data.source = existing.source
    services.need_update(actor=user, need=existing, data=data)
    return "updated"


# Experts -------------------------------------------------------------------------------------


def _expert_row(
    values: dict[str, Any], lookups: Lookups, overrides: dict[str, int], owner: Unit
) -> tuple[services.ExpertData | None, Resolved]:
    errors: dict[str, str] = {}
    disciplines = lookups.discipline_list(values["disciplines"], errors)
    resolved = _universities([values["university"]], lookups, overrides, errors, "university")
    projects: list[Cooperation] = []
    missing = [c for c in values["projects"] if c not in lookups.cooperations]
    if missing:
        errors["projects"] = _("找不到合作编号“%(codes)s”（或不在您的数据范围内）") % {
            "codes": "、".join(missing)
        }
    else:
        projects = [lookups.cooperations[c] for c in dict.fromkeys(values["projects"])]
    if errors:
        raise DomainError("invalid_row", next(iter(errors.values())), errors)
    if resolved.held:
        return None, resolved
    data = services.ExpertData(
        name=values["name"],
        university=resolved.universities[0],
        owner_unit=owner,
        directions=values["directions"],
        disciplines=disciplines,
        department=values["department"],
        title=values["title"],
        honours=values["honours"],
        projects=projects,
        project_notes=values["project_notes"],
    )
    return data, resolved


def _save_expert(user: User, data: services.ExpertData) -> Outcome:
    existing = (
        expert_qs(user)
        .filter(owner_unit=data.owner_unit, university=data.university, name=data.name.strip())
        .first()
    )
    if existing is None:
        services.expert_create(actor=user, data=data)
        return "created"
    if services.expert_unchanged(existing, data):
        return "unchanged"
    services.expert_update(actor=user, expert=existing, data=data, expected_version=None)
    return "updated"


# Held rows: a person picks the university ----------------------------------------------------


@transaction.atomic
def held_resolve(
    *, user: User, held: HeldRow, choices: dict[str, int] | None, drop: bool = False
) -> TalentNeed | Expert | None:
    """Confirm a held row with the universities a person chose (``written name → id``), or
    drop it. Every chosen id must be one of the row's candidates."""
    if held.resolved_at is not None:
        raise DomainError("resolved", _("该行已处理"))
    if drop:
        services.held_close(actor=user, held=held, outcome=_("已舍弃"))
        return None
    choices = choices or {}
    for entry in held.pending:
        written = str(entry["written"])
        allowed = {int(c["id"]) for c in entry["candidates"]}
        if choices.get(written) not in allowed:
            raise DomainError(
                "choose",
                _("请为“%(written)s”选择一所候选高校") % {"written": written},
                {written: _("请选择候选高校")},
            )
    lookups = Lookups.of(user)
    record: TalentNeed | Expert
    if held.kind == ImportKind.NEED:
        values = _restored(held.values, need_columns(user))
        need_data, _held = _need_row(values, lookups, choices)
        assert need_data is not None
        outcome = _save_need(user, need_data)
        record = (
            need_qs(user).get(
                enterprise=need_data.enterprise,
                position=need_data.position.strip(),
                campaign=need_data.campaign,
            )
            if not need_data.code
            else need_qs(user).get(code=need_data.code)
        )
        done = _("已新增需求 %(code)s") if outcome == "created" else _("已更新需求 %(code)s")
        label = done % {"code": record.code}
    else:
        values = _restored(held.values, EXPERT_COLUMNS)
        expert_data, _held = _expert_row(values, lookups, choices, held.unit)
        assert expert_data is not None
        outcome = _save_expert(user, expert_data)
        record = expert_qs(user).get(
            owner_unit=expert_data.owner_unit,
            university=expert_data.university,
            name=expert_data.name.strip(),
        )
        done = _("已新增专家 %(name)s") if outcome == "created" else _("已更新专家 %(name)s")
        label = done % {"name": record.name}
    services.held_close(actor=user, held=held, outcome=label)
    return record
