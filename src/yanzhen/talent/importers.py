"""The registers of the talent app for the one import flow (``core.importing``).

``talents`` — the talent registry. A row is a person (found by the keyed hash of the ID number
in the user's scope, or filed at the employer through ``person_for``) with a talent type and an
arrival date: the natural key is ID number hash + 人才类型 + 到岗日期 (the registry's own unique
rule), else 姓名 + 用人单位 + 人才类型 + 到岗日期 for a row without an ID number.

``applicants`` (recruitment) are in :mod:`yanzhen.talent.recruitment_importers`; ``interns`` and
``host-rankings`` (placement) in :mod:`yanzhen.placement.importers`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, degree_choices, invalid, plain
from yanzhen.core.models import User
from yanzhen.core.scope import scope_of
from yanzhen.engines import idcard
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.talent.models import Campaign, Channel, Talent, TalentType
from yanzhen.talent.recruitment_importers import RECRUITMENT_REGISTERS
from yanzhen.talent.selectors.registry import talent_qs
from yanzhen.talent.services import registry as services
from yanzhen.talent.services.common import person_for

TYPE_WORDS = {
    "full_time": ("全职", "全职引进", "引进人才"),
    "flexible": ("柔性", "柔性引进", "柔性引才"),
    "project_team": ("项目团队",),
    "selected_graduate": ("选调",),
    "medical_graduate": ("医学生", "医学毕业"),
    "intern": ("实习", "实习生", "实习实训"),
}
CHANNEL_WORDS = {"open": ("公招", "招聘"), "campus": ("校招",), "placement": ("实习转正",)}
TALENT_COMPARED = ("talent_type", "degree", "university", "employer", "channel", "campaign",
                   "start_date", "end_date", "note")  # fmt: skip


def talent_specs() -> tuple[FieldSpec, ...]:
    types = tuple(
        Choice(v, str(lbl), TYPE_WORDS.get(v, ()))
        for v, lbl in TalentType.choices
        if v != TalentType.SECONDED
    )
    channels = tuple(Choice(v, str(lbl), CHANNEL_WORDS.get(v, ())) for v, lbl in Channel.choices)
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("人才姓名",)),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码", "证件号码")),
        FieldSpec("mobile", "手机号", synonyms=("手机号码", "联系电话", "联系方式")),
        FieldSpec("talent_type", "人才类型", "choice", required=True, choices=types,
                  synonyms=("类型", "人才类别", "引进类型", "类别")),
        FieldSpec("employer", "用人单位", required=True,
                  synonyms=("接收单位", "用人（接收）单位", "工作单位", "单位")),
        FieldSpec("channel", "引进渠道", "choice", required=True, choices=channels,
                  synonyms=("引才渠道", "渠道", "引进方式")),
        FieldSpec("start_date", "到岗日期", "date", required=True,
                  synonyms=("到岗时间", "引进时间", "入职时间", "报到时间")),
        FieldSpec("degree", "学位", "choice", choices=degree_choices(),
                  synonyms=("学历", "最高学历", "学历学位")),
        FieldSpec("university", "来源高校", synonyms=("毕业院校", "毕业学校", "院校", "高校")),
        FieldSpec("campaign", "招聘活动", synonyms=("所属活动", "招聘批次")),
        FieldSpec("end_date", "离岗日期", "date", synonyms=("离岗时间", "离职时间")),
        FieldSpec("note", "备注", synonyms=("说明",)),
    )  # fmt: skip


def person_key(item: Item) -> tuple[Hashable, ...]:
    if item["id_number"]:
        return ("id", keyed_hash(item["id_number"]))
    return ("name", item["name"], item["employer"].pk)


class TalentRegister(ServiceRegister[Item, Talent]):
    name = "talents"
    title = "人才库"
    permission = "talent.add_talent"
    model = Talent
    unit_fields = ("employer",)
    university_fields = ("university",)
    compared = TALENT_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "name", "person": "name"}
    duplicate_message = "与第{row}行是同一条人才记录"

    def specs(self) -> tuple[FieldSpec, ...]:
        return talent_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        campaigns = Campaign.objects.filter(scope_of(ctx.user).q("owner_unit"))
        ctx.extra["campaigns"] = {c.name: c for c in campaigns}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        employer = ctx.unit(values["employer"], errors, "employer")
        university = ctx.university(values["university"], errors, "university", notes)
        number = idcard.normalize_id_number(plain(values["id_number"]))
        problem = idcard.check_id_number(number) if number else None
        if problem:
            errors["id_number"] = problem
        campaign = None
        if text := str(values["campaign"]).strip():
            campaign = ctx.extra["campaigns"].get(text)
            if campaign is None:
                errors["campaign"] = f"找不到招聘活动“{text}”"
        if errors:
            raise invalid(errors)
        return {
            "name": str(values["name"]).strip(),
            "id_number": number,
            "mobile": plain(values["mobile"]),
            "talent_type": str(values["talent_type"]),
            "degree": str(values["degree"]),
            "university": university,
            "employer": employer,
            "channel": str(values["channel"]),
            "campaign": campaign,
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "note": str(values["note"]).strip(),
        }

    def key(self, item: Item) -> Hashable:
        return (*person_key(item), item["talent_type"], item["start_date"])

    def keys_of(self, obj: Talent) -> Iterable[Hashable]:
        person = obj.person
        if person.id_number_hash:
            yield ("id", person.id_number_hash, obj.talent_type, obj.start_date)
        yield ("name", person.name, obj.employer_id, obj.talent_type, obj.start_date)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Talent]:
        hashes = [keyed_hash(i["id_number"]) for i in items if i["id_number"]]
        names = {i["name"] for i in items}
        visible = talent_qs(ctx.user).select_related("person")
        found = list(visible.filter(person__id_number_hash__in=hashes)) if hashes else []
        return found + list(visible.filter(person__name__in=names, person__id_number_hash=""))

    def create(self, *, user: User, item: Item) -> Talent:
        person = person_for(
            actor=user,
            unit=item["employer"],
            name=item["name"],
            id_number=item["id_number"],
            mobile=item["mobile"],
            degree=item["degree"],
        )
        fields = {k: item[k] for k in TALENT_COMPARED}
        return services.talent_create(actor=user, person=person, **fields)

    def update(self, *, user: User, obj: Talent, item: Item) -> Talent:
        fields = {k: item[k] for k in TALENT_COMPARED}
        return services.talent_update(actor=user, talent=obj, **fields)

    def remove(self, *, user: User, obj: Talent) -> None:
        services.talent_delete(actor=user, talent=obj)


REGISTERS = (TalentRegister(), *RECRUITMENT_REGISTERS)
