"""Access rules of the assessment app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "assessment:period_list": "list",
    "assessment:period_new": "create",
    "assessment:period_detail": "object:period",
    "assessment:period_move": "object:period",
    "assessment:score_detail": "object:score",
    "assessment:item_edit": "object:score_item",
    "assessment:entry_evidence": "object:score_entry",
    "assessment:trend": "list",
    "assessment:system_list": "list",
    "assessment:system_new": "create",
    "assessment:system_detail": "object:system",
    "assessment:system_edit": "object:system",
    "assessment:dimension_new": "object:system",
    "assessment:indicator_new": "object:system",
    "assessment:dimension_edit": "object:dimension",
    "assessment:indicator_edit": "object:indicator",
    "assessment:indicator_delete": "object:indicator",
    "api:list_assessment_periods": "list",
    "api:get_assessment_period": "object:period",
    "api:get_assessment_score": "object:score",
    "assessment:appeal_list": "list",
    "assessment:appeal_new": "object:appeal_item",
    "assessment:appeal_detail": "object:appeal",
    "assessment:appeal_attachment": "object:appeal",
    "api:list_assessment_appeals": "list",
    "api:get_assessment_appeal": "object:appeal",
    "api:create_assessment_appeal": "object:appeal_item",
    "api:decide_assessment_appeal": "object:appeal",
}


def object_ids() -> dict[str, int]:
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from yanzhen.assessment.models import (
        Appeal,
        Dimension,
        Entry,
        Indicator,
        IndicatorSystem,
        Period,
        Score,
        ScoreItem,
    )

    period = Period.objects.get(name="2021年度", system__name="省校合作量化考核指标体系")
    score = Score.objects.filter(period=period).order_by("rank", "pk")[0]
    item = ScoreItem.objects.filter(score=score).order_by("position")[0]
    entry = Entry(item=item, kind="correction", value=Decimal(1), reason="佐证", active=False)
    entry.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4"), save=False)
    entry.save()
    unit = score.unit or score.base.lead_department  # type: ignore[union-attr]
    appeal = Appeal(item=item, unit=unit, reason="申诉", original=item.value)
    appeal.attachment.save("appeal.pdf", ContentFile(b"%PDF-1.4"), save=False)
    appeal.save()
    system = IndicatorSystem.objects.order_by("pk")[0]
    town_score = Score.objects.get(
        period__system__name="部门和镇（街道）省校合作考核", unit__name="开张镇"
    )
    return {
        "appeal": appeal.pk,
        # An item of the demo town's own score: the town may appeal it.
        "appeal_item": ScoreItem.objects.filter(score=town_score).order_by("position")[0].pk,
        "period": period.pk,
        "score": score.pk,
        "score_item": item.pk,
        "score_entry": entry.pk,
        "system": system.pk,
        "dimension": Dimension.objects.filter(system=system).order_by("pk")[0].pk,
        "indicator": Indicator.objects.filter(system=system).order_by("pk")[0].pk,
    }
