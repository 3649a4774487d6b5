"""The registers of the training college for the one import flow (``core.importing``).

``trainees`` — the trainees of a class (培训班), with their certificates: a row with a
completion date (or a certificate number) completes the enrolment through ``enrolment_move``
(a blank certificate number is numbered). The person is found by the keyed hash of the ID
number in the user's scope, or filed at the trainee's unit. Natural key: 培训班 + ID number
hash, else 培训班 + 姓名 + 所在单位.

``stores`` — the franchise stores of the college's brands. Natural key: 品牌 + 门店名称.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from yanzhen.college import services
from yanzhen.college.models import Brand, BrandStore, Enrolment, EnrolmentStatus, TrainingClass
from yanzhen.college.selectors import class_qs, college_qs, enrolment_qs
from yanzhen.core.crypto import keyed_hash
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid, plain
from yanzhen.core.models import User
from yanzhen.engines import idcard
from yanzhen.engines.tabular import FieldSpec, Record
from yanzhen.talent.services.common import person_for

TENTH = Decimal("0.1")


def trainee_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("training_class", "培训班", required=True,
                  synonyms=("班级名称", "班级", "培训班次", "培训项目", "班次")),
        FieldSpec("name", "姓名", required=True, synonyms=("学员姓名", "学员")),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码")),
        FieldSpec("mobile", "手机号", synonyms=("手机号码", "联系电话")),
        FieldSpec("unit", "所在单位", required=True,
                  synonyms=("所在村", "村（社区）", "工作单位", "单位", "所在单位（村、企业）")),
        FieldSpec("enrolled_on", "报名日期", "date", required=True,
                  synonyms=("报名时间", "入学时间", "开班日期")),
        FieldSpec("completed_on", "结业日期", "date", synonyms=("结业时间", "毕业时间")),
        FieldSpec("score", "成绩", "decimal", synonyms=("考核成绩", "结业成绩", "分数")),
        FieldSpec("certificate_no", "证书编号", synonyms=("结业证书编号", "证书号", "证号")),
    )  # fmt: skip


class TraineeRegister(ServiceRegister[Item, Enrolment]):
    name = "trainees"
    title = "培训学员"
    permission = "college.add_enrolment"
    model = Enrolment
    unit_fields = ("unit",)
    compared = ("unit", "enrolled_on")
    field_columns: ClassVar[Mapping[str, str]] = {
        "__duplicate__": "name", "date": "completed_on", "target": "completed_on",
    }  # fmt: skip
    duplicate_message = "与第{row}行是同一学员"

    def specs(self) -> tuple[FieldSpec, ...]:
        return trainee_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        ctx.extra["classes"] = {c.name: c for c in class_qs(ctx.user)}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        name = str(values["training_class"]).strip()
        training_class = ctx.extra["classes"].get(name)
        if training_class is None:
            errors["training_class"] = f"找不到培训班“{name}”（或不在您的数据范围内）"
        unit = ctx.unit(values["unit"], errors, "unit")
        number = idcard.normalize_id_number(plain(values["id_number"]))
        if number and (problem := idcard.check_id_number(number)):
            errors["id_number"] = problem
        if errors:
            raise invalid(errors)
        score = values["score"]
        return {
            "training_class": training_class,
            "name": str(values["name"]).strip(),
            "id_number": number,
            "mobile": plain(values["mobile"]),
            "unit": unit,
            "enrolled_on": values["enrolled_on"],
            "completed_on": values["completed_on"],
            "score": None if score is None else Decimal(str(score)).quantize(TENTH),
            "certificate_no": plain(values["certificate_no"]),
        }

    def key(self, item: Item) -> Hashable:
        if item["id_number"]:
            return (item["training_class"].pk, "id", keyed_hash(item["id_number"]))
        return (item["training_class"].pk, "name", item["name"], item["unit"].pk)

    def keys_of(self, obj: Enrolment) -> Iterable[Hashable]:
        if obj.person.id_number_hash:
            yield (obj.training_class_id, "id", obj.person.id_number_hash)
        yield (obj.training_class_id, "name", obj.person.name, obj.unit_id)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Enrolment]:
        classes = {i["training_class"].pk for i in items}
        return enrolment_qs(ctx.user).filter(training_class__in=classes).select_related("person")

    def unchanged(self, context: Any, obj: Enrolment, item: Item) -> bool:
        return super().unchanged(context, obj, item) and not self._completes(obj, item)

    @staticmethod
    def _completes(obj: Enrolment, item: Item) -> bool:
        wanted = bool(item["completed_on"] or item["certificate_no"])
        return wanted and obj.status == EnrolmentStatus.ENROLLED

    def _complete(self, user: User, enrolment: Enrolment, item: Item) -> None:
        if not self._completes(enrolment, item):
            return
        if item["completed_on"] is None:
            raise invalid({"completed_on": "填写证书编号的学员请同时填写结业日期"})
        services.enrolment_move(
            actor=user,
            enrolment=enrolment,
            target=EnrolmentStatus.COMPLETED,
            date=item["completed_on"],
            score=item["score"],
            certificate_no=item["certificate_no"],
        )

    def create(self, *, user: User, item: Item) -> Enrolment:
        training_class: TrainingClass = item["training_class"]
        person = person_for(
            actor=user, unit=item["unit"], name=item["name"], id_number=item["id_number"],
            mobile=item["mobile"],
        )  # fmt: skip
        enrolment = services.enrolment_create(
            actor=user, training_class=training_class, person=person, unit=item["unit"],
            enrolled_on=item["enrolled_on"],
        )  # fmt: skip
        self._complete(user, enrolment, item)
        return enrolment

    def update(self, *, user: User, obj: Enrolment, item: Item) -> Enrolment:
        fields = {k: item[k] for k in self.compared if k in item}
        enrolment = services.enrolment_update(actor=user, enrolment=obj, **fields)
        if "completed_on" in item:
            self._complete(user, enrolment, item)
        return enrolment

    def remove(self, *, user: User, obj: Enrolment) -> None:
        services.enrolment_delete(actor=user, enrolment=obj)


def store_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("brand", "品牌", required=True, synonyms=("品牌名称", "所属品牌")),
        FieldSpec("name", "门店名称", required=True, synonyms=("门店", "店名", "店铺名称")),
        FieldSpec("city", "所在城市", required=True, synonyms=("城市", "所在地", "地区")),
        FieldSpec("opened_on", "开业日期", "date", required=True,
                  synonyms=("开业时间", "开店时间", "开店日期")),
        FieldSpec("operator", "经营者", synonyms=("店长", "负责人", "经营人")),
        FieldSpec("is_active", "营业中", "bool", synonyms=("是否营业", "营业状态")),
    )  # fmt: skip


class StoreRegister(ServiceRegister[Item, BrandStore]):
    name = "stores"
    title = "品牌门店"
    permission = "college.add_brandstore"
    model = BrandStore
    compared = ("city", "opened_on", "operator", "is_active")
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "name"}
    duplicate_message = "与第{row}行是同一门店"

    def specs(self) -> tuple[FieldSpec, ...]:
        return store_specs()

    def derive(self, values: dict[str, object], present: set[str]) -> None:
        if "is_active" not in present:
            values["is_active"] = True

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        brands = Brand.objects.filter(college__in=college_qs(ctx.user))
        ctx.extra["brands"] = {b.name: b for b in brands}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        name = str(values["brand"]).strip()
        brand = ctx.extra["brands"].get(name)
        if brand is None:
            raise invalid({"brand": f"找不到品牌“{name}”（或不在您的数据范围内）"})
        return {
            "brand": brand,
            "name": str(values["name"]).strip(),
            "city": str(values["city"]).strip(),
            "opened_on": values["opened_on"],
            "operator": str(values["operator"]).strip(),
            "is_active": bool(values["is_active"]),
        }

    def key(self, item: Item) -> Hashable:
        return (item["brand"].pk, item["name"])

    def keys_of(self, obj: BrandStore) -> Iterable[Hashable]:
        yield (obj.brand_id, obj.name)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[BrandStore]:
        return BrandStore.objects.filter(
            brand__in={i["brand"].pk for i in items}, name__in={i["name"] for i in items}
        )

    def create(self, *, user: User, item: Item) -> BrandStore:
        store = services.store_create(
            actor=user, brand=item["brand"], name=item["name"], city=item["city"],
            opened_on=item["opened_on"], operator=item["operator"],
        )  # fmt: skip
        if not item["is_active"]:
            store = services.store_update(actor=user, store=store, is_active=False)
        return store

    def update(self, *, user: User, obj: BrandStore, item: Item) -> BrandStore:
        fields = {k: item[k] for k in self.compared}
        return services.store_update(actor=user, store=obj, **fields)

    def remove(self, *, user: User, obj: BrandStore) -> None:
        services.store_delete(actor=user, store=obj)


REGISTERS = (TraineeRegister(), StoreRegister())
