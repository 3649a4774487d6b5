"""``deliveries`` and ``payments`` for the one import flow (``core.importing``): the benefits delivered to
talents (visits, check-ups, insurance, one-off payments, and monthly subsidies of a month),
as the paying unit's own ledger lists them.

A row names the talent (by the keyed hash of the ID number, else by name) and the benefit by
its name: together they are the entitlement. Natural key: entitlement + 所属月份 for a monthly
subsidy, else entitlement + 兑现日期. A delivery is recorded through ``delivery_create`` (the
same checks as the page: the entitlement active, the date not before it, a month once); a
delivery already recorded with other values is an error (deliveries are corrected on their
page, never overwritten by a sheet).

``payments`` is the monthly payment list of a paying unit as its office keeps it (one row per
talent: 姓名, 所属月份, 金额). Natural key: talent + month (+ the benefit, when a talent has
two monthly subsidies). A row must be a line of that month's list (``payment_list``) with the
list's amount. Importing does not record deliveries: the rows of each paying unit are
submitted together (``payment_submit``) for a second person of the unit to approve (four eyes),
and only the approval records them as paid. A line already paid with the same amount, or
already in a submitted list, is ``unchanged``; undoing the import withdraws the submitted list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from yanzhen.benefits.models import MONTHLY_KINDS, Delivery, Entitlement
from yanzhen.benefits.selectors import delivery_qs, entitlement_qs
from yanzhen.benefits.services import benefits as services
from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, invalid, plain, texts_of
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, User
from yanzhen.engines import idcard
from yanzhen.engines.tabular import FieldSpec, Record, parse_date

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


def payment_specs() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("name", "姓名", required=True, synonyms=("人才姓名", "享受人", "领取人")),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码")),
        FieldSpec("benefit", "补贴项目", synonyms=("待遇项目", "待遇", "补贴名称", "项目")),
        FieldSpec("month", "所属月份", required=True,
                  synonyms=("月份", "发放月份", "补贴月份")),
        FieldSpec("amount", "金额（元）", "decimal", required=True,
                  synonyms=("金额", "发放金额", "补贴金额", "应发金额")),
        FieldSpec("date", "发放日期", "date", synonyms=("发放时间", "兑现日期")),
    )  # fmt: skip


PaymentRecord = Delivery | ApprovalRequest
_MONTH = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?(份)?")
MONTH_HINT = "可写成 2021年12月、2021.12、2021-12 或该月的某一天"


def parse_month(value: object) -> dt.date:
    """The month a cell names: 2021年12月, 2021.12, 2021-12, or any day of it."""
    if isinstance(value, dt.date):
        return services.first_of_month(value)
    shown = str(value or "").strip()
    text = unicodedata.normalize("NFKC", shown).replace(" ", "")
    found = _MONTH.fullmatch(text)
    if found and 1 <= int(found[2]) <= 12:
        return dt.date(int(found[1]), int(found[2]), 1)
    try:
        return services.first_of_month(parse_date(text))
    except ValueError:
        raise invalid({"month": f"“{shown}”不是月份（{MONTH_HINT}）"}) from None


class PaymentRegister(ServiceRegister[Item, Any]):
    name = "payments"
    title = "补贴发放清单"
    permission = "benefits.add_delivery"
    model = ApprovalRequest
    field_columns: ClassVar[Mapping[str, str]] = {
        "__duplicate__": "month",
        "paying_unit": "month",
        "__all__": "month",
    }
    duplicate_message = "与第{row}行是同一人同一月份的补贴"

    def specs(self) -> tuple[FieldSpec, ...]:
        return payment_specs()

    def objects(self) -> models.QuerySet[Any]:
        return ApprovalRequest.objects.filter(kind=services.PAYMENT_FLOW.code)

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        names = texts_of(records, ("name",))
        found = entitlement_qs(ctx.user).filter(
            talent__person__name__in=names, benefit__kind__in=MONTHLY_KINDS
        )
        by_id: dict[str, list[Entitlement]] = defaultdict(list)
        by_name: dict[str, list[Entitlement]] = defaultdict(list)
        for entitlement in found.select_related("benefit__paying_unit", "talent__person"):
            person = entitlement.talent.person
            if person.id_number_hash:
                by_id[person.id_number_hash].append(entitlement)
            by_name[person.name].append(entitlement)
        ctx.extra["by_id"], ctx.extra["by_name"] = by_id, by_name
        ctx.extra["lists"] = {}

    def _listing(self, ctx: Lookups, unit: Unit, month: dt.date) -> services.PaymentList:
        lists: dict[tuple[int, dt.date], services.PaymentList] = ctx.extra["lists"]
        if (unit.pk, month) not in lists:
            lists[(unit.pk, month)] = services.payment_list(
                paying_unit=unit, month=month, entitlements=entitlement_qs(ctx.user)
            )
        return lists[(unit.pk, month)]

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        name = str(values["name"]).strip()
        benefit = str(values["benefit"] or "").strip()
        number = idcard.normalize_id_number(plain(values["id_number"]))
        if number and (problem := idcard.check_id_number(number)):
            raise invalid({"id_number": problem})
        found: list[Entitlement] = (
            ctx.extra["by_id"].get(keyed_hash(number), [])
            if number
            else ctx.extra["by_name"].get(name, [])
        )
        if benefit:
            found = [e for e in found if e.benefit.name == benefit]
        if not found:
            what = f"“{benefit}”" if benefit else "按月发放的补贴"
            raise invalid({"name": f"{name}没有{what}（或不在您的数据范围内）"})
        if len({e.talent_id for e in found}) > 1:
            raise invalid({"name": f"有多名“{name}”享受按月补贴，请填写身份证号"})
        if len(found) > 1:
            raise invalid({"benefit": f"{name}有{len(found)}项按月补贴，请填写补贴项目"})
        entitlement = found[0]
        month = parse_month(values["month"])
        unit = entitlement.benefit.paying_unit
        listing = self._listing(ctx, unit, month)
        line = next((li for li in listing.lines if li.entitlement.pk == entitlement.pk), None)
        if line is None:
            raise invalid({"month": f"{name}不在{month:%Y年%m月}的补贴发放清单上"})
        amount = Decimal(str(values["amount"] or 0)).quantize(CENT)
        if values["amount"] is not None and amount != line.amount:
            raise invalid(
                {"amount": f"金额与发放清单不符：{name}{month:%Y年%m月}应发{line.amount}元"}
            )
        date = values["date"] if values["date"] is not None else timezone.localdate()
        return {"entitlement": entitlement, "paying_unit": unit, "month": month,
                "amount": amount, "date": date}  # fmt: skip

    def key(self, item: Item) -> Hashable:
        entitlement: Entitlement = item["entitlement"]
        return (entitlement.talent_id, entitlement.benefit_id, item["month"])

    def keys_of(self, obj: PaymentRecord) -> Iterable[Hashable]:
        if isinstance(obj, Delivery):
            entitlement = obj.entitlement
            yield (entitlement.talent_id, entitlement.benefit_id, obj.period)
            return
        month = dt.date.fromisoformat(str(obj.payload["month"]))
        chosen = obj.payload.get("entitlements")
        unit = Unit.objects.get(pk=obj.target_id)
        for line in services.payment_list(paying_unit=unit, month=month).lines:
            if chosen is None or line.entitlement.pk in chosen:
                yield (line.entitlement.talent_id, line.entitlement.benefit_id, month)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[PaymentRecord]:
        paid = delivery_qs(ctx.user).filter(
            entitlement__in={i["entitlement"].pk for i in items},
            period__in={i["month"] for i in items},
        )
        yield from paid.select_related("entitlement")
        yield from ApprovalRequest.objects.filter(
            kind=services.PAYMENT_FLOW.code,
            target_type=ContentType.objects.get_for_model(Unit),
            target_id__in={i["paying_unit"].pk for i in items},
            state=RequestState.REQUESTED,
        )

    def unchanged(self, context: Any, obj: PaymentRecord, item: Item) -> bool:
        return isinstance(obj, ApprovalRequest) or obj.amount == item["amount"]

    def create(self, *, user: User, item: Item) -> ApprovalRequest:
        answer = self.create_many(user=user, items=[item])[0]
        if isinstance(answer, DomainError):
            raise answer
        return answer

    def create_many(
        self, *, user: User, items: Sequence[Item]
    ) -> list[ApprovalRequest | DomainError]:
        """One submitted list per paying unit (a unit has one list under review at a time)."""
        groups: dict[int, list[int]] = defaultdict(list)
        for index, item in enumerate(items):
            groups[item["paying_unit"].pk].append(index)
        out: list[ApprovalRequest | DomainError] = [DomainError("invalid", "")] * len(items)
        for indexes in groups.values():
            first = items[indexes[0]]
            months = {items[i]["month"] for i in indexes}
            if len(months) > 1:
                shown = "、".join(f"{m:%Y年%m月}" for m in sorted(months))
                message = f"{first['paying_unit']}一次只能报送一个月的发放清单（表中有{shown}）"
                for i in indexes:
                    out[i] = DomainError("invalid", message, {"month": message})
                continue
            try:
                approval: ApprovalRequest | DomainError = services.payment_submit(
                    actor=user,
                    paying_unit=first["paying_unit"],
                    month=first["month"],
                    date=first["date"],
                    entitlements=[items[i]["entitlement"].pk for i in indexes],
                )
            except DomainError as error:
                approval = error
            for i in indexes:
                out[i] = approval
        return out

    def update(self, *, user: User, obj: PaymentRecord, item: Item) -> Any:
        assert isinstance(obj, Delivery)  # a submitted list is always unchanged
        message = (
            f"该月补贴已于{obj.date:%Y-%m-%d}发放{obj.amount}元，与表中不同；已发放记录请在页面更正"
        )
        raise DomainError("recorded", message, {"amount": message})

    def remove(self, *, user: User, obj: ApprovalRequest) -> None:
        if obj.state == RequestState.REQUESTED:
            services.payment_withdraw(actor=user, approval=obj)


REGISTERS = (DeliveryRegister(), PaymentRegister())
