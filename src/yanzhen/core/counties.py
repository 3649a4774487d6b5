"""The settings of each county (``CountySettings``): its office, who reviews the cooperations
its lower units report, and its stage definitions (统计口径). Reads and the one write."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.models import (
    CodeFormat,
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
DIVISION_CODE = re.compile(r"^\d{6}$")
GROUP_SEPARATOR = re.compile(r"[：:]")
CODE_SEPARATOR = re.compile(r"[、,，;；\s]+")
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


def home_province(unit: Unit | None) -> str:
    """The province whose universities the recommendations of ``unit``'s county prefer."""
    settings = settings_for(unit)
    if settings is not None and settings.home_province:
        return settings.home_province
    return str(getattr(django_settings, "YANZHEN_HOME_PROVINCE", "山西省"))


def email_sender(unit: Unit | None) -> str | None:
    """The sender of e-mail to a user of ``unit`` (None: the platform's)."""
    settings = settings_for(unit)
    return settings.email_sender if settings is not None and settings.email_sender else None


def division_code(county: Unit) -> str:
    """The county's 6-digit division code (its unit code), or "" when it has none."""
    code = county.code.strip()
    return code if DIVISION_CODE.match(code) else ""


def code_prefix(unit: Unit | None, year: int) -> str:
    """What the codes of the new cooperations of ``unit``'s county in ``year`` start with: the
    number follows (6 digits). Without settings, or in the plain format: ``HZ2026``."""
    settings = settings_for(unit)
    if settings is not None and settings.code_format == CodeFormat.DIVISION:
        division = division_code(settings.county)
        if division:
            return f"HZ{division}{year}"
    return f"HZ{year}"


@dataclass(frozen=True)
class CountyConfig:
    """What a county configures beside its office and stage definitions."""

    industry_groups: list[dict[str, Any]] = field(default_factory=list)
    email_sender: str = ""
    home_province: str = "山西省"
    code_format: str = CodeFormat.DIVISION


def parse_industry_groups(text: str) -> list[dict[str, Any]]:
    """The groups of the settings page's text, one group a line: ``组名：代码、代码``
    (codes or names of the catalogue's local industries). Errors name the line."""
    # Core cannot import the reference app (the layers); the catalogue's model is looked up
    # by name, as core's models already refer to it.
    catalogue = apps.get_model("reference", "LocalIndustry")
    known: dict[str, str] = {}
    code: str
    for code, name in catalogue.objects.values_list("code", "name"):
        known[code] = code
        known[name] = code
    groups: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = GROUP_SEPARATOR.split(line, maxsplit=1)
        name = parts[0].strip()
        items = [i for i in CODE_SEPARATOR.split(parts[1]) if i] if len(parts) == 2 else []
        if not name or not items:
            raise _industries_error(number, _("应写作“组名：产业代码、产业代码”"))
        if len(name) > 30:
            raise _industries_error(number, _("组名不能超过30字"))
        if any(g["name"] == name for g in groups):
            raise _industries_error(number, _("组名“%(n)s”重复") % {"n": name})
        codes: list[str] = []
        for item in items:
            if item not in known:
                raise _industries_error(number, _("本地产业“%(i)s”不在产业目录中") % {"i": item})
            code = known[item]
            if code in seen:
                raise _industries_error(
                    number,
                    _("本地产业“%(i)s”已在第%(n)s行") % {"i": item, "n": seen[code]},
                )
            seen[code] = number
            codes.append(code)
        groups.append({"name": name, "industries": codes})
    return groups


def industry_groups_text(groups: list[dict[str, Any]]) -> str:
    return "\n".join(f"{g['name']}：{'、'.join(g['industries'])}" for g in groups)


def _industries_error(line: int, message: str) -> DomainError:
    text = _("本地产业及分组第%(n)s行：%(m)s") % {"n": line, "m": message}
    return DomainError("invalid", text, {"industry_groups": text}, status=422)


@transaction.atomic
def county_settings_save(
    *,
    actor: User,
    county: Unit,
    office: Unit | None,
    reviewer: str,
    rules: dict[str, dict[str, Any]],
    config: CountyConfig | None = None,
    expected_version: int | None = None,
    appeal_days: int | None = None,
) -> CountySettings:
    """Create or change the settings of ``county`` (version-checked when they exist);
    ``appeal_days`` (the assessment's appeal window) is kept when not given, and without
    ``config`` its industries, sender, province and code format stay as they are."""
    errors: dict[str, str] = {}
    if config is not None:
        if config.email_sender:
            try:
                validate_email(config.email_sender)
            except ValidationError:
                errors["email_sender"] = _("邮件发件人不是有效的电子邮箱地址")
        if not config.home_province.strip():
            errors["home_province"] = _("请填写本省")
        elif not config.home_province.strip().endswith(("省", "市", "自治区")):
            errors["home_province"] = _("本省应为省级行政区的全称，如“山西省”")
        if config.code_format not in CodeFormat.values:
            errors["code_format"] = _("请选择合作编号格式")
        elif config.code_format == CodeFormat.DIVISION and not division_code(county):
            errors["code_format"] = _("“%(c)s”没有6位行政区划代码，不能用含区划代码的编号格式") % {
                "c": county.name
            }
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
    if config is not None:
        settings.industry_groups = config.industry_groups
        settings.email_sender = config.email_sender.strip()
        settings.home_province = config.home_province.strip()
        settings.code_format = config.code_format
    settings.updated_by = actor
    settings._history_user = actor  # type: ignore[attr-defined]
    settings.save()
    return settings
