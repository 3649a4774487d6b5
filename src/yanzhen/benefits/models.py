"""The services that keep talents (服务留人): the catalogue of entitlements with eligibility rules as
data, the entitlements of each talent, their deliveries, and talent apartments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Degree, Unit, UnitKind
from yanzhen.talent.models import Talent, TalentType
from yanzhen.talent.models.common import delivery_evidence_path


class BenefitKind(models.TextChoices):
    APARTMENT = "apartment", "人才公寓"
    LIVING_SUBSIDY = "living_subsidy", "生活补贴"
    INSURANCE = "insurance", "意外保险"
    RENT_RELIEF = "rent_relief", "租金减免"
    TAX_RELIEF = "tax_relief", "用人单位税费减免"
    VISIT = "visit", "走访慰问"
    CHECKUP = "checkup", "健康体检"


# Paid every month and listed for finance.
MONTHLY_KINDS: tuple[str, ...] = (BenefitKind.LIVING_SUBSIDY, BenefitKind.RENT_RELIEF)
# Due again every ``interval_months``.
RECURRING_KINDS: tuple[str, ...] = (BenefitKind.VISIT, BenefitKind.CHECKUP)


class Benefit(Audited):
    """An item of the entitlement catalogue, kept by the talent office."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("待遇名称", max_length=100)
    kind = models.CharField("待遇类别", max_length=20, choices=BenefitKind.choices)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="制定单位", on_delete=models.PROTECT, related_name="talent_benefits"
    )
    paying_unit = models.ForeignKey(
        Unit, verbose_name="发放（承办）单位", on_delete=models.PROTECT, related_name="+"
    )
    monthly_amount = models.DecimalField(
        "每月标准（元）", max_digits=10, decimal_places=2, default=Decimal(0)
    )
    amount = models.DecimalField(
        "每次标准（元）", max_digits=10, decimal_places=2, default=Decimal(0)
    )
    duration_months = models.PositiveSmallIntegerField(
        "享受期限（月）", null=True, blank=True, help_text="留空表示长期"
    )
    interval_months = models.PositiveSmallIntegerField(
        "周期（月）", null=True, blank=True, help_text="走访、体检每隔几个月一次"
    )
    annual_budget = models.DecimalField(
        "年度预算（元）", max_digits=12, decimal_places=2, default=Decimal(0)
    )
    description = models.TextField("政策依据与说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at"], table_name="talent_historicalbenefit")

    class Meta:
        db_table = "talent_benefit"
        verbose_name = "待遇项目"
        verbose_name_plural = "待遇项目"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class EligibilityRule(Audited):
    """One way to qualify for a benefit: every condition it sets must hold (empty = any).
    A talent qualifies for the benefit when any of its active rules holds."""

    benefit = models.ForeignKey(
        Benefit, verbose_name="待遇项目", on_delete=models.CASCADE, related_name="rules"
    )
    name = models.CharField("规则名称", max_length=100)
    talent_types = models.JSONField("人才类型", default=list, blank=True)
    degrees = models.JSONField("学位", default=list, blank=True)
    employer_kinds = models.JSONField("用人单位类型", default=list, blank=True)
    min_years = models.PositiveSmallIntegerField(
        "到岗满（年）", null=True, blank=True, help_text="到岗满几年后才享受"
    )
    max_years = models.PositiveSmallIntegerField(
        "到岗不超过（年）", null=True, blank=True, help_text="到岗几年内享受"
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicaleligibilityrule"
    )

    class Meta:
        db_table = "talent_eligibilityrule"
        verbose_name = "适用规则"
        verbose_name_plural = "适用规则"
        ordering = ["benefit", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.benefit.name}：{self.name}"

    def talent_type_labels(self) -> list[str]:
        return [str(TalentType(t).label) for t in self.talent_types if t in TalentType.values]

    def degree_labels(self) -> list[str]:
        return [str(Degree(d).label) for d in self.degrees if d in Degree.values]

    def employer_kind_labels(self) -> list[str]:
        return [str(UnitKind(k).label) for k in self.employer_kinds if k in UnitKind.values]


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", "享受中"
    CANCELLED = "cancelled", "已取消"


