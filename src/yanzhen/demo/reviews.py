"""The demo's review workflow: Yongji's county settings (its office reviews what the lower
units report, with the default stage definitions), and two reports waiting in the office's
inbox (待审核) — 开张镇's landing of a cooperation with its evidence, and 中车永济电机's new
intention — each with its notification to the office. Nothing pending counts in a figure:
the case's 120/81/63 stay.

Idempotent: the settings and each report are made once."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from yanzhen.cooperation.models import Cooperation, StageEvent
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.cooperation.services import CooperationData, cooperation_create, cooperation_move
from yanzhen.core.counties import CountyConfig, county_settings_save
from yanzhen.core.models import (
    CodeFormat,
    CountySettings,
    ReviewerChoice,
    Unit,
    UnitKind,
    User,
    default_stage_rules,
)
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.engines.stages import Stage
from yanzhen.reference.local import catalogue_groups

PERMISSIONS = {
    "office": [
        "cooperation.review_cooperation",
        "core.view_countysettings",
        "core.change_countysettings",
        "supervision.review_report",
    ],
    "base_lead": ["cooperation.review_cooperation"],
}
LANDED_REASON = "项目已在镇内实施（演示：镇报送的落地）"
NEW_TITLE = "高速列车牵引电机联合研发意向（演示：企业报送）"
# The new intention's date and code: outside the case's year (2021) and its run of codes.
NEW_DATE = dt.date(2022, 3, 1)
NEW_CODE = "YJ-SB-2022-001"
EVIDENCE = "%PDF-1.4\n% 演示佐证：验收记录\n".encode()


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    county = Unit.objects.filter(name=yongji.COUNTY[0], kind=UnitKind.COUNTY).first()
    office_user = User.objects.filter(username="office").first()
    if county is None or office_user is None:
        return
    if not CountySettings.objects.filter(county=county).exists():
        county_settings_save(
            actor=office_user,
            county=county,
            office=office_user.unit,
            reviewer=ReviewerChoice.OFFICE,
            rules=default_stage_rules(),
            # Yongji as before the settings were per county: the catalogue's industries in
            # its groups, the platform's sender, 山西省, codes without the division code.
            config=CountyConfig(
                industry_groups=catalogue_groups(),
                home_province="山西省",
                code_format=CodeFormat.PLAIN,
            ),
        )
        result.add("county settings")
    _town_landing(result)
    _enterprise_intention(result)


def _town_landing(result: DemoResult) -> None:
    town = User.objects.filter(username="town").select_related("unit").first()
    if town is None or StageEvent.objects.filter(reason=LANDED_REASON).exists():
        return
    cooperation = (
        cooperation_qs(town).filter(stage=Stage.AGREEMENT).order_by("agreement_date", "id").first()
    )
    if cooperation is None:
        return
    cooperation_move(
        actor=town,
        cooperation=cooperation,
        target=Stage.LANDED,
        date=(cooperation.agreement_date or cooperation.intention_date) + dt.timedelta(days=60),
        reason=LANDED_REASON,
        evidence=SimpleUploadedFile("验收记录.pdf", EVIDENCE, "application/pdf"),
    )
    result.add("reviews")


def _enterprise_intention(result: DemoResult) -> None:
    enterprise = User.objects.filter(username="enterprise").select_related("unit").first()
    if enterprise is None or enterprise.unit is None:
        return
    if Cooperation.all_objects.filter(code=NEW_CODE).exists():
        return
    model = Cooperation.objects.filter(parties=enterprise.unit).order_by("id").first()
    if model is None:
        return
    cooperation_create(
        actor=enterprise,
        data=CooperationData(
            title=NEW_TITLE,
            owner_unit=enterprise.unit,
            parties=[enterprise.unit],
            universities=list(model.universities.all()[:1]),
            channel=model.channel,
            kind=model.kind,
            intention_date=NEW_DATE,
            code=NEW_CODE,
            local_industry=model.local_industry,
        ),
    )
    result.add("reviews")
