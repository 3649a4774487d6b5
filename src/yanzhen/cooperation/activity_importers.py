"""``activities`` for the one import flow (``core.importing``): the office's activity log
(meetings, delegations to universities, promotions, visits, online matchmaking).

Natural key: 活动名称 + 组织单位 + 日期. Universities are resolved as in the ledger
(``reference.matching``); the cooperations an activity served are named by their 合作编号.
Participants are kept as they are (they have their own list on the activity's page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from yanzhen.cooperation.models import Activity, ActivityKind, ActivityStatus
from yanzhen.cooperation.selectors import activity_qs, cooperation_qs
from yanzhen.cooperation.services import activities as services
from yanzhen.core.import_kit import Lookups, ServiceRegister, invalid, texts_of
from yanzhen.core.models import User
from yanzhen.engines.tabular import Choice, FieldSpec, Record

KIND_WORDS = {
    "standing_committee": ("常委会", "常委会议", "专题会议"),
    "delegation": ("赴高校对接", "带队对接", "外出对接", "考察对接"),
    "promotion": ("推介", "招商推介"),
    "visit": ("走访", "调研"),
    "online": ("线上对接", "视频对接", "云签约"),
}
STATUS_WORDS = {"planned": ("计划", "拟举办"), "held": ("已开展", "已完成", "完成"),
                "cancelled": ("取消",)}  # fmt: skip
COMPARED = ("kind", "title", "status", "date", "organizer_unit", "location", "summary")


def activity_specs() -> tuple[FieldSpec, ...]:
    kinds = tuple(Choice(v, str(lbl), KIND_WORDS.get(v, ())) for v, lbl in ActivityKind.choices)
    statuses = tuple(
        Choice(v, str(lbl), STATUS_WORDS.get(v, ())) for v, lbl in ActivityStatus.choices
    )
    return (
        FieldSpec("title", "活动名称", required=True,
                  synonyms=("活动主题", "会议名称", "主题", "事项", "活动内容")),
        FieldSpec("kind", "活动类型", "choice", required=True, choices=kinds,
                  synonyms=("类型", "活动形式", "形式")),
        FieldSpec("date", "日期", "date", required=True,
                  synonyms=("活动时间", "活动日期", "时间", "举办时间")),
        FieldSpec("organizer_unit", "组织单位", required=True,
                  synonyms=("主办单位", "牵头单位", "组织部门", "承办单位")),
        FieldSpec("status", "状态", "choice", choices=statuses, synonyms=("举办情况",)),
        FieldSpec("location", "地点", synonyms=("活动地点", "举办地点")),
        FieldSpec("universities", "对接高校", "list",
                  synonyms=("高校", "合作高校", "对接院校", "院校")),
        FieldSpec("cooperations", "相关合作编号", "list", synonyms=("合作编号", "相关合作")),
        FieldSpec("summary", "活动成效", synonyms=("成效", "主要成果", "活动成果", "内容摘要")),
    )  # fmt: skip


class ActivityRegister(ServiceRegister[services.ActivityData, Activity]):
    name = "activities"
    title = "对接活动"
    permission = "cooperation.add_activity"
    model = Activity
    unit_fields = ("organizer_unit",)
    university_fields = ("universities",)
    compared = COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "title"}
    duplicate_message = "与第{row}行是同一项活动"

    def specs(self) -> tuple[FieldSpec, ...]:
        return activity_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        codes = texts_of(records, ("cooperations",))
        found = cooperation_qs(ctx.user).filter(code__in=codes) if codes else []
        ctx.extra["cooperations"] = {c.code: c for c in found}

    def build(
        self, context: Any, values: Mapping[str, object], notes: list[str]
    ) -> services.ActivityData:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        organizer = ctx.unit(values["organizer_unit"], errors, "organizer_unit")
        schools: list[object] = values["universities"]  # type: ignore[assignment]
        universities = ctx.universities_of(schools, errors, "universities", notes)
        cooperations = []
        unknown = []
        for code in values["cooperations"]:  # type: ignore[attr-defined]
            found = ctx.extra["cooperations"].get(str(code).strip())
            if found is None:
                unknown.append(str(code))
            else:
                cooperations.append(found)
        if unknown:
            names = "、".join(unknown)
            errors["cooperations"] = f"找不到合作编号“{names}”（或不在您的数据范围内）"
        if errors:
            raise invalid(errors)
        assert organizer is not None
        return services.ActivityData(
            kind=str(values["kind"]),
            title=str(values["title"]).strip(),
            date=values["date"],  # type: ignore[arg-type]
            organizer_unit=organizer,
            status=str(values["status"]) or ActivityStatus.HELD,
            location=str(values["location"]).strip(),
            summary=str(values["summary"]).strip(),
            universities=universities,
            cooperations=cooperations,
        )

    def key(self, item: services.ActivityData) -> Hashable:
        return (item.title, item.organizer_unit.pk, item.date)

    def keys_of(self, obj: Activity) -> Iterable[Hashable]:
        yield (obj.title, obj.organizer_unit_id, obj.date)

    def candidates(
        self, ctx: Lookups, items: Sequence[services.ActivityData]
    ) -> Iterable[Activity]:
        found = list(activity_qs(ctx.user).filter(title__in={i.title for i in items}))
        unis: dict[int, set[int]] = defaultdict(set)
        coops: dict[int, set[int]] = defaultdict(set)
        for activity in found:
            unis[activity.pk] = {u.pk for u in activity.universities.all()}
            coops[activity.pk] = {c.pk for c in activity.cooperations.all()}
        ctx.relations = {pk: (unis[pk], coops[pk]) for pk in unis}
        return found

    def unchanged(self, context: Any, obj: Activity, item: services.ActivityData) -> bool:
        ctx: Lookups = context
        unis, coops = ctx.relations.get(obj.pk, (set(), set()))
        return (
            super().unchanged(context, obj, item)
            and unis == {u.pk for u in item.universities}
            and coops == {c.pk for c in item.cooperations}
        )

    def create(self, *, user: User, item: services.ActivityData) -> Activity:
        return services.activity_create(actor=user, data=item)

    def update(self, *, user: User, obj: Activity, item: services.ActivityData) -> Activity:
        item.leader = obj.leader
        item.minutes = obj.minutes
        item.participants = services.participants_of(obj)
        return services.activity_update(
            actor=user, activity=obj, data=item, expected_version=None, reason="Excel导入更新"
        )

    def remove(self, *, user: User, obj: Activity) -> None:
        services.activity_delete(actor=user, activity=obj)
