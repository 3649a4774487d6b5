"""The registers of the cooperation app for the one import flow (``core.importing``).

``cooperations`` — the ledger. A row is matched to an existing cooperation by its 合作编号,
else by 合作名称 + 登记单位 + 意向日期 (importing the same file twice adds nothing). Units are
resolved among the user's scope and universities by code, name, alias, pinyin or a close enough
name (``reference.matching``), once per distinct name for the whole file; an uncertain name is
an error of its row naming the candidates. A ledger without a stage column takes its stage from
its dates (``engines.stages.derive_stage``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from yanzhen.cooperation import services
from yanzhen.cooperation.activity_importers import ActivityRegister
from yanzhen.cooperation.base_importers import BaseRegister
from yanzhen.cooperation.models import (
    Base,
    Channel,
    Cooperation,
    CooperationKind,
    CooperationParty,
    CooperationUniversity,
)
from yanzhen.cooperation.selectors import base_qs, cooperation_qs
from yanzhen.cooperation.services import bulk
from yanzhen.core.errors import DomainError
from yanzhen.core.importing import Creator, Register
from yanzhen.core.models import Unit, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import local_units, unit_qs
from yanzhen.engines.stages import STAGE_LABELS, derive_stage
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.reference.matching import UniversityMatcher
from yanzhen.reference.models import Industry, LocalIndustry, University

TEN_THOUSAND = Decimal(10000)
# The office's short words for the four channels (the case's 邀、找、引、聚).
CHANNEL_WORDS = {
    "invite": ("邀", "领导邀请", "上门邀"),
    "find": ("找", "自主找", "企业找"),
    "attract": ("引", "人才引", "引荐"),
    "gather": ("聚", "产业聚"),
}


def cooperation_specs() -> tuple[FieldSpec, ...]:
    channels = tuple(Choice(v, str(lbl), CHANNEL_WORDS.get(v, ())) for v, lbl in Channel.choices)
    kinds = tuple(Choice(v, str(lbl)) for v, lbl in CooperationKind.choices)
    stages = tuple(Choice(s.value, label) for s, label in STAGE_LABELS.items())
    industries = tuple(Choice(n, n) for n in LocalIndustry.objects.values_list("name", flat=True))
    return (
        FieldSpec("code", "合作编号", synonyms=("项目编号", "合作项目编号")),
        FieldSpec("title", "合作名称", required=True,
                  synonyms=("项目名称", "合作项目", "合作项目名称", "项目")),
        FieldSpec("owner_unit", "登记单位", required=True,
                  synonyms=("填报单位", "责任单位", "牵头单位", "所属单位")),
        FieldSpec("parties", "本地合作方", "list", required=True,
                  synonyms=("合作企业", "本地单位", "合作单位", "合作主体", "地方合作方",
                            "企业名称")),
        FieldSpec("universities", "合作高校", "list", required=True,
                  synonyms=("合作院校", "高校", "院校", "合作高校(院所)", "高校名称",
                            "合作院所", "合作高校院所")),
        FieldSpec("channel", "对接渠道", "choice", required=True, choices=channels,
                  synonyms=("对接方式", "渠道", "合作渠道")),
        FieldSpec("kind", "合作类型", "choice", required=True, choices=kinds,
                  synonyms=("类型", "合作方式", "合作类别")),
        FieldSpec("base", "所属基地", synonyms=("基地", "基地名称")),
        FieldSpec("local_industry", "本地产业", "choice", choices=industries,
                  synonyms=("产业", "所属产业")),
        FieldSpec("industry", "国民经济行业代码", synonyms=("行业代码",)),
        FieldSpec("stage", "阶段", "choice", choices=stages,
                  synonyms=("合作阶段", "进展阶段", "进展", "状态")),
        FieldSpec("intention_date", "意向日期", "date", required=True,
                  synonyms=("意向时间", "对接时间", "意向签订时间")),
        FieldSpec("agreement_date", "签约日期", "date",
                  synonyms=("签约时间", "协议签订时间", "签订时间")),
        FieldSpec("landed_date", "落地日期", "date", synonyms=("落地时间",)),
        FieldSpec("dropped_date", "终止日期", "date", synonyms=("终止时间",)),
        FieldSpec("drop_reason", "终止原因"),
        FieldSpec("planned_investment", "计划投资（万元）", "decimal", scale=TEN_THOUSAND,
                  synonyms=("计划投资", "计划投资额", "拟投资", "投资额")),
        FieldSpec("landed_investment", "落地投资（万元）", "decimal", scale=TEN_THOUSAND,
                  synonyms=("落地投资", "实际投资", "到位资金")),
        FieldSpec("participants", "参与学生（人）", "int",
                  synonyms=("参与学生", "学生人数", "参与人数")),
        FieldSpec("online", "云对接/云签约", "bool", synonyms=("云签约", "云对接", "线上签约")),
        FieldSpec("description", "合作内容", synonyms=("内容", "项目内容", "主要内容", "合作事项")),
    )  # fmt: skip


@dataclass
class LedgerContext:
    user: User
    owners: dict[str, tuple[int | None, str]]
    parties: dict[str, tuple[int | None, str]]
    units: dict[int, Unit]
    universities: dict[str, tuple[int | None, str, str]]  # name → (id, problem, note)
    university_rows: dict[int, University]
    bases: dict[str, Base]
    local_industries: dict[str, LocalIndustry]
    industries: dict[str, Industry]
    relations: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)


def _texts(records: Sequence[Record], key: str) -> set[str]:
    out: set[str] = set()
    for record in records:
        value = record.values.get(key)
        if isinstance(value, list):
            out.update(str(v).strip() for v in value if str(v).strip())
        elif isinstance(value, str) and value.strip():
            out.add(value.strip())
    return out


class CooperationRegister(Register[services.CooperationData, Cooperation]):
    name = "cooperations"
    title = "合作台账"
    permission = "cooperation.import_cooperation"
    model = Cooperation
    derivable = ("stage",)
    field_columns: ClassVar[Mapping[str, str]] = {
        "target": "stage",
        "date": "stage",
        "reason": "drop_reason",
        "__duplicate__": "title",
    }

    duplicate_message = "与第{row}行是同一项合作"
    create_in_chunks = True

    def specs(self) -> tuple[FieldSpec, ...]:
        return cooperation_specs()

    def derive(self, values: dict[str, object], present: set[str]) -> None:
        if "stage" in present and values.get("stage"):
            return
        values["stage"] = derive_stage(
            agreement_date=values.get("agreement_date"),  # type: ignore[arg-type]
            landed_date=values.get("landed_date"),  # type: ignore[arg-type]
            dropped_date=values.get("dropped_date"),  # type: ignore[arg-type]
        ).value

    def prepare_fields(self) -> tuple[str, ...]:
        return ("owner_unit", "parties", "universities", "industry")

    def prepare(self, *, user: User, records: Sequence[Record]) -> LedgerContext:
        owner_texts = _texts(records, "owner_unit")
        party_texts = _texts(records, "parties")
        owners = UnitResolver.among(unit_qs(user), owner_texts)
        parties = UnitResolver.among(local_units(user), party_texts)
        owner_map = {t: owners.resolve(t) for t in owner_texts}
        party_map = {t: parties.resolve(t) for t in party_texts}
        ids = {pk for pk, _ in [*owner_map.values(), *party_map.values()] if pk is not None}
        matcher = UniversityMatcher()
        universities: dict[str, tuple[int | None, str, str]] = {}
        for text in _texts(records, "universities"):
            found = matcher.match(text)
            universities[text] = (found.university_id, found.problem, found.note)
        uni_ids = {pk for pk, _, _ in universities.values() if pk is not None}
        bases = list(base_qs(user))
        return LedgerContext(
            user=user,
            owners=owner_map,
            parties=party_map,
            units=Unit.objects.in_bulk(ids),
            universities=universities,
            university_rows=University.objects.in_bulk(uni_ids),
            bases={**{b.name: b for b in bases}, **{b.code: b for b in bases}},
            local_industries={i.name: i for i in LocalIndustry.objects.all()},
            industries={
                i.code: i for i in Industry.objects.filter(code__in=_texts(records, "industry"))
            },
        )

    def build(
        self, context: Any, values: Mapping[str, object], notes: list[str]
    ) -> services.CooperationData:
        ctx: LedgerContext = context
        errors: dict[str, str] = {}
        owner_text = str(values["owner_unit"]).strip()
        owner_id, problem = ctx.owners.get(owner_text, (None, ""))
        if owner_id is None and owner_text:
            errors["owner_unit"] = problem
        party_ids: list[int] = []
        problems: list[str] = []
        for text in values["parties"]:  # type: ignore[attr-defined]
            pk, problem = ctx.parties.get(str(text).strip(), (None, ""))
            if pk is None:
                problems.append(problem)
            elif pk not in party_ids:
                party_ids.append(pk)
        if problems:
            errors["parties"] = "；".join(problems)
        uni_ids: list[int] = []
        unresolved: list[str] = []
        for text in values["universities"]:  # type: ignore[attr-defined]
            uni, problem, note = ctx.universities.get(str(text).strip(), (None, "", ""))
            if uni is None:
                unresolved.append(problem)
                continue
            if note:
                notes.append(note)
            if uni not in uni_ids:
                uni_ids.append(uni)
        if unresolved:
            errors["universities"] = "；".join(unresolved)
        base = None
        base_text = str(values["base"]).strip()
        if base_text:
            base = ctx.bases.get(base_text)
            if base is None:
                errors["base"] = f"找不到基地“{base_text}”（或不在您的数据范围内）"
        industry = None
        code = str(values["industry"]).strip()
        if code:
            industry = ctx.industries.get(code)
            if industry is None:
                errors["industry"] = f"国民经济行业代码“{code}”不存在"
        if errors:
            raise DomainError("invalid_row", next(iter(errors.values())), errors)
        if owner_id is None:
            raise DomainError("invalid_row", "登记单位不能为空", {"owner_unit": "登记单位不能为空"})
        local = str(values["local_industry"])
        return services.CooperationData(
            code=str(values["code"]).strip(),
            title=str(values["title"]).strip(),
            owner_unit=ctx.units[owner_id],
            parties=[ctx.units[u] for u in party_ids],
            universities=[ctx.university_rows[u] for u in uni_ids],
            channel=str(values["channel"]),
            kind=str(values["kind"]),
            base=base,
            local_industry=ctx.local_industries.get(local) if local else None,
            industry=industry,
            stage=str(values["stage"]),
            intention_date=values["intention_date"],  # type: ignore[arg-type]
            agreement_date=values["agreement_date"],  # type: ignore[arg-type]
            landed_date=values["landed_date"],  # type: ignore[arg-type]
            dropped_date=values["dropped_date"],  # type: ignore[arg-type]
            drop_reason=str(values["drop_reason"]),
            planned_investment=_money(values["planned_investment"]),
            landed_investment=_money(values["landed_investment"]),
            participants=int(values["participants"] or 0),  # type: ignore[call-overload]
            online=bool(values["online"]),
            description=str(values["description"]),
        )

    def key(self, item: services.CooperationData) -> Hashable:
        if item.code:
            return ("code", item.code)
        return ("name", item.title.strip(), item.owner_unit.pk, item.intention_date)

    def existing(
        self, context: Any, items: Sequence[services.CooperationData]
    ) -> dict[Hashable, Cooperation]:
        ctx: LedgerContext = context
        visible = cooperation_qs(ctx.user)
        codes = [i.code for i in items if i.code]
        titles = {i.title.strip() for i in items if not i.code}
        found: dict[Hashable, Cooperation] = {}
        rows: list[Cooperation] = []
        if codes:
            rows += list(visible.filter(code__in=codes))
        if titles:
            rows += list(visible.filter(title__in=titles))
        for row in rows:
            found[("code", row.code)] = row
            found[("name", row.title, row.owner_unit_id, row.intention_date)] = row
        ids = [r.pk for r in rows]
        parties: dict[int, set[int]] = defaultdict(set)
        for coop, unit in CooperationParty.objects.filter(cooperation_id__in=ids).values_list(
            "cooperation_id", "unit_id"
        ):
            parties[coop].add(unit)
        unis: dict[int, set[int]] = defaultdict(set)
        for coop, uni in CooperationUniversity.objects.filter(cooperation_id__in=ids).values_list(
            "cooperation_id", "university_id"
        ):
            unis[coop].add(uni)
        ctx.relations = {pk: (parties[pk], unis[pk]) for pk in ids}
        return found

    def unchanged(self, context: Any, obj: Cooperation, item: services.CooperationData) -> bool:
        wanted = {
            "title": item.title.strip(),
            "owner_unit_id": item.owner_unit.pk,
            "channel": item.channel,
            "kind": item.kind,
            "base_id": item.base.pk if item.base else None,
            "local_industry_id": item.local_industry.pk if item.local_industry else None,
            "industry_id": item.industry.pk if item.industry else None,
            "stage": item.stage,
            "intention_date": item.intention_date,
            "agreement_date": item.agreement_date,
            "landed_date": item.landed_date,
            "dropped_date": item.dropped_date,
            "drop_reason": item.drop_reason,
            "planned_investment": item.planned_investment,
            "landed_investment": item.landed_investment,
            "participants": item.participants,
            "online": item.online,
            "description": item.description,
        }
        if any(getattr(obj, name) != value for name, value in wanted.items()):
            return False
        ctx: LedgerContext = context
        parties, unis = ctx.relations.get(obj.pk, (set(), set()))
        return parties == {u.pk for u in item.parties} and unis == {u.pk for u in item.universities}

    def create(self, *, user: User, item: services.CooperationData) -> Cooperation:
        if item.code and Cooperation.all_objects.filter(code=item.code).exists():
            raise DomainError(
                "forbidden", "无权修改该合作", {"code": "合作编号已存在且不在您的数据范围内"}
            )
        return services.cooperation_create(actor=user, data=item)

    def create_many(
        self, *, user: User, items: Sequence[services.CooperationData]
    ) -> list[Cooperation | DomainError]:
        return bulk.cooperation_create_many(actor=user, items=items)

    def creator(self, *, user: User, write: bool) -> Creator[services.CooperationData, Cooperation]:
        return bulk.CooperationBatch(actor=user, write=write).create

    def update(
        self, *, user: User, obj: Cooperation, item: services.CooperationData
    ) -> Cooperation:
        return services.cooperation_update(
            actor=user, cooperation=obj, data=item, allow_stage_forward=True, note="Excel导入更新"
        )

    def remove(self, *, user: User, obj: Cooperation) -> None:
        services.cooperation_delete(actor=user, cooperation=obj)


def _money(value: object) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    return _cents(str(value))


@functools.lru_cache(maxsize=4096)
def _cents(text: str) -> Decimal:
    """An amount to the cent (amounts recur down a ledger: each spelling converted once,
    the value shared — a ``Decimal`` is immutable)."""
    return Decimal(text).quantize(Decimal("0.01"))


REGISTERS = (CooperationRegister(), BaseRegister(), ActivityRegister())
