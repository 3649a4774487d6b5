"""``deliveries`` for the one import flow (``core.importing``): the benefits delivered to
talents (visits, check-ups, insurance, one-off payments, and monthly subsidies of a month),
as the paying unit's own ledger lists them.

A row names the talent (by the keyed hash of the ID number, else by name) and the benefit by
its name: together they are the entitlement. Natural key: entitlement + 所属月份 for a monthly
subsidy, else entitlement + 兑现日期. A delivery is recorded through ``delivery_create`` (the
same checks as the page: the entitlement active, the date not before it, a month once); a
delivery already recorded with other values is an error (deliveries are corrected on their
page, never overwritten by a sheet).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from yanzhen.benefits.models import MONTHLY_KINDS, Delivery, Entitlement
from yanzhen.benefits.selectors import delivery_qs, entitlement_qs
from yanzhen.benefits.services import benefits as services
from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid, plain, texts_of
from yanzhen.core.models import User
from yanzhen.engines import idcard
from yanzhen.engines.tabular import FieldSpec, Record

CENT = Decimal("0.01")


def delivery_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("人才姓名", "享受人", "领取人")),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码")),
        FieldSpec("benefit", "待遇项目", required=True,
                  synonyms=("待遇", "项目", "补贴项目", "待遇名称", "服务项目")),
        FieldSpec("date", "兑现日期", "date", required=True,
                  synonyms=("发放日期", "兑现时间", "发放时间", "日期")),
        FieldSpec("amount", "金额（元）", "decimal",
                  synonyms=("金额", "发放金额", "兑现金额", "补贴金额")),
        FieldSpec("period", "所属月份", "date", synonyms=("月份", "发放月份", "补贴月份")),
        FieldSpec("note", "说明", synonyms=("备注",)),
    )  # fmt: skip


class DeliveryRegister(ServiceRegister[Item, Delivery]):
    name = "deliveries"
    title = "待遇兑现"
    permission = "benefits.add_delivery"
    model = Delivery
    compared = ("amount", "note")
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "date"}
    duplicate_message = "与第{row}行是同一笔兑现"

    def specs(self) -> tuple[FieldSpec, ...]:
        return delivery_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        names = texts_of(records, ("name",))
        found = entitlement_qs(ctx.user).filter(talent__person__name__in=names)
        by_id: dict[tuple[str, str], list[Entitlement]] = defaultdict(list)
        by_name: dict[tuple[str, str], list[Entitlement]] = defaultdict(list)
        for entitlement in found.select_related("benefit", "talent__person"):
            person = entitlement.talent.person
            benefit = entitlement.benefit.name
            if person.id_number_hash:
                by_id[(person.id_number_hash, benefit)].append(entitlement)
            by_name[(person.name, benefit)].append(entitlement)
        ctx.extra["by_id"], ctx.extra["by_name"] = by_id, by_name

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        name = str(values["name"]).strip()
        benefit = str(values["benefit"]).strip()
        number = idcard.normalize_id_number(plain(values["id_number"]))
        if number and (problem := idcard.check_id_number(number)):
            raise invalid({"id_number": problem})
        found = (
            ctx.extra["by_id"].get((keyed_hash(number), benefit), [])
            if number
            else ctx.extra["by_name"].get((name, benefit), [])
        )
        if not found:
            raise invalid({"benefit": f"{name}没有“{benefit}”待遇（或不在您的数据范围内）"})
        if len(found) > 1:
            raise invalid({"name": f"有{len(found)}名“{name}”享受“{benefit}”，请填写身份证号"})
        entitlement: Entitlement = found[0]
        amount = values["amount"]
        period = values["period"]
        if period is None and entitlement.benefit.kind in MONTHLY_KINDS:
            period = services.first_of_month(values["date"])  # type: ignore[arg-type]
        return {
            "entitlement": entitlement,
            "date": values["date"],
            "amount": None if amount is None else Decimal(str(amount)).quantize(CENT),
            "period": None if period is None else services.first_of_month(period),  # type: ignore[arg-type]
            "note": str(values["note"]).strip(),
        }

    def key(self, item: Item) -> Hashable:
        if item["period"] is not None:
            return (item["entitlement"].pk, "period", item["period"])
        return (item["entitlement"].pk, "date", item["date"])

    def keys_of(self, obj: Delivery) -> Iterable[Hashable]:
        if obj.period is not None:
            yield (obj.entitlement_id, "period", obj.period)
        else:
            yield (obj.entitlement_id, "date", obj.date)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[Delivery]:
        return delivery_qs(ctx.user).filter(entitlement__in={i["entitlement"].pk for i in items})

    def unchanged(self, context: Any, obj: Delivery, item: Item) -> bool:
        same_amount = item["amount"] is None or obj.amount == item["amount"]
        return same_amount and (not item["note"] or obj.note == item["note"])

    def create(self, *, user: User, item: Item) -> Delivery:
        return services.delivery_create(
            actor=user, entitlement=item["entitlement"], date=item["date"],
            amount=item["amount"], period=item["period"], note=item["note"],
        )  # fmt: skip

    def update(self, *, user: User, obj: Delivery, item: Item) -> Delivery:
        message = (
            f"该笔已于{obj.date:%Y-%m-%d}兑现{obj.amount}元，与表中不同；已兑现记录请在页面更正"
        )
        raise DomainError("recorded", message, {"amount": message})

    def remove(self, *, user: User, obj: Delivery) -> None:
        services.delivery_delete(actor=user, delivery=obj)


REGISTERS = (DeliveryRegister(),)
