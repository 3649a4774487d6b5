"""The registers of the supervision app for the one import flow (``core.importing``).

``milestones`` — the nodes of the bases' work plans. Natural key: 节点编号 (the milestone's
number, as the export writes it), else 基地 + 节点任务. The base is named by its code or its
name among the bases the user may see; the owner unit among the user's scope.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid
from yanzhen.core.models import User
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.supervision import services
from yanzhen.supervision.models import Milestone, MilestoneStatus
from yanzhen.supervision.selectors import milestone_qs
from yanzhen.supervision.services.plans import milestone_delete

STATUS_WORDS = {
    "not_started": ("未启动", "尚未开始"),
    "in_progress": ("进行中", "正在推进", "推进"),
    "done": ("完成", "已完成", "已办结", "办结"),
}
MILESTONE_COMPARED = ("base", "title", "owner_unit", "due_date", "deliverable", "status",
                      "done_date", "sort_order")  # fmt: skip


def milestone_specs() -> tuple[FieldSpec, ...]:
    statuses = tuple(
        Choice(v, str(lbl), STATUS_WORDS.get(v, ())) for v, lbl in MilestoneStatus.choices
    )
    return (
        FieldSpec("id", "节点编号", "int", synonyms=("编号",)),
        FieldSpec("base", "基地编号", required=True, synonyms=("基地", "所属基地", "基地名称")),
        FieldSpec("title", "节点任务", required=True,
                  synonyms=("任务", "工作任务", "重点任务", "任务内容", "节点")),
        FieldSpec("owner_unit", "责任单位", required=True,
                  synonyms=("牵头单位", "责任部门", "承办单位")),
        FieldSpec("due_date", "完成时限", "date", required=True,
                  synonyms=("时间节点", "完成时间", "截止时间", "时限")),
        FieldSpec("deliverable", "预期成果", synonyms=("工作目标", "成果", "预期目标")),
        FieldSpec("status", "状态", "choice", choices=statuses,
                  synonyms=("完成情况", "进展情况", "进展")),
        FieldSpec("done_date", "完成日期", "date", synonyms=("实际完成时间", "办结时间")),
        FieldSpec("sort_order", "排序", "int"),
    )  # fmt: skip


class MilestoneRegister(ServiceRegister[Item, Milestone]):
    name = "milestones"
    title = "工作方案节点"
    permission = "supervision.add_milestone"
    model = Milestone
    unit_fields = ("owner_unit",)
    compared = MILESTONE_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "title"}
    duplicate_message = "与第{row}行是同一个节点"

    def specs(self) -> tuple[FieldSpec, ...]:
        return milestone_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        bases = list(base_qs(ctx.user))
        ctx.extra["bases"] = {b.name: b for b in bases} | {b.code: b for b in bases}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        text = str(values["base"]).strip()
        base = ctx.extra["bases"].get(text)
        if base is None:
            errors["base"] = f"找不到基地“{text}”（或不在您的数据范围内）"
        owner = ctx.unit(values["owner_unit"], errors, "owner_unit")
        if errors:
            raise invalid(errors)
        return {
            "id": values["id"],
            "base": base,
            "title": str(values["title"]).strip(),
            "owner_unit": owner,
            "due_date": values["due_date"],
            "deliverable": str(values["deliverable"]).strip(),
            "status": str(values["status"]) or MilestoneStatus.NOT_STARTED,
            "done_date": values["done_date"],
            "sort_order": values["sort_order"] or 0,
        }

    def key(self, item: Item) -> Hashable:
        if item["id"]:
            return ("id", item["id"])
        return ("title", item["base"].pk, item["title"])

    def keys_of(self, obj: Milestone) -> Iterable[Hashable]:
        yield ("id", obj.pk)
        yield ("title", obj.base_id, obj.title)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Milestone]:
        ids = [i["id"] for i in items if i["id"]]
        titles = {i["title"] for i in items}
        visible = milestone_qs(ctx.user)
        return [*visible.filter(pk__in=ids), *visible.filter(title__in=titles)]

    def create(self, *, user: User, item: Item) -> Milestone:
        if item["id"]:
            message = f"没有编号为 {item['id']} 的节点（或不在您的数据范围内），新增时请留空"
            raise invalid({"id": message})
        fields = {k: item[k] for k in MILESTONE_COMPARED}
        return services.milestone_create(actor=user, **fields)

    def update(self, *, user: User, obj: Milestone, item: Item) -> Milestone:
        fields = {k: item[k] for k in MILESTONE_COMPARED}
        return services.milestone_update(actor=user, milestone=obj, **fields)

    def remove(self, *, user: User, obj: Milestone) -> None:
        milestone_delete(actor=user, milestone=obj)


REGISTERS = (MilestoneRegister(),)
