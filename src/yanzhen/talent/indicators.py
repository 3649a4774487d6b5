"""Figures of the talent work for the assessment (see ``core.indicators``).

* ``talent.recruited`` — talents recruited (公开招聘, 柔性引才, 校园招聘) whose arrival falls in
  the period, at the subject's units;
* ``talent.interns_hosted`` — interns (the registry's 实习实训学生) and secondments (挂职, the
  ledger's one record of each; the registry lists each as a 挂职干部) starting in the period at
  the subject's units;
* ``talent.services_delivered`` — deliveries of entitlements (subsidy payments, visits,
  check-ups, …) made in the period to talents employed at the subject's units.

Subjects: a unit counts with all its sub-units (``UnitClosure``). A base counts the units of its
lead department's subtree: the talent records name employers, not bases, and the lead
department is the unit accountable for the base (a base led by the development zone counts the
zone's enterprises; one led by a bureau counts that bureau). Each figure links to the list of
exactly its records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from yanzhen.cooperation.models import Base
from yanzhen.core.indicators import IndicatorSource, Subject, SubjectKind
from yanzhen.core.models import UnitClosure
from yanzhen.talent.models import RECRUITMENT_CHANNELS, TalentType


def _roots(subjects: Sequence[Subject]) -> dict[Subject, int | None]:
    """The unit whose subtree each subject stands for."""
    base_ids = [pk for kind, pk in subjects if kind == "base"]
    leads = dict(Base.objects.filter(pk__in=base_ids).values_list("pk", "lead_department_id"))
    return {s: (s[1] if s[0] == "unit" else leads.get(s[1])) for s in subjects}


def _per_root(roots: set[int], path: str, condition: Q) -> dict[int, int]:
    counted = (
        UnitClosure.objects.filter(ancestor_id__in=roots)
        .values("ancestor_id")
        .annotate(n=Count(path, filter=condition))
    )
    return {row["ancestor_id"]: row["n"] for row in counted}


def _figures(subjects: Sequence[Subject], path: str, condition: Q) -> dict[Subject, Decimal]:
    roots = _roots(subjects)
    counts = _per_root({r for r in roots.values() if r is not None}, path, condition)
    return {
        s: Decimal(counts.get(root, 0)) if root is not None else Decimal(0)
        for s, root in roots.items()
    }


def recruited(subjects: Sequence[Subject], start: dt.date, end: dt.date) -> dict[Subject, Decimal]:
    t = "descendant__talents"
    return _figures(
        subjects,
        t,
        Q(**{f"{t}__channel__in": RECRUITMENT_CHANNELS, f"{t}__start_date__range": (start, end)}),
    )


def interns_hosted(
    subjects: Sequence[Subject], start: dt.date, end: dt.date
) -> dict[Subject, Decimal]:
    t = "descendant__talents"
    interns = _figures(
        subjects,
        t,
        Q(**{f"{t}__talent_type": TalentType.INTERN, f"{t}__start_date__range": (start, end)}),
    )
    s = "descendant__secondments"
    seconded = _figures(
        subjects,
        s,
        Q(**{f"{s}__deleted_at__isnull": True, f"{s}__start_date__range": (start, end)}),
    )
    return {subject: interns[subject] + seconded[subject] for subject in interns}


def services_delivered(
    subjects: Sequence[Subject], start: dt.date, end: dt.date
) -> dict[Subject, Decimal]:
    d = "descendant__talents__entitlements__deliveries"
    return _figures(subjects, d, Q(**{f"{d}__date__range": (start, end)}))


def _root_of(subject: Subject) -> int:
    root = _roots([subject])[subject]
    return root if root is not None else 0


def _url(name: str, query: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def recruited_url(subject: Subject, start: dt.date, end: dt.date) -> str:
    return _url(
        "talent:talent_list",
        {"group": "recruited", "unit": str(_root_of(subject)), "sub": "1",
         "start_from": start.isoformat(), "start_to": end.isoformat()},
    )  # fmt: skip


def interns_hosted_url(subject: Subject, start: dt.date, end: dt.date) -> str:
    return _url(
        "talent:talent_list",
        {"group": "hosted", "unit": str(_root_of(subject)), "sub": "1",
         "start_from": start.isoformat(), "start_to": end.isoformat()},
    )  # fmt: skip


def services_delivered_url(subject: Subject, start: dt.date, end: dt.date) -> str:
    return _url(
        "talent:delivery_list",
        {"unit": str(_root_of(subject)), "sub": "1",
         "date_from": start.isoformat(), "date_to": end.isoformat()},
    )  # fmt: skip


BOTH: frozenset[SubjectKind] = frozenset({"unit", "base"})
SOURCES: tuple[IndicatorSource, ...] = (
    IndicatorSource(
        code="talent.recruited",
        label="引进人才数",
        measure="人",
        subjects=BOTH,
        compute=recruited,
        records_url=recruited_url,
    ),
    IndicatorSource(
        code="talent.interns_hosted",
        label="接收实习生和挂职人员数",
        measure="人",
        subjects=BOTH,
        compute=interns_hosted,
        records_url=interns_hosted_url,
    ),
    IndicatorSource(
        code="talent.services_delivered",
        label="人才服务兑现次数",
        measure="次",
        subjects=BOTH,
        compute=services_delivered,
        records_url=services_delivered_url,
    ),
)
