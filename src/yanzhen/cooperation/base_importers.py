"""``bases`` for the one import flow (``core.importing``): the bases with their task forces.

Natural key: 基地编号. The task force is one cell, ``张三（组长）、李四（联络员）、王五``: each
member a person of the user's scope by name (a name two people share is an error naming
their units), with the duty in brackets. A sheet that has the column makes the task force
exactly its members (``task_force_set``); a sheet without it leaves the task force as it is.
Creating a base asks for ``cooperation.add_base``; the office updates its bases (and their
task forces) with ``cooperation.change_base``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from yanzhen.cooperation import services
from yanzhen.cooperation.models import Base, TaskForceMember
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid, plain, texts_of
from yanzhen.core.models import Person, User
from yanzhen.core.selectors import person_qs
from yanzhen.engines.tabular import FieldSpec, Record

BASE_COMPARED = ("code", "name", "county", "lead_department", "leader", "description")
MEMBER = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<duty>[^）)]*)[）)])?$")


def base_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("code", "基地编号", required=True, synonyms=("编号",)),
        FieldSpec("name", "基地名称", required=True, synonyms=("基地", "名称")),
        FieldSpec("county", "所属县（市、区）", required=True,
                  synonyms=("所属县", "所属县市区", "县（市、区）", "县市区")),
        FieldSpec("lead_department", "牵头部门", required=True,
                  synonyms=("牵头单位", "责任单位", "主管部门")),
        FieldSpec("leader", "责任领导", synonyms=("包联领导", "分管领导", "牵头领导")),
        FieldSpec("members", "工作专班", "list",
                  synonyms=("专班成员", "工作专班成员", "专班")),
        FieldSpec("description", "基地简介", synonyms=("简介", "基本情况", "说明")),
    )  # fmt: skip


def member_names(text: str) -> tuple[str, str]:
    found = MEMBER.match(text.strip())
    if found is None:
        return text.strip(), ""
    return found["name"].strip(), (found["duty"] or "").strip()


class BaseRegister(ServiceRegister[Item, Base]):
    name = "bases"
    title = "产学研基地"
    permission = "cooperation.change_base"
    model = Base
    unit_fields = ("county", "lead_department")
    compared = BASE_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "code"}
    duplicate_message = "与第{row}行是同一个基地"

    def specs(self) -> tuple[FieldSpec, ...]:
        return base_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        names = {member_names(t)[0] for t in texts_of(records, ("members",))}
        names |= texts_of(records, ("leader",))
        people: dict[str, list[Person]] = defaultdict(list)
        for person in person_qs(ctx.user).filter(name__in=names).select_related("unit"):
            people[person.name].append(person)
        ctx.extra["people"] = people

    def derive(self, values: dict[str, object], present: set[str]) -> None:
        for name in ("members", "leader", "description"):
            if name not in present:
                values[name] = None  # a column the sheet lacks keeps the base's value

    def _person(self, ctx: Lookups, name: str, errors: dict[str, str], key: str) -> Person | None:
        found: list[Person] = ctx.extra["people"].get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            units = "、".join(p.unit.name for p in found)
            errors[key] = f"有{len(found)}人名为“{name}”（{units}），请在系统中核对后再导入"
        else:
            errors[key] = f"找不到人员“{name}”（请先登记人员）"
        return None

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        county = ctx.unit(values["county"], errors, "county")
        lead = ctx.unit(values["lead_department"], errors, "lead_department")
        leader = None
        if text := str(values["leader"] or "").strip():
            leader = self._person(ctx, text, errors, "leader")
        members: list[tuple[Person, str]] | None = None
        if isinstance(values["members"], list):
            members = []
            problems: list[str] = []
            for cell in values["members"]:
                name, duty = member_names(str(cell))
                found: dict[str, str] = {}
                person = self._person(ctx, name, found, "members")
                if person is None:
                    problems.append(found["members"])
                elif all(p.pk != person.pk for p, _d in members):
                    members.append((person, duty))
            if problems:
                errors["members"] = "；".join(problems)
        if errors:
            raise invalid(errors)
        item: Item = {
            "code": plain(values["code"]),
            "name": str(values["name"]).strip(),
            "county": county,
            "lead_department": lead,
            "members": members,
        }
        if values["leader"] is not None:
            item["leader"] = leader
        if values["description"] is not None:
            item["description"] = str(values["description"]).strip()
        return item

    def key(self, item: Item) -> Hashable:
        return str(item["code"])

    def keys_of(self, obj: Base) -> Iterable[Hashable]:
        yield obj.code

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Base]:
        found = list(base_qs(ctx.user).filter(code__in=[i["code"] for i in items]))
        rows = TaskForceMember.objects.filter(base__in=found).values_list(
            "base_id", "person_id", "duty"
        )
        members: dict[int, set[tuple[int, str]]] = defaultdict(set)
        for base, person, duty in rows:
            members[base].add((person, duty))
        ctx.relations = dict(members)
        return found

    def unchanged(self, context: Any, obj: Base, item: Item) -> bool:
        if not super().unchanged(context, obj, item):
            return False
        if item["members"] is None:
            return True
        ctx: Lookups = context
        wanted = {(p.pk, duty) for p, duty in item["members"]}
        return bool(ctx.relations.get(obj.pk, set()) == wanted)

    def create(self, *, user: User, item: Item) -> Base:
        if Base.objects.filter(code=item["code"]).exists():
            message = "基地编号已存在且不在您的数据范围内"
            raise DomainError("forbidden", message, {"code": message})
        if not user.has_perm("cooperation.add_base"):
            message = "您无权新增基地，只能更新已有基地（请核对基地编号）"
            raise DomainError("forbidden", message, {"code": message})
        fields = {k: item[k] for k in BASE_COMPARED if k in item}
        base = services.base_create(actor=user, **fields)
        if item["members"]:
            services.task_force_set(actor=user, base=base, members=item["members"])
        return base

    def update(self, *, user: User, obj: Base, item: Item) -> Base:
        fields = {k: item[k] for k in BASE_COMPARED if k in item}
        base = services.base_update(actor=user, base=obj, expected_version=None, **fields)
        if item.get("members") is not None:
            services.task_force_set(actor=user, base=base, members=item["members"])
        return base

    def remove(self, *, user: User, obj: Base) -> None:
        services.base_delete(actor=user, base=obj)
