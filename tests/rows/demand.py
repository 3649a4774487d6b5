"""N rows of each list of the demand map, in the scope of a user of ``unit``: needs each of an
enterprise, an industry, a survey, a discipline and a university of their own; experts each at
a university of their own; so that a list reading anything per row shows it in its query
count."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create
from yanzhen.demand import recommendations, services
from yanzhen.demand.models import HeldRow, SurveyCampaign, TalentNeed
from yanzhen.reference.models import (
    Discipline,
    DisciplineEvaluation,
    LocalIndustry,
    LocalIndustryGroup,
    University,
)

D = dt.date
_serial = itertools.count(1)


def _discipline() -> Discipline:
    n = next(_serial)
    category, _ = Discipline.objects.get_or_create(code="08", defaults={"name": "工学"})
    return Discipline.objects.create(code=f"{8000 + n}", name=f"学科{n}", parent=category)


def _university(discipline: Discipline | None = None) -> University:
    n = next(_serial)
    university = University.objects.create(
        name=f"测试大学{n}", code=f"48{n:08d}", province="陕西省", city="西安市", level="本科"
    )
    if discipline is not None:
        DisciplineEvaluation.objects.create(
            university=university, school_name=university.name, discipline=discipline,
            discipline_code=discipline.code, discipline_name=discipline.name, grade="A",
        )  # fmt: skip
    return university


def _enterprise(unit: Unit, industry: LocalIndustry | None = None) -> Unit:
    industry = industry or LocalIndustry.objects.create(
        code=f"Y{next(_serial)}", name=f"产业{next(_serial)}", group=LocalIndustryGroup.LEADING
    )
    enterprise = unit_create(
        actor=None, parent=unit, name=f"企业{next(_serial)}", kind=UnitKind.ENTERPRISE
    )
    Unit.objects.filter(pk=enterprise.pk).update(local_industry=industry)
    enterprise.refresh_from_db()
    return enterprise


def _campaign(unit: Unit, enterprise: Unit) -> SurveyCampaign:
    return services.campaign_create(
        actor=None,
        data=services.CampaignData(
            title=f"需求调查{next(_serial)}",
            owner_unit=unit,
            opens_on=D(2021, 10, 1),
            deadline=D(2021, 12, 31),
            enterprises=[enterprise],
        ),
    )


def _needs(n: int, unit: Unit, industry: LocalIndustry | None = None) -> list[TalentNeed]:
    made = []
    for _ in range(n):
        enterprise = _enterprise(unit, industry)
        discipline = _discipline()
        made.append(
            services.need_create(
                actor=None,
                data=services.NeedData(
                    enterprise=enterprise,
                    campaign=_campaign(unit, enterprise),
                    position=f"电机控制工程师{next(_serial)}",
                    degree="master",
                    number=2,
                    urgency="urgent",
                    disciplines=[discipline],
                    preferred_universities=[_university(discipline)],
                    deadline=D(2022, 6, 30),
                    description="牵引电机控制算法",
                ),
            )
        )
    recommendations.engine()  # the recommenders rebuilt for the new supply side, once
    return made


def needs(n: int, unit: Unit) -> dict[str, str]:
    _needs(n, unit)
    return {}


def trash(n: int, unit: Unit) -> dict[str, str]:
    for need in _needs(n, unit):
        services.need_delete(actor=None, need=need)
    return {}


def visits(n: int, unit: Unit) -> dict[str, str]:
    industry, _ = LocalIndustry.objects.get_or_create(
        code="VISIT", defaults={"name": "走访产业", "group": LocalIndustryGroup.LEADING}
    )
    _needs(n, unit, industry)
    return {"industry": industry.code}


def campaigns(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _campaign(unit, _enterprise(unit))
    return {}


def _experts(n: int, unit: Unit) -> None:
    for _ in range(n):
        discipline = _discipline()
        services.expert_create(
            actor=None,
            data=services.ExpertData(
                name=f"专家{next(_serial)}",
                university=_university(discipline),
                owner_unit=unit,
                directions="牵引电机控制、电力电子",
                disciplines=[discipline],
                title="教授",
                honours="长江学者",
            ),
        )
    recommendations.engine()


def experts(n: int, unit: Unit) -> dict[str, str]:
    _experts(n, unit)
    return {}


def recommended(n: int, unit: Unit) -> dict[str, str]:
    _experts(n, unit)
    return {"q": "牵引电机控制", "top": "50"}


def held(n: int, unit: Unit) -> dict[str, str]:
    for i in range(n):
        a, b = _university(), _university()
        HeldRow.objects.create(
            kind="expert",
            unit=unit_create(actor=None, parent=unit, name=f"单位{next(_serial)}", kind="town"),
            filename=f"专家名单{i}.xlsx",
            row_number=i + 2,
            values={"name": f"专家{i}", "university": "测大"},
            pending=[
                {
                    "written": "测大",
                    "candidates": [
                        {"id": a.pk, "name": a.name, "confidence": 0.6},
                        {"id": b.pk, "name": b.name, "confidence": 0.6},
                    ],
                }
            ],
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "demand:need_list": needs,
    "demand:demand_map": needs,
    "demand:trash": trash,
    "demand:visit_list": visits,
    "demand:campaign_list": campaigns,
    "demand:expert_list": experts,
    "demand:recommend": recommended,
    "demand:held_list": held,
    "api:demand_list_needs": needs,
    "api:demand_map": needs,
    "api:demand_list_campaigns": campaigns,
    "api:demand_list_experts": experts,
    "api:demand_recommend": recommended,
}
