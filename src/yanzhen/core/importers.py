"""The registers of core for the one import flow (``core.importing``).

``units`` — departments, towns, villages (with their statistical codes), enterprises (with
their 统一社会信用代码). A row is the unit with its code, else the unit of that name under that
parent; the parent is a unit of the user's scope or a unit of an earlier row of the same file
(towns first, then their villages). A sheet without a type column takes it from the name
(…村、…社区 → 村（社区）, …镇、…乡 → 镇, …街道 → 街道, …公司、…厂、…合作社 → 企业).

``people`` — the people the platform knows. The natural key is the keyed hash of the ID number
(the number itself is never compared in clear), else 姓名 + 所在单位 for a row without one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from yanzhen.core import services
from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid, plain
from yanzhen.core.importing import Register
from yanzhen.core.models import Degree, Gender, Person, Unit, UnitKind, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.engines import idcard
from yanzhen.engines.tabular import Choice, FieldSpec, Record

KIND_WORDS = {
    UnitKind.VILLAGE: ("村", "社区", "村委会", "居委会", "行政村"),
    UnitKind.TOWN: ("乡", "乡镇"),
    UnitKind.ENTERPRISE: ("公司", "单位（企业）"),
    UnitKind.DEPARTMENT: ("市直部门", "县直部门", "机关"),
    UnitKind.COUNTY: ("县", "市", "县级市"),
    UnitKind.ZONE: ("园区", "经济开发区"),
}
# The kind a name tells by its ending, when the sheet has no type column (longest first).
NAME_ENDINGS = (
    ("村民委员会", UnitKind.VILLAGE), ("居民委员会", UnitKind.VILLAGE), ("社区", UnitKind.VILLAGE),
    ("村委会", UnitKind.VILLAGE), ("居委会", UnitKind.VILLAGE), ("村", UnitKind.VILLAGE),
    ("街道办事处", UnitKind.STREET), ("街道", UnitKind.STREET), ("镇", UnitKind.TOWN),
    ("乡", UnitKind.TOWN), ("开发区", UnitKind.ZONE), ("园区", UnitKind.ZONE),
    ("有限公司", UnitKind.ENTERPRISE), ("公司", UnitKind.ENTERPRISE), ("厂", UnitKind.ENTERPRISE),
    ("合作社", UnitKind.ENTERPRISE), ("医院", UnitKind.HOSPITAL), ("商会", UnitKind.CHAMBER),
    ("局", UnitKind.DEPARTMENT), ("委员会", UnitKind.DEPARTMENT), ("办公室", UnitKind.DEPARTMENT),
    ("中心", UnitKind.DEPARTMENT),
)  # fmt: skip
COMPARED = ("name", "short_name", "kind", "code", "is_leading", "address")


def unit_specs() -> tuple[FieldSpec, ...]:
    kinds = tuple(
        Choice(v, str(lbl), KIND_WORDS.get(UnitKind(v), ())) for v, lbl in UnitKind.choices
    )
    return (
        FieldSpec("name", "名称", required=True,
                  synonyms=("单位名称", "村名", "村（社区）名称", "企业名称", "单位", "村（社区）")),
        FieldSpec("kind", "类型", "choice", required=True, choices=kinds,
                  synonyms=("单位类型", "类别", "单位类别")),
        FieldSpec("parent", "上级单位",
                  synonyms=("所属乡镇", "所属镇（街道）", "所属乡镇（街道）", "乡镇（街道）", "乡镇",
                            "上级", "所属单位", "主管单位")),
        FieldSpec("code", "单位代码",
                  synonyms=("统一社会信用代码", "统计用区划代码", "区划代码", "行政区划代码",
                            "信用代码", "代码", "统计代码")),
        FieldSpec("short_name", "简称"),
        FieldSpec("is_leading", "龙头企业", "bool", synonyms=("是否龙头企业",)),
        FieldSpec("address", "地址", synonyms=("详细地址", "住所")),
    )  # fmt: skip


def kind_of_name(name: str) -> str:
    for ending, kind in NAME_ENDINGS:
        if name.strip().endswith(ending):
            return str(kind)
    return ""


@dataclass
class UnitItem:
    name: str
    kind: str
    code: str
    short_name: str
    is_leading: bool
    address: str
    parent: Unit | None
    parent_text: str = ""  # a unit of an earlier row of the file
    context: UnitContext | None = None


@dataclass
class UnitContext:
    user: User
    parents: dict[str, tuple[int | None, str]]
    units: dict[int, Unit]
    file_names: set[str]
    made: dict[str, Unit] = field(default_factory=dict)


class UnitRegister(Register[UnitItem, Unit]):
    name = "units"
    title = "单位"
    permission = "core.add_unit"
    model = Unit
    derivable = ("kind",)
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "name", "unit": "name"}
    duplicate_message = "与第{row}行是同一个单位"

    def specs(self) -> tuple[FieldSpec, ...]:
        return unit_specs()

    def derive(self, values: dict[str, object], present: set[str]) -> None:
        if not values.get("kind"):
            values["kind"] = kind_of_name(str(values.get("name", "")))

    def prepare(self, *, user: User, records: Sequence[Record]) -> UnitContext:
        texts = {str(r.values["parent"]).strip() for r in records if r.values.get("parent")}
        resolver = UnitResolver.among(unit_qs(user), texts)
        parents = {t: resolver.resolve(t) for t in texts}
        ids = {pk for pk, _ in parents.values() if pk is not None}
        return UnitContext(
            user=user,
            parents=parents,
            units=Unit.objects.in_bulk(ids),
            file_names={str(r.values["name"]).strip() for r in records},
        )

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> UnitItem:
        ctx: UnitContext = context
        errors: dict[str, str] = {}
        name = str(values["name"]).strip()
        kind = str(values["kind"])
        if not kind:
            errors["kind"] = f"无法从名称“{name}”判断单位类型，请填写类型"
        parent = None
        parent_text = str(values["parent"]).strip()
        pending = ""
        if parent_text:
            pk, problem = ctx.parents.get(parent_text, (None, ""))
            if pk is not None:
                parent = ctx.units[pk]
            elif parent_text in ctx.file_names:
                pending = parent_text
            else:
                errors["parent"] = problem
        elif ctx.user.unit_id is not None:
            errors["parent"] = "请填写上级单位"
        if errors:
            raise DomainError("invalid_row", next(iter(errors.values())), errors)
        return UnitItem(
            name=name,
            kind=kind,
            code=str(values["code"]).strip(),
            short_name=str(values["short_name"]).strip(),
            is_leading=bool(values["is_leading"]),
            address=str(values["address"]).strip(),
            parent=parent,
            parent_text=pending,
            context=ctx,
        )

    def key(self, item: UnitItem) -> Hashable:
        if item.code:
            return ("code", item.code)
        return ("name", item.name, item.parent.pk if item.parent else item.parent_text)

    def existing(self, context: Any, items: Sequence[UnitItem]) -> dict[Hashable, Unit]:
        ctx: UnitContext = context
        codes = [i.code for i in items if i.code]
        names = {i.name for i in items}
        found: dict[Hashable, Unit] = {}
        rows = list(unit_qs(ctx.user).filter(code__in=codes)) if codes else []
        rows += list(unit_qs(ctx.user).filter(name__in=names))
        for unit in rows:
            if unit.code:
                found[("code", unit.code)] = unit
            found[("name", unit.name, unit.parent_id)] = unit
        return found

    def unchanged(self, context: Any, obj: Unit, item: UnitItem) -> bool:
        parent = self._parent(item)
        return (parent.pk if parent else None) == obj.parent_id and all(
            getattr(obj, name) == getattr(item, name) for name in COMPARED
        )

    def _parent(self, item: UnitItem) -> Unit | None:
        if not item.parent_text:
            return item.parent
        assert item.context is not None
        made = item.context.made.get(item.parent_text)
        if made is None:
            message = f"上级单位“{item.parent_text}”须写在本行之前，或已在系统中"
            raise DomainError("invalid_row", message, {"parent": message})
        return made

    def create(self, *, user: User, item: UnitItem) -> Unit:
        unit = services.unit_create(
            actor=user,
            parent=self._parent(item),
            name=item.name,
            kind=item.kind,
            code=item.code,
            short_name=item.short_name,
            is_leading=item.is_leading,
            address=item.address,
        )
        if item.context is not None:
            item.context.made.setdefault(item.name, unit)
        return unit

    def update(self, *, user: User, obj: Unit, item: UnitItem) -> Unit:
        unit = services.unit_update(
            actor=user,
            unit=obj,
            parent=self._parent(item),
            reason="Excel导入更新",
            name=item.name,
            kind=item.kind,
            code=item.code,
            short_name=item.short_name,
            is_leading=item.is_leading,
            address=item.address,
        )
        if item.context is not None:
            item.context.made.setdefault(item.name, unit)
        return unit

    def remove(self, *, user: User, obj: Unit) -> None:
        services.unit_delete(actor=user, unit=obj)


def person_specs() -> tuple[FieldSpec, ...]:
    genders = tuple(Choice(v, str(lbl), (f"{lbl}性",)) for v, lbl in Gender.choices)
    degrees = tuple(
        Choice(v, str(lbl), {"bachelor": ("本科", "大学本科"), "associate": ("专科", "高职")}
               .get(v, ())) for v, lbl in Degree.choices
    )  # fmt: skip
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("人员姓名", "名字")),
        FieldSpec("unit", "所在单位", required=True,
                  synonyms=("工作单位", "单位", "单位名称", "所属单位", "现工作单位")),
        FieldSpec("gender", "性别", "choice", choices=genders),
        FieldSpec("id_number", "身份证号",
                  synonyms=("身份证号码", "公民身份号码", "身份证", "证件号码")),
        FieldSpec("mobile", "手机号",
                  synonyms=("手机号码", "手机", "联系电话", "联系方式", "电话")),
        FieldSpec("degree", "学位", "choice", choices=degrees,
                  synonyms=("学历", "最高学历", "最高学位", "学历学位")),
        FieldSpec("title", "职称", synonyms=("专业技术职称", "技术职称")),
        FieldSpec("position", "职务", synonyms=("现任职务", "职位", "岗位")),
    )  # fmt: skip


PERSON_COMPARED = ("name", "unit", "gender", "id_number", "mobile", "degree", "title", "position")


class PersonRegister(ServiceRegister[Item, Person]):
    name = "people"
    title = "人员"
    permission = "core.add_person"
    model = Person
    unit_fields = ("unit",)
    compared = PERSON_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "id_number"}
    duplicate_message = "与第{row}行是同一个人（身份证号相同）"

    def specs(self) -> tuple[FieldSpec, ...]:
        return person_specs()

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        unit = ctx.unit(values["unit"], errors, "unit")
        number = idcard.normalize_id_number(plain(values["id_number"]))
        problem = idcard.check_id_number(number) if number else None
        if problem:
            errors["id_number"] = problem
        if errors:
            raise invalid(errors)
        return {
            "name": str(values["name"]).strip(),
            "unit": unit,
            "gender": str(values["gender"]),
            "id_number": number,
            "mobile": plain(values["mobile"]),
            "degree": str(values["degree"]),
            "title": str(values["title"]).strip(),
            "position": str(values["position"]).strip(),
        }

    def key(self, item: Item) -> Hashable:
        if item["id_number"]:
            return ("id", keyed_hash(item["id_number"]))
        return ("name", item["name"], item["unit"].pk)

    def keys_of(self, obj: Person) -> list[Hashable]:
        keys: list[Hashable] = [("name", obj.name, obj.unit_id)]
        if obj.id_number_hash:
            keys.insert(0, ("id", obj.id_number_hash))
        return keys

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> list[Person]:
        hashes = [keyed_hash(i["id_number"]) for i in items if i["id_number"]]
        names = {i["name"] for i in items if not i["id_number"]}
        visible = person_qs(ctx.user)
        found = list(visible.filter(id_number_hash__in=hashes)) if hashes else []
        return found + (list(visible.filter(name__in=names, id_number_hash="")) if names else [])

    def create(self, *, user: User, item: Item) -> Person:
        return services.person_create(actor=user, **item)

    def update(self, *, user: User, obj: Person, item: Item) -> Person:
        return services.person_update(actor=user, person=obj, reason="Excel导入更新", **item)

    def remove(self, *, user: User, obj: Person) -> None:
        services.person_delete(actor=user, person=obj, reason="撤销导入")


REGISTERS = (UnitRegister(), PersonRegister())
