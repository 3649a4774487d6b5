"""``applicants`` for the one import flow (``core.importing``): the applications of a
recruitment campaign (the sign-up sheet the organiser keeps).

A row names the campaign and the position (岗位名称 within the campaign, or ``用人单位/岗位名称``
where two units recruit for the same title), and the person (found by the keyed hash of the
ID number in the user's scope, or filed at the position's unit through ``person_for``).
Natural key: 岗位 + ID number hash, else 岗位 + 姓名. The stage moves on the campaign's page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, degree_choices, invalid, plain
from yanzhen.core.models import User
from yanzhen.engines import idcard
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.talent.models import Applicant, Position
from yanzhen.talent.selectors.recruitment import applicant_qs, position_qs
from yanzhen.talent.services import recruitment as services
from yanzhen.talent.services.common import person_for

APPLICANT_COMPARED = ("university", "degree", "applied_on")


def applicant_specs(degrees: tuple[Choice, ...]) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("报名人", "考生姓名")),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码", "证件号码")),
        FieldSpec("mobile", "手机号", synonyms=("手机号码", "联系电话", "联系方式")),
        FieldSpec("campaign", "招聘活动", required=True,
                  synonyms=("招聘批次", "所属活动", "活动名称", "招聘项目")),
        FieldSpec("position", "报考岗位", required=True,
                  synonyms=("岗位", "岗位名称", "应聘岗位", "报名岗位")),
        FieldSpec("applied_on", "报名日期", "date", required=True,
                  synonyms=("报名时间", "报名日")),
        FieldSpec("university", "毕业院校", synonyms=("毕业学校", "院校", "高校")),
        FieldSpec("degree", "学位", "choice", choices=degrees,
                  synonyms=("学历", "最高学历", "学历学位")),
    )  # fmt: skip


class ApplicantRegister(ServiceRegister[Item, Applicant]):
    name = "applicants"
    title = "招聘报名"
    permission = "talent.add_applicant"
    model = Applicant
    university_fields = ("university",)
    compared = APPLICANT_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "name", "person": "name"}
    duplicate_message = "与第{row}行是同一人报名同一岗位"

    def specs(self) -> tuple[FieldSpec, ...]:
        return applicant_specs(degree_choices())

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        positions: dict[tuple[str, str], list[Position]] = defaultdict(list)
        for position in position_qs(ctx.user).select_related("campaign", "unit"):
            positions[(position.campaign.name, position.title)].append(position)
            positions[(position.campaign.name, f"{position.unit.name}/{position.title}")].append(
                position
            )
        ctx.extra["positions"] = positions

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        campaign = str(values["campaign"]).strip()
        title = str(values["position"]).strip()
        found: list[Position] = ctx.extra["positions"].get((campaign, title), [])
        position = found[0] if len(found) == 1 else None
        if len(found) > 1:
            errors["position"] = (
                f"招聘活动“{campaign}”有{len(found)}个“{title}”岗位，请写成“用人单位/{title}”"
            )
        elif not found:
            errors["position"] = (
                f"招聘活动“{campaign}”中找不到岗位“{title}”（或不在您的数据范围内）"
            )
        university = ctx.university(values["university"], errors, "university", notes)
        number = idcard.normalize_id_number(plain(values["id_number"]))
        if number and (problem := idcard.check_id_number(number)):
            errors["id_number"] = problem
        if errors:
            raise invalid(errors)
        return {
            "name": str(values["name"]).strip(),
            "id_number": number,
            "mobile": plain(values["mobile"]),
            "position": position,
            "applied_on": values["applied_on"],
            "university": university,
            "degree": str(values["degree"]),
        }

    def key(self, item: Item) -> Hashable:
        who = ("id", keyed_hash(item["id_number"])) if item["id_number"] else ("name", item["name"])
        return (item["position"].pk, *who)

    def keys_of(self, obj: Applicant) -> Iterable[Hashable]:
        if obj.person.id_number_hash:
            yield (obj.position_id, "id", obj.person.id_number_hash)
        yield (obj.position_id, "name", obj.person.name)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Applicant]:
        positions = {i["position"].pk for i in items}
        return applicant_qs(ctx.user).filter(position__in=positions).select_related("person")

    def create(self, *, user: User, item: Item) -> Applicant:
        position: Position = item["position"]
        person = person_for(
            actor=user,
            unit=position.unit,
            name=item["name"],
            id_number=item["id_number"],
            mobile=item["mobile"],
            degree=item["degree"],
        )
        return services.applicant_create(
            actor=user,
            position=position,
            person=person,
            applied_on=item["applied_on"],
            university=item["university"],
            degree=item["degree"],
        )

    def update(self, *, user: User, obj: Applicant, item: Item) -> Applicant:
        fields = {k: item[k] for k in APPLICANT_COMPARED}
        return services.applicant_update(actor=user, applicant=obj, **fields)

    def remove(self, *, user: User, obj: Applicant) -> None:
        services.applicant_delete(actor=user, applicant=obj)


RECRUITMENT_REGISTERS = (ApplicantRegister(),)
