"""The settings of each county (``CountySettings``): its office, who reviews the cooperations
its lower units report, and its stage definitions (统计口径). Reads and the one write."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.models import (
    CountySettings,
    ReviewerChoice,
    Unit,
    UnitClosure,
    UnitKind,
    User,
    check_version,
    default_stage_rules,
)

STAGES = ("intention", "agreement", "landed")
STAGE_LABELS = {"intention": "意向", "agreement": "签约", "landed": "落地"}
TEXT_MAX = 200
APPEAL_DAYS_DEFAULT = 7
APPEAL_DAYS_MIN, APPEAL_DAYS_MAX = 1, 60
# Units above a county report to nobody on the platform: their entries are never reviewed.
ABOVE_COUNTY = (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY)


def county_of(unit: Unit | None) -> Unit | None:
    """The county (县级单位) ``unit`` is in, itself if it is one."""
    if unit is None:
        return None
    if unit.kind == UnitKind.COUNTY:
        return unit
    ancestors = UnitClosure.objects.filter(descendant_id=unit.pk).values("ancestor_id")
    return Unit.objects.filter(pk__in=ancestors, kind=UnitKind.COUNTY).first()


def settings_for(unit: Unit | None) -> CountySettings | None:
    """The settings of the county of ``unit`` (None when the county has none yet)."""
    county = county_of(unit)
    if county is None:
        return None
    return CountySettings.objects.select_related("office", "county").filter(county=county).first()


def stage_rules(unit: Unit | None) -> dict[str, dict[str, Any]]:
    """The stage definitions in force for ``unit`` (its county's, else the defaults)."""
    settings = settings_for(unit)
    rules = default_stage_rules()
    if settings is not None:
        for stage in STAGES:
            rules[stage] = {**rules[stage], **dict(settings.stage_rules.get(stage) or {})}
    return rules


def appeal_days(unit: Unit | None) -> int:
    """The days after an assessment's publication in which ``unit`` may appeal a hand
    score (its county's setting, else the default)."""
    settings = settings_for(unit)
    return settings.appeal_days if settings is not None else APPEAL_DAYS_DEFAULT


def is_office(unit: Unit | None) -> bool:
    settings = settings_for(unit)
    return unit is not None and settings is not None and settings.office_id == unit.pk


def needs_review(actor: User | None) -> bool:
    """Whether what ``actor`` reports about cooperations waits for review: a lower unit's
    entries do, once its county has named its office; the office's own (and the county's
    and above) take effect at once."""
    if actor is None or actor.unit is None or actor.unit.kind in ABOVE_COUNTY:
        return False
    settings = settings_for(actor.unit)
    return settings is not None and settings.office_id not in (None, actor.unit_id)


@transaction.atomic
def county_settings_save(
    *,
    actor: User,
    county: Unit,
    office: Unit | None,
    reviewer: str,
    rules: dict[str, dict[str, Any]],
    expected_version: int | None = None,
    appeal_days: int | None = None,
) -> CountySettings:
    """Create or change the settings of ``county`` (version-checked when they exist);
    ``appeal_days`` (the assessment's appeal window) is kept when not given."""
    errors: dict[str, str] = {}
    if county.kind != UnitKind.COUNTY:
        errors["county"] = _("只有县（市、区）有县级设置")
    if office is not None and county_of(office) != county:
        errors["office"] = _("省校合作办须是本县（市、区）的单位")
    if reviewer not in ReviewerChoice.values:
        errors["reviewer"] = _("请选择审核方式")
    clean: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        rule = rules.get(stage) or {}
        text = str(rule.get("text", "")).strip()
        if not text:
            errors[f"{stage}_text"] = _("请填写“%(s)s”的统计口径") % {"s": STAGE_LABELS[stage]}
        elif len(text) > TEXT_MAX:
            errors[f"{stage}_text"] = _("统计口径不能超过%(n)s字") % {"n": TEXT_MAX}
        clean[stage] = {"text": text, "evidence": bool(rule.get("evidence"))}
    if appeal_days is not None and not APPEAL_DAYS_MIN <= appeal_days <= APPEAL_DAYS_MAX:
        errors["appeal_days"] = _("考核申诉期须为%(a)s至%(b)s天") % {
            "a": APPEAL_DAYS_MIN,
            "b": APPEAL_DAYS_MAX,
        }
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors, status=422)
    settings = CountySettings.objects.select_for_update().filter(county=county).first()
    if settings is None:
        settings = CountySettings(county=county, created_by=actor)
    else:
        check_version(settings, expected_version)
    settings.office = office
    settings.reviewer = reviewer
    settings.stage_rules = clean
    if appeal_days is not None:
        settings.appeal_days = appeal_days
    settings.updated_by = actor
    settings._history_user = actor  # type: ignore[attr-defined]
    settings.save()
    return settings
