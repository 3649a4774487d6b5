"""The demo's permissions, disciplines and entitlement catalogue (rules as data)."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Permission

from yanzhen.benefits import services
from yanzhen.benefits.models import Benefit, BenefitKind
from yanzhen.core.models import Role, Unit
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.common import (
    BACHELOR,
    DOCTOR,
    HRSS,
    MASTER,
    MIIT,
    OFFICE,
)
from yanzhen.reference.models import Discipline
from yanzhen.talent.models import TalentType

# Permissions ---------------------------------------------------------------------------------

MODELS = (
    "campaign", "position", "applicant", "talent", "serviceagreement", "workloadentry",
)  # fmt: skip
PLACEMENT_MODELS = (
    "programme", "host", "placementapplicant", "internship", "internlog", "hostfeedback",
)  # fmt: skip
BENEFITS_MODELS = (
    "benefit", "eligibilityrule", "entitlement", "delivery", "apartment", "room",
    "roomallocation",
)  # fmt: skip
COLLEGE_MODELS = (
    "college", "major", "coursecategory", "course", "trainingclass", "enrolment", "brand",
    "brandstore",
)  # fmt: skip
LABELS = [
    *(f"talent.{m}" for m in MODELS),
    *(f"placement.{m}" for m in PLACEMENT_MODELS),
    *(f"benefits.{m}" for m in BENEFITS_MODELS),
    *(f"college.{m}" for m in COLLEGE_MODELS),
]
VIEW = [f"{app}.view_{m}" for app, m in (label.split(".") for label in LABELS)]
ALL = [
    f"{app}.{a}_{m}"
    for app, m in (label.split(".") for label in LABELS)
    for a in ("view", "add", "change", "delete")
]
GRANTS: dict[str, list[str]] = {
    "office": [*ALL, "talent.export_talent", "placement.allocate_programme"],
    "leader": [*VIEW, "talent.export_talent"],
    "base_lead": [
        "talent.view_talent", "talent.view_campaign", "talent.view_applicant",
        "benefits.view_entitlement", "benefits.view_delivery", "benefits.view_benefit",
        "placement.view_programme", "placement.view_internship", "talent.export_talent",
    ],
    "town": [
        "talent.view_talent", "talent.add_talent", "talent.change_talent",
        "talent.view_campaign", "talent.view_applicant", "benefits.view_benefit",
        "benefits.view_entitlement", "benefits.view_delivery", "benefits.add_delivery",
        "placement.view_programme", "placement.change_host", "placement.view_internship",
        "placement.change_internship", "placement.view_internlog", "placement.add_internlog",
        "placement.view_hostfeedback", "placement.add_hostfeedback", "college.view_enrolment",
        "talent.export_talent",
    ],
    "enterprise": [
        "talent.view_talent", "talent.change_talent", "talent.view_campaign",
        "talent.view_applicant", "talent.change_applicant", "benefits.view_benefit",
        "benefits.view_entitlement", "benefits.view_delivery", "talent.view_serviceagreement",
        "talent.add_workloadentry", "talent.export_talent",
    ],
}  # fmt: skip


def grant_permissions() -> None:
    """Give the demo roles the permissions of the talent work's apps (idempotent)."""
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(
            content_type__app_label__in=("talent", "placement", "benefits", "college")
        ).select_related("content_type")
    }
    for code, names in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions.add(*(perms[n] for n in names))


# Reference: the disciplines the demo uses (2022 catalogue, first-level) ----------------------

DISCIPLINES = {
    "0202": ("02", "经济学", "应用经济学"), "0401": ("04", "教育学", "教育学"),
    "0710": ("07", "理学", "生物学"), "0802": ("08", "工学", "机械工程"),
    "0805": ("08", "工学", "材料科学与工程"), "0808": ("08", "工学", "电气工程"),
    "0810": ("08", "工学", "信息与通信工程"), "0811": ("08", "工学", "控制科学与工程"),
    "0812": ("08", "工学", "计算机科学与技术"), "0817": ("08", "工学", "化学工程与技术"),
    "0832": ("08", "工学", "食品科学与工程"), "0901": ("09", "农学", "作物学"),
    "1002": ("10", "医学", "临床医学"), "1005": ("10", "医学", "中医学"),
    "1202": ("12", "管理学", "工商管理学"),
}  # fmt: skip


def load_disciplines(result: DemoResult) -> dict[str, Discipline]:
    out: dict[str, Discipline] = {}
    for code, (category_code, category_name, name) in DISCIPLINES.items():
        category, created = Discipline.objects.get_or_create(
            code=category_code, defaults={"name": category_name}
        )
        result.add("disciplines", int(created))
        discipline, created = Discipline.objects.get_or_create(
            code=code, defaults={"name": name, "parent": category}
        )
        result.add("disciplines", int(created))
        out[code] = discipline
    return out