class Entitlement(Audited):
    """A benefit a talent is entitled to, from a date, for the benefit's duration."""

    talent = models.ForeignKey(
        Talent, verbose_name="人才", on_delete=models.CASCADE, related_name="entitlements"
    )
    benefit = models.ForeignKey(
        Benefit, verbose_name="待遇项目", on_delete=models.PROTECT, related_name="entitlements"
    )
    rule = optional_fk(
        EligibilityRule, "依据规则", on_delete=models.SET_NULL, related_name="entitlements"
    )
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期", null=True, blank=True)
    monthly_amount = models.DecimalField(
        "每月标准（元）", max_digits=10, decimal_places=2, default=Decimal(0)
    )
    amount = models.DecimalField(
        "每次标准（元）", max_digits=10, decimal_places=2, default=Decimal(0)
    )
    status = models.CharField(
        "状态", max_length=20, choices=EntitlementStatus.choices, default=EntitlementStatus.ACTIVE
    )
    reason = models.TextField("认定依据", blank=True)
    generated = models.BooleanField("按规则生成", default=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalentitlement"
    )

    class Meta:
        db_table = "talent_entitlement"
        verbose_name = "人才待遇"
        verbose_name_plural = "人才待遇"
        ordering = ["talent", "benefit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "benefit"], name="entitlement_unique")
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return f"{self.talent.person.name} · {self.benefit.name}"

    def current(self, day: dt.date) -> bool:
        return (
            self.status == EntitlementStatus.ACTIVE
            and self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
        )


class Delivery(Audited):
    """One delivery of an entitlement: a payment, a visit, a check-up, a key handed over."""

    entitlement = models.ForeignKey(
        Entitlement, verbose_name="待遇", on_delete=models.CASCADE, related_name="deliveries"
    )
    date = models.DateField("兑现日期")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, default=0)
    period = models.DateField(
        "所属月份", null=True, blank=True, help_text="按月发放的补贴：该月第一天"
    )
    evidence = models.FileField("佐证材料", upload_to=delivery_evidence_path, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicaldelivery"
    )

    class Meta:
        db_table = "talent_delivery"
        verbose_name = "待遇兑现"
        verbose_name_plural = "待遇兑现"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "period"],
                condition=models.Q(period__isnull=False),
                name="delivery_once_per_month",
            )
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.entitlement} {self.date}"


class Apartment(Audited):
    """A talent apartment building (拎包入住)."""

    name = models.CharField("公寓名称", max_length=100)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="管理单位", on_delete=models.PROTECT, related_name="talent_apartments"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalapartment"
    )

    class Meta:
        db_table = "talent_apartment"
        verbose_name = "人才公寓"
        verbose_name_plural = "人才公寓"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="apartment_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Room(Audited):
    apartment = models.ForeignKey(
        Apartment, verbose_name="公寓", on_delete=models.CASCADE, related_name="rooms"
    )
    number = models.CharField("房号", max_length=20)
    beds = models.PositiveSmallIntegerField("床位", default=1)
    area = models.DecimalField("面积（㎡）", max_digits=6, decimal_places=1, default=0)
    monthly_rent = models.DecimalField("月租金（元）", max_digits=8, decimal_places=2, default=0)

    history = audited_history(excluded_fields=["updated_at"], table_name="talent_historicalroom")

    class Meta:
        db_table = "talent_room"
        verbose_name = "公寓房间"
        verbose_name_plural = "公寓房间"
        ordering = ["apartment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["apartment", "number"], name="room_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.apartment.name} {self.number}"


class AllocationStatus(models.TextChoices):
    ALLOCATED = "allocated", "已分配待入住"
    CHECKED_IN = "checked_in", "已入住"
    CHECKED_OUT = "checked_out", "已退房"
    CANCELLED = "cancelled", "已取消"


OPEN_ALLOCATION: tuple[str, ...] = (AllocationStatus.ALLOCATED, AllocationStatus.CHECKED_IN)


class RoomAllocation(Audited):
    """A bed of a room allocated to a talent, then checked in and out."""

    room = models.ForeignKey(
        Room, verbose_name="房间", on_delete=models.PROTECT, related_name="allocations"
    )
    talent = models.ForeignKey(
        Talent, verbose_name="人才", on_delete=models.PROTECT, related_name="room_allocations"
    )
    entitlement = optional_fk(
        Entitlement, "公寓待遇", on_delete=models.SET_NULL, related_name="room_allocations"
    )
    allocated_on = models.DateField("分配日期")
    check_in = models.DateField("入住日期", null=True, blank=True)
    check_out = models.DateField("退房日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.ALLOCATED
    )
    note = models.CharField("说明", max_length=200, blank=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalroomallocation"
    )

    class Meta:
        db_table = "talent_roomallocation"
        verbose_name = "公寓分配"
        verbose_name_plural = "公寓分配"
        ordering = ["-allocated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.room} ← {self.talent.person.name}"
