"""N rows of the dashboard (page and API), in the scope of a user of ``unit``: cooperations
each in a local industry, with an enterprise and a university of their own, in a month of
their own (the dashboard's series by industry and by month grow a category each)."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.cooperation import services
from yanzhen.cooperation.models import Base
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create, user_create
from yanzhen.reference.models import LocalIndustry, LocalIndustryGroup, University
from yanzhen.reports.models import Briefing, OutgoingReport, WorkInfo

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


def _bulletin(unit: Unit, k: int) -> Briefing:
    drafter = user_create(username=f"editor{k}", password="Unused-Pass-1x", unit=unit, roles=[])
    return Briefing.objects.create(
        kind="bulletin",
        title=f"简报{k}",
        unit=unit,
        start=dt.date(2021, 1, 1),
        end=dt.date(2021, 12, 31),
        text="正文",
        masthead=f"工作简报{k}",
        issue=k,
        signature="某县",
        drafter=drafter,
    )


def work_info(n: int, unit: Unit) -> dict[str, str]:
    """N adopted items of work information, each of a town, a submitter, a base and an issue
    of its own."""
    for _ in range(n):
        k = next(_serial)
        town = unit_create(actor=None, parent=unit, name=f"信息镇{k}", kind=UnitKind.TOWN)
        clerk = user_create(username=f"clerk{k}", password="Unused-Pass-1x", unit=town, roles=[])
        base = Base.objects.create(
            code=f"I{k}", name=f"信息基地{k}", county=unit, lead_department=town
        )
        WorkInfo.objects.create(
            unit=town,
            base=base,
            title=f"信息{k}",
            text="正文",
            date=dt.date(2021, 12, 1),
            state="adopted",
            submitted_by=clerk,
            submitted_at=dt.datetime(2021, 12, 1, tzinfo=dt.UTC),
            briefing=_bulletin(unit, k),
            decided_by=clerk,
            adopted_on=dt.date(2021, 12, 2),
        )
    return {}


def outgoing(n: int, unit: Unit) -> dict[str, str]:
    """N 专报 of ``unit``, each of an issue of its own."""
    for _ in range(n):
        k = next(_serial)
        OutgoingReport.objects.create(
            unit=unit,
            briefing=_bulletin(unit, k),
            recipient=f"上级{k}",
            sent_on=dt.date(2021, 12, 1),
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
    "reports:info_list": work_info,
    "api:list_work_info": work_info,
    "reports:outgoing_list": outgoing,
    "api:list_outgoing_reports": outgoing,
}
