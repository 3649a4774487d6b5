"""The assessment's figure of 信息报送 (see ``core.indicators``).

* ``reports.info_adopted`` — 信息采用数: the pieces of 工作信息 adopted (采用) into a 工作简报 in the
  period (by the day of adoption), submitted by the subject's units (a unit counts with all its
  sub-units) or, for a base, submitted for that base. Each value links to the list of exactly
  those items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from yanzhen.core.indicators import IndicatorSource, Subject
from yanzhen.core.models import UnitClosure
from yanzhen.reports.models import InfoState, WorkInfo


def info_adopted(
    subjects: Sequence[Subject], start: dt.date, end: dt.date
) -> dict[Subject, Decimal]:
    adopted = WorkInfo.objects.filter(state=InfoState.ADOPTED, adopted_on__range=(start, end))
    unit_ids = [pk for kind, pk in subjects if kind == "unit"]
    base_ids = [pk for kind, pk in subjects if kind == "base"]
    per_unit = dict(
        UnitClosure.objects.filter(ancestor_id__in=unit_ids)
        .filter(descendant__work_info__in=adopted)
        .values("ancestor_id")
        .annotate(n=Count("descendant__work_info"))
        .values_list("ancestor_id", "n")
    )
    per_base = dict(
        adopted.filter(base_id__in=base_ids)
        .order_by()
        .values("base_id")
        .annotate(n=Count("pk"))
        .values_list("base_id", "n")
    )
    counts = {"unit": per_unit, "base": per_base}
    return {s: Decimal(counts[s[0]].get(s[1], 0)) for s in subjects}


def info_adopted_url(subject: Subject, start: dt.date, end: dt.date) -> str:
    kind, pk = subject
    query = {"state": InfoState.ADOPTED.value, "adopted_from": start.isoformat(),
             "adopted_to": end.isoformat()}  # fmt: skip
    query |= {"unit": str(pk), "sub": "1"} if kind == "unit" else {"base": str(pk)}
    return f"{reverse('reports:info_list')}?{urlencode(query)}"


SOURCES: tuple[IndicatorSource, ...] = (
    IndicatorSource(
        code="reports.info_adopted",
        label="信息采用数",
        measure="条",
        subjects=frozenset({"unit", "base"}),
        compute=info_adopted,
        records_url=info_adopted_url,
    ),
)
