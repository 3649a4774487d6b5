"""A county's local industries in its groups (``CountySettings.industry_groups``), or, for a
county that has not chosen them, the whole catalogue in the catalogue's groups."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yanzhen.core.counties import settings_for
from yanzhen.core.models import CountySettings, Unit
from yanzhen.reference.models import LocalIndustry, LocalIndustryGroup


def catalogue_groups() -> list[dict[str, Any]]:
    """The catalogue's industries in its groups, in the settings' shape (what a county that
    keeps the catalogue's classification, as Yongji does, stores)."""
    codes: dict[str, list[str]] = {}
    for group, code in LocalIndustry.objects.values_list("group", "code"):
        codes.setdefault(group, []).append(code)
    return [
        {"name": str(label), "industries": codes[value]}
        for value, label in LocalIndustryGroup.choices
        if value in codes
    ]


def industry_groups(unit: Unit | None) -> list[tuple[str, list[LocalIndustry]]]:
    """The groups of ``unit``'s county with their industries, in the county's order."""
    return groups_of(settings_for(unit))


def groups_of(settings: CountySettings | None) -> list[tuple[str, list[LocalIndustry]]]:
    """The industry groups of a county's ``settings`` (the catalogue's when it has none)."""
    groups = list(settings.industry_groups) if settings is not None else []
    if not groups:
        groups = catalogue_groups()
    by_code = {i.code: i for i in LocalIndustry.objects.all()}
    return [(str(g["name"]), [by_code[c] for c in g["industries"] if c in by_code]) for g in groups]


def local_industries(unit: Unit | None) -> QuerySet[LocalIndustry]:
    """The local industries of ``unit``'s county (the catalogue's when it chose none)."""
    return industries_of(settings_for(unit))


def industries_of(settings: CountySettings | None) -> QuerySet[LocalIndustry]:
    """The local industries a county's ``settings`` chose (the catalogue's when none)."""
    codes = [c for g in (settings.industry_groups if settings else []) for c in g["industries"]]
    return LocalIndustry.objects.filter(code__in=codes) if codes else LocalIndustry.objects.all()
