"""The registers of the demand app for the one import flow (``core.importing``).

``needs`` — the enterprises' talent needs (the survey spreadsheet). Natural key: 需求编号, else
需求单位 + 岗位名称 + 所属调查 (as the survey is answered once per enterprise and position).

``experts`` — the universities' experts. Natural key: 所在高校 + 姓名 within the importing
unit (the unit that keeps the list).

A university written uncertainly (an alias two universities share, a name only similar to
ours) is an error of its row naming the candidates, never guessed; the importer corrects the
cell and uploads again (the error workbook).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.import_kit import Lookups, ServiceRegister, invalid, texts_of
from yanzhen.core.models import Unit, User
from yanzhen.demand import services
from yanzhen.demand.models import (
    Expert,
    NeedDegree,
    NeedSource,
    NeedStatus,
    TalentNeed,
    Urgency,
)
from yanzhen.demand.selectors import campaign_qs, expert_qs, need_enterprises, need_qs
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.reference.models import Discipline

TEN_THOUSAND = Decimal(10000)
# The fields of a need / an expert that a version holds (its relations are the current ones).
NEED_VALUES = ("code", "enterprise", "position", "degree", "number", "urgency", "majors",
               "salary_min", "salary_max", "deadline", "description", "campaign", "status",
               "source", "reported_on")  # fmt: skip
EXPERT_VALUES = ("name", "university", "owner_unit", "directions", "department", "title",
                 "honours", "project_notes")  # fmt: skip
TENTH = Decimal("0.1")
DEGREE_WORDS = {"bachelor": ("学士", "大学本科"), "associate": ("专科", "高职")}
URGENCY_WORDS = {"urgent": ("急", "紧急", "急需"), "normal": ("一般",)}


def _choices(
    pairs: Iterable[tuple[str, Any]], words: Mapping[str, tuple[str, ...]]
) -> tuple[Choice, ...]:
    return tuple(Choice(v, str(lbl), words.get(v, ())) for v, lbl in pairs)


def need_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("code", "需求编号", synonyms=("编号",)),
        FieldSpec("enterprise", "需求单位", required=True,
                  synonyms=("企业名称", "单位名称", "用人单位", "企业", "单位")),
        FieldSpec("position", "岗位名称", required=True,
                  synonyms=("需求岗位", "岗位", "职位", "招聘岗位")),
        FieldSpec("degree", "学历要求", "choice", required=True,
                  choices=_choices(NeedDegree.choices, DEGREE_WORDS),
                  synonyms=("学历", "学位要求", "最低学历")),
        FieldSpec("number", "需求人数", "int", required=True,
                  synonyms=("人数", "需求数量", "招聘人数")),
        FieldSpec("urgency", "紧迫程度", "choice", choices=_choices(Urgency.choices, URGENCY_WORDS),
                  synonyms=("紧急程度", "是否急需")),
        FieldSpec("disciplines", "学科代码", "list", synonyms=("学科", "所需学科", "学科领域")),
        FieldSpec("majors", "专业要求", synonyms=("专业", "所需专业")),
        FieldSpec("salary_min", "年薪下限（万元）", "decimal", scale=TEN_THOUSAND,
                  synonyms=("年薪下限", "薪酬下限")),
        FieldSpec("salary_max", "年薪上限（万元）", "decimal", scale=TEN_THOUSAND,
                  synonyms=("年薪上限", "薪酬上限")),
        FieldSpec("deadline", "到岗期限", "date", synonyms=("到岗时间", "期望到岗时间")),
        FieldSpec("description", "需求描述", synonyms=("岗位职责", "岗位描述", "具体要求")),
        FieldSpec("preferred_universities", "意向高校", "list",
                  synonyms=("意向院校", "合作高校", "目标高校")),
        FieldSpec("campaign", "所属调查", synonyms=("调查", "需求调查")),
        FieldSpec("status", "状态", "choice", choices=_choices(NeedStatus.choices, {})),
        FieldSpec("reported_on", "填报日期", "date", synonyms=("填报时间", "登记日期")),
    )  # fmt: skip


def expert_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("专家姓名",)),
        FieldSpec("university", "所在高校", required=True,
                  synonyms=("高校", "所在院校", "院校", "工作单位", "单位")),
        FieldSpec("directions", "研究方向", required=True,
                  synonyms=("研究领域", "专业方向", "擅长领域")),
        FieldSpec("department", "院系", synonyms=("所在院系", "学院")),
        FieldSpec("title", "职称", synonyms=("职务/职称", "技术职称")),
        FieldSpec("honours", "人才称号", synonyms=("称号", "荣誉称号", "人才头衔")),
        FieldSpec("disciplines", "学科代码", "list", synonyms=("学科", "所属学科")),
        FieldSpec("projects", "参与的本地合作", "list", synonyms=("合作编号", "参与合作项目")),
        FieldSpec("project_notes", "其他合作经历", synonyms=("合作经历",)),
    )  # fmt: skip


def _disciplines(ctx: Lookups, texts: Sequence[str], errors: dict[str, str]) -> list[Discipline]:
    found: list[Discipline] = []
    bad: list[str] = []
    table: dict[str, Discipline] = ctx.extra["disciplines"]
    for text in texts:
        word = text.split()[0] if text.split() else text
        discipline = table.get(word) or table.get(text.strip())
        if discipline is None:
            bad.append(text)
        elif discipline not in found:
            found.append(discipline)
    if bad:
        errors["disciplines"] = f"无法识别学科“{'、'.join(bad)}”，请写一级学科代码或名称"
    return found


def _discipline_table() -> dict[str, Discipline]:
    table: dict[str, Discipline] = {}
    for discipline in Discipline.objects.filter(parent__isnull=False):
        table[discipline.code] = discipline
        table.setdefault(discipline.name, discipline)
    return table


def _tenth(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TENTH)


class NeedRegister(ServiceRegister[services.NeedData, TalentNeed]):
    name = "needs"
    title = "人才需求"
    permission = "demand.import_talentneed"
    model = TalentNeed
    unit_fields = ("enterprise",)
    university_fields = ("preferred_universities",)
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "position"}
    duplicate_message = "与第{row}行是同一需求"

    def specs(self) -> tuple[FieldSpec, ...]:
        return need_specs()

    def unit_choices(self, user: User) -> Any:
        return need_enterprises(user)

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        ctx.extra["disciplines"] = _discipline_table()
        ctx.extra["campaigns"] = {c.title: c for c in campaign_qs(ctx.user)}

    def build(
        self, context: Any, values: Mapping[str, object], notes: list[str]
    ) -> services.NeedData:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        enterprise = ctx.unit(values["enterprise"], errors, "enterprise")
        disciplines = _disciplines(ctx, values["disciplines"], errors)  # type: ignore[arg-type]
        universities = ctx.universities_of(
            values["preferred_universities"],  # type: ignore[arg-type]
            errors,
            "preferred_universities",
            notes,
        )
        campaign = None
        if text := str(values["campaign"]).strip():
            campaign = ctx.extra["campaigns"].get(text)
            if campaign is None:
                errors["campaign"] = f"找不到需求调查“{text}”（或不在您的数据范围内）"
        number = values["number"]
        if isinstance(number, int) and number < 1:
            errors["number"] = "需求人数至少为 1"
        if errors:
            raise invalid(errors)
        assert enterprise is not None
        assert isinstance(number, int)
        return services.NeedData(
            code=str(values["code"]).strip(),
            enterprise=enterprise,
            position=str(values["position"]).strip(),
            disciplines=disciplines,
            majors=str(values["majors"]).strip(),
            degree=str(values["degree"]),
            number=number,
            urgency=str(values["urgency"]) or Urgency.NORMAL,
            salary_min=_tenth(values["salary_min"]),
            salary_max=_tenth(values["salary_max"]),
            deadline=values["deadline"],  # type: ignore[arg-type]
            description=str(values["description"]).strip(),
            preferred_universities=universities,
            campaign=campaign,
            status=str(values["status"]) or NeedStatus.OPEN,
            source=NeedSource.IMPORT,
            reported_on=values["reported_on"],  # type: ignore[arg-type]
        )

    def key(self, item: services.NeedData) -> Hashable:
        if item.code:
            return ("code", item.code)
        return (
            "need",
            item.enterprise.pk,
            item.position,
            item.campaign.pk if item.campaign else None,
        )

    def keys_of(self, obj: TalentNeed) -> Iterable[Hashable]:
        yield ("code", obj.code)
        yield ("need", obj.enterprise_id, obj.position, obj.campaign_id)

    def candidates(self, ctx: Lookups, items: Sequence[services.NeedData]) -> Iterable[TalentNeed]:
        codes = [i.code for i in items if i.code]
        positions = {i.position for i in items}
        visible = need_qs(ctx.user)
        found = list(visible.filter(code__in=codes)) if codes else []
        return found + list(visible.filter(position__in=positions))

    def unchanged(self, context: Any, obj: TalentNeed, item: services.NeedData) -> bool:
        return services.need_unchanged(obj, item)

    def create(self, *, user: User, item: services.NeedData) -> TalentNeed:
        if item.code and TalentNeed.all_objects.filter(code=item.code).exists():
            message = "需求编号已存在且不在您的数据范围内"
            raise DomainError("forbidden", "无权修改该需求", {"code": message})
        return services.need_create(actor=user, data=item)

    def update(self, *, user: User, obj: TalentNeed, item: services.NeedData) -> TalentNeed:
        item.source = obj.source
        return services.need_update(actor=user, need=obj, data=item)

    def remove(self, *, user: User, obj: TalentNeed) -> None:
        services.need_delete(actor=user, need=obj)

    def item_of(self, version: TalentNeed) -> services.NeedData:
        fields = {name: getattr(version, name) for name in NEED_VALUES}
        return services.NeedData(
            **fields,
            disciplines=list(TalentNeed.objects.get(pk=version.pk).disciplines.all()),
            preferred_universities=list(
                TalentNeed.objects.get(pk=version.pk).preferred_universities.all()
            ),
        )


class ExpertRegister(ServiceRegister[services.ExpertData, Expert]):
    name = "experts"
    title = "专家"
    permission = "demand.import_expert"
    model = Expert
    university_fields = ("university",)
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "name"}
    duplicate_message = "与第{row}行是同一位专家"

    def specs(self) -> tuple[FieldSpec, ...]:
        return expert_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        ctx.extra["disciplines"] = _discipline_table()
        codes = texts_of(records, ("projects",))
        ctx.extra["projects"] = {c.code: c for c in cooperation_qs(ctx.user).filter(code__in=codes)}

    def build(
        self, context: Any, values: Mapping[str, object], notes: list[str]
    ) -> services.ExpertData:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        owner: Unit | None = ctx.user.unit
        if owner is None:
            errors["name"] = "您的账号没有所属单位，不能导入专家"
        university = ctx.university(values["university"], errors, "university", notes)
        disciplines = _disciplines(ctx, values["disciplines"], errors)  # type: ignore[arg-type]
        projects = []
        unknown = []
        for code in values["projects"]:  # type: ignore[attr-defined]
            project = ctx.extra["projects"].get(str(code).strip())
            if project is None:
                unknown.append(str(code))
            else:
                projects.append(project)
        if unknown:
            errors["projects"] = f"找不到合作编号“{'、'.join(unknown)}”（或不在您的数据范围内）"
        if errors:
            raise invalid(errors)
        assert owner is not None
        assert university is not None
        return services.ExpertData(
            name=str(values["name"]).strip(),
            university=university,
            owner_unit=owner,
            directions=str(values["directions"]).strip(),
            disciplines=disciplines,
            department=str(values["department"]).strip(),
            title=str(values["title"]).strip(),
            honours=str(values["honours"]).strip(),
            projects=projects,
            project_notes=str(values["project_notes"]).strip(),
        )

    def key(self, item: services.ExpertData) -> Hashable:
        return (item.owner_unit.pk, item.university.pk, item.name)

    def keys_of(self, obj: Expert) -> Iterable[Hashable]:
        yield (obj.owner_unit_id, obj.university_id, obj.name)

    def candidates(self, ctx: Lookups, items: Sequence[services.ExpertData]) -> Iterable[Expert]:
        return expert_qs(ctx.user).filter(name__in={i.name for i in items})

    def unchanged(self, context: Any, obj: Expert, item: services.ExpertData) -> bool:
        return services.expert_unchanged(obj, item)

    def create(self, *, user: User, item: services.ExpertData) -> Expert:
        return services.expert_create(actor=user, data=item)

    def update(self, *, user: User, obj: Expert, item: services.ExpertData) -> Expert:
        return services.expert_update(actor=user, expert=obj, data=item, expected_version=None)

    def remove(self, *, user: User, obj: Expert) -> None:
        services.expert_delete(actor=user, expert=obj)

    def item_of(self, version: Expert) -> services.ExpertData:
        current = Expert.objects.get(pk=version.pk)
        return services.ExpertData(
            **{name: getattr(version, name) for name in EXPERT_VALUES},
            disciplines=list(current.disciplines.all()),
            projects=list(current.projects.all()),
        )


REGISTERS = (NeedRegister(), ExpertRegister())
