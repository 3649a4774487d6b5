"""The demo's reports: the permissions of the year at a glance and of briefings (the second
member of the office who reviews what the first drafts is a login of ``yongji.USERS``), and the
county's targets for 2021.

Idempotent: the targets are added once."""

from __future__ import annotations

from yanzhen.core.models import Unit
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.reports.models import AnnualTarget, TargetKind

BRIEFING = [
    *(f"reports.{a}_briefing" for a in ("view", "add", "change")),
    *(f"reports.{a}_briefingtemplate" for a in ("view", "add", "change")),
    "reports.review_briefing",
]
TARGETS = [f"reports.{a}_annualtarget" for a in ("view", "add", "change", "delete")]
PERMISSIONS: dict[str, list[str]] = {
    "office": [*TARGETS, *BRIEFING],
    # The leader reads and 签发; changing nothing else.
    "leader": ["reports.view_annualtarget", "reports.view_briefing", "reports.sign_briefing"],
}
# The county's targets for 2021 (set by the office at the start of the year).
TARGETS_2021 = {
    TargetKind.INTENTION: 100,
    TargetKind.AGREEMENT: 80,
    TargetKind.LANDED: 60,
    TargetKind.TALENT: 120,
    TargetKind.INTERN: 60,
}


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    county = Unit.objects.filter(name=yongji.COUNTY[0]).first()
    if county is None:
        return
    for kind, value in TARGETS_2021.items():
        _, created = AnnualTarget.objects.get_or_create(
            unit=county, year=2021, kind=kind, defaults={"value": value}
        )
        if created:
            result.add("targets")