# The entitlement catalogue -------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSeed:
    name: str
    types: tuple[str, ...] = ()
    degrees: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    min_years: int | None = None
    max_years: int | None = None


@dataclass(frozen=True)
class BenefitSeed:
    code: str
    name: str
    kind: str
    payer: str
    rules: tuple[RuleSeed, ...]
    monthly: int = 0
    amount: int = 0
    months: int | None = None
    interval: int | None = None
    budget: int = 0
    description: str = ""


RESIDENT = (TalentType.FULL_TIME, TalentType.MEDICAL_GRADUATE, TalentType.SELECTED_GRADUATE)
FLEX = (TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)
CATALOGUE: tuple[BenefitSeed, ...] = (
    BenefitSeed(
        "yj-apartment", "人才公寓（拎包入住）", BenefitKind.APARTMENT, HRSS,
        (RuleSeed("全职引进硕士及以上", RESIDENT, (DOCTOR, MASTER), max_years=3),),
        months=36, description="全职引进的硕士、博士，到岗3年内可申请入住人才公寓，拎包入住。",
    ),
    BenefitSeed(
        "yj-subsidy-phd", "博士研究生生活补贴", BenefitKind.LIVING_SUBSIDY, HRSS,
        (RuleSeed("全职引进博士", RESIDENT, (DOCTOR,)),),
        monthly=3000, months=60, budget=36_000, description="每月3000元，发放5年。",
    ),
    BenefitSeed(
        "yj-subsidy-master", "硕士研究生生活补贴", BenefitKind.LIVING_SUBSIDY, HRSS,
        (RuleSeed("全职引进硕士", RESIDENT, (MASTER,)),),
        monthly=1500, months=36, budget=1_200_000, description="每月1500元，发放3年。",
    ),
    BenefitSeed(
        "yj-subsidy-bachelor", "本科毕业生生活补贴", BenefitKind.LIVING_SUBSIDY, HRSS,
        (RuleSeed("全职引进本科毕业生", RESIDENT, (BACHELOR,)),),
        monthly=800, months=6, budget=60_000, description="每月800元，发放6个月。",
    ),
    BenefitSeed(
        "yj-insurance", "人才意外伤害保险", BenefitKind.INSURANCE, HRSS,
        (
            RuleSeed("引进人才", (*RESIDENT, *FLEX)),
            RuleSeed("实习期学生", (TalentType.INTERN,)),
        ),
        amount=300, months=12, budget=60_000, description="每年投保一次，到期续保。",
    ),
    BenefitSeed(
        "yj-rent", "柔性引进专家租金减免", BenefitKind.RENT_RELIEF, HRSS,
        (RuleSeed("在企业服务的柔性引进人才", FLEX, kinds=("enterprise", "zone")),),
        monthly=500, months=24, budget=150_000, description="在永济租房的，每月减免500元。",
    ),
    BenefitSeed(
        "yj-tax", "引才企业税费减免", BenefitKind.TAX_RELIEF, MIIT,
        (RuleSeed("企业引进硕士及以上", ("full_time", *FLEX), (DOCTOR, MASTER), ("enterprise",)),),
        amount=20_000, months=12, description="企业每引进1名硕士及以上人才，当年减免地方留成税费2万元。",
    ),
    BenefitSeed(
        "yj-visit", "人才走访慰问", BenefitKind.VISIT, OFFICE,
        (RuleSeed("引进人才", (*RESIDENT, *FLEX)),),
        amount=500, months=36, interval=6, description="人才办每半年走访慰问一次。",
    ),
    BenefitSeed(
        "yj-checkup", "人才健康体检", BenefitKind.CHECKUP, OFFICE,
        (
            RuleSeed("全职引进人才", RESIDENT),
            RuleSeed("柔性引进满1年", FLEX, min_years=1),
        ),
        amount=600, months=36, interval=12, description="每年免费健康体检一次。",
    ),
)  # fmt: skip


def load_catalogue(result: DemoResult, units: dict[str, Unit]) -> None:
    if Benefit.objects.filter(code=CATALOGUE[0].code).exists():
        return
    for order, seed in enumerate(CATALOGUE):
        benefit = services.benefit_create(
            actor=None,
            code=seed.code,
            name=seed.name,
            kind=seed.kind,
            owner_unit=units[OFFICE],
            paying_unit=units[seed.payer],
            monthly_amount=Decimal(seed.monthly),
            amount=Decimal(seed.amount),
            duration_months=seed.months,
            interval_months=seed.interval,
            annual_budget=Decimal(seed.budget),
            description=seed.description,
            sort_order=order,
        )
        for index, rule in enumerate(seed.rules):
            services.rule_create(
                actor=None,
                benefit=benefit,
                name=rule.name,
                talent_types=rule.types,
                degrees=rule.degrees,
                employer_kinds=rule.kinds,
                min_years=rule.min_years,
                max_years=rule.max_years,
                sort_order=index,
            )
        result.add("talent benefits")
