"""N rows of the dashboard (page and API), in the scope of a user of ``unit``: cooperations
each in a local industry, with an enterprise and a university of their own, in a month of
their own (the dashboard's series by industry and by month grow a category each)."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.cooperation import services
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create, user_create
from yanzhen.reference.models import LocalIndustry, LocalIndustryGroup, University
from yanzhen.reports.models import Briefing

_serial = itertools.count(1)


def cooperations(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        k = next(_serial)
        industry = LocalIndustry.objects.create(
            code=f"D{k}", name=f"看板产业{k}", group=LocalIndustryGroup.LEADING
        )
        enterprise = unit_create(actor=None, parent=unit, name=f"企业{k}", kind=UnitKind.ENTERPRISE)
        services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=f"合作{k}",
                owner_unit=unit,
                parties=[enterprise],
                universities=[University.objects.create(name=f"看板大学{k}")],
                channel="find",
                kind="research",
                intention_date=dt.date(2018, 1, 1) + dt.timedelta(days=31 * (k % 36)),
                local_industry=industry,
            ),
        )
    return {}


def cooperations_2021(n: int, unit: Unit) -> dict[str, str]:
    """N cooperations with their intention in 2021: the records of the figure 合作意向数."""
    for _ in range(n):
        k = next(_serial)
        enterprise = unit_create(actor=None, parent=unit, name=f"企业{k}", kind=UnitKind.ENTERPRISE)
        services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=f"合作{k}",
                owner_unit=unit,
                parties=[enterprise],
                universities=[University.objects.create(name=f"总览大学{k}")],
                channel="find",
                kind="research",
                intention_date=dt.date(2021, 1, 1) + dt.timedelta(days=k % 300),
            ),
        )
    return {"figure": "合作意向数", "year": "2021"}


def overview(n: int, unit: Unit) -> dict[str, str]:
    cooperations_2021(n, unit)
    return {"year": "2021"}


def briefings(n: int, unit: Unit) -> dict[str, str]:
    """N draft briefings of ``unit``, each by a drafter of its own."""
    for _ in range(n):
        k = next(_serial)
        drafter = user_create(
            username=f"drafter{k}", password="Unused-Pass-1x", unit=unit, roles=[]
        )
        Briefing.objects.create(
            kind="summary",
            title=f"简报{k}",
            unit=unit,
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 12, 31),
            text="全年新增合作意向{合作意向数}项。",
            masthead="某县文件",
            signature="某县",
            drafter=drafter,
        )
    return {}


def searched_units(n: int, unit: Unit) -> dict[str, str]:
    """Units whose name the search finds (by its initials: the pinyin path, the costlier)."""
    for _ in range(n):
        k = next(_serial)
        unit_create(actor=None, parent=unit, name=f"搜寻单位{k}", kind=UnitKind.ENTERPRISE)
    return {"q": "sxdw"}


ROWS: dict[str, RowFactory] = {
    "reports:search": searched_units,
    "reports:briefing_list": briefings,
    "reports:dashboard": cooperations,
    "reports:overview": overview,
    "reports:figure_records": cooperations_2021,
    "api:get_dashboard": cooperations,
}
