"""New cooperation codes carry the county's division code (``CountySettings.code_format``),
codes given stay; the migration gives existing settings the values that were global."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from yanzhen.cooperation import services
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.counties import CountyConfig, county_settings_save
from yanzhen.core.errors import DomainError
from yanzhen.core.models import (
    CodeFormat,
    CountySettings,
    ReviewerChoice,
    Unit,
    UnitKind,
    default_stage_rules,
)
from yanzhen.core.services import unit_create
from yanzhen.reference.models import LocalIndustry, University


@pytest.mark.django_db
def test_new_codes_carry_the_division_code_and_old_codes_stay(county: Unit) -> None:
    county.code = "140802"
    county.save()
    office = unit_create(actor=None, parent=county, name="合作办", kind=UnitKind.DEPARTMENT)
    firm = unit_create(actor=None, parent=county, name="甲公司", kind=UnitKind.ENTERPRISE)
    xjtu = University.objects.create(name="西安交通大学", code="4161010698")

    def create(title: str) -> Cooperation:
        return services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=title,
                owner_unit=office,
                parties=[firm],
                universities=[xjtu],
                channel="invite",
                kind="research",
                intention_date=dt.date(2026, 3, 1),
            ),
        )

    old = create("旧合作")
    assert old.code == "HZ2026000001"  # no settings yet: the code as before
    county_settings_save(
        actor=None,  # type: ignore[arg-type]
        county=county,
        office=office,
        reviewer=ReviewerChoice.OFFICE,
        rules=default_stage_rules(),
        config=CountyConfig(code_format=CodeFormat.DIVISION),
    )
    assert [create("新合作一").code, create("新合作二").code] == [
        "HZ1408022026000001",
        "HZ1408022026000002",
    ]
    old.refresh_from_db()
    assert old.code == "HZ2026000001"


@pytest.mark.django_db
def test_the_division_format_needs_a_division_code(county: Unit) -> None:
    with pytest.raises(DomainError) as raised:
        county_settings_save(
            actor=None,  # type: ignore[arg-type]
            county=county,
            office=None,
            reviewer=ReviewerChoice.OFFICE,
            rules=default_stage_rules(),
            config=CountyConfig(code_format=CodeFormat.DIVISION),
        )
    assert raised.value.fields == {
        "code_format": "“测试县”没有6位行政区划代码，不能用含区划代码的编号格式"
    }
    assert not CountySettings.objects.exists()


@pytest.mark.django_db
def test_the_migration_gives_existing_settings_the_values_that_were_global(county: Unit) -> None:
    LocalIndustry.objects.create(code="X-L1", name="装备", group="leading", sort_order=1)
    LocalIndustry.objects.create(code="X-C1", name="文旅", group="culture", sort_order=2)
    CountySettings.objects.create(county=county)  # the new fields' defaults
    migration = import_module("yanzhen.core.migrations.0018_county_configuration")
    migration.keep_current_values(apps, None)
    settings = CountySettings.objects.get(county=county)
    assert (settings.code_format, settings.home_province, settings.industry_groups) == (
        CodeFormat.PLAIN,
        "山西省",
        [
            {"name": "工业“六强五新”", "industries": ["X-L1"]},
            {"name": "文化旅游", "industries": ["X-C1"]},
        ],
    )
