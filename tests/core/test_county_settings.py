"""Each county's settings (县级设置): its office, who reviews its lower units' cooperations
(the office, or a base's lead department) and its stage definitions (统计口径), edited on an
office page with the version check, and shown on the cooperation forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import REVIEW_KIND, cooperation_qs
from yanzhen.cooperation.services import cooperation_move
from yanzhen.core.models import (
    ApprovalRequest,
    CountySettings,
    DataScope,
    ReviewerChoice,
    User,
)
from yanzhen.core.workflow import inbox_qs
from yanzhen.engines.stages import Stage


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC), tick=False):
        yield


def form(settings: CountySettings, **changes: object) -> dict[str, object]:
    rules = settings.stage_rules
    data: dict[str, object] = {
        "office": settings.office_id,
        "reviewer": settings.reviewer,
        "version": settings.version,
        **{f"{s}_text": rules[s]["text"] for s in ("intention", "agreement", "landed")},
        **{f"{s}_evidence": "on" for s in ("agreement", "landed")},
        "home_province": settings.home_province,
        "code_format": settings.code_format,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_office_edits_its_countys_settings_with_the_version_check(demo_db: Demo) -> None:
    client = demo_db.client("office")
    settings = CountySettings.objects.get(county__name="永济市")
    assert client.get(reverse("core:county_settings"))["Location"] == reverse(
        "core:county_settings_edit", args=[settings.pk]
    )
    url = reverse("core:county_settings_edit", args=[settings.pk])
    page = client.get(url).content.decode()
    assert "已签订合作协议（佐证：签署的协议）" in page
    response = client.post(
        url, form(settings, reviewer="lead_department", landed_text="项目已投产并通过验收")
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.reviewer, settings.version, settings.stage_rules["landed"]) == (
        ReviewerChoice.LEAD_DEPARTMENT,
        2,
        {"text": "项目已投产并通过验收", "evidence": True},
    )
    # An edit made on the first version is refused, and nothing changes.
    stale = client.post(url, form(settings, version=1, landed_text="旧口径"))
    assert stale.status_code == 200
    assert "该记录已被他人修改" in stale.content.decode()
    settings.refresh_from_db()
    assert (settings.version, settings.stage_rules["landed"]["text"]) == (2, "项目已投产并通过验收")
    # A definition left empty is named.
    empty = client.post(url, form(settings, agreement_text=""))
    assert "这个字段是必填项" in empty.content.decode()
    # The forms show the definitions.
    new = client.get(reverse("cooperation:cooperation_new")).content.decode()
    assert "项目已投产并通过验收" in new
    assert "须上传佐证" in new


def test_the_town_may_not_edit_the_settings(demo_db: Demo) -> None:
    response = demo_db.client("town").get(reverse("core:county_settings"))
    assert response.status_code == 403


def test_with_lead_departments_reviewing_a_bases_report_goes_to_its_lead(
    demo_db: Demo, make_user: Callable[..., User]
) -> None:
    CountySettings.objects.filter(county__name="永济市").update(
        reviewer=ReviewerChoice.LEAD_DEPARTMENT
    )
    town = demo_db.users["town"]
    cooperation = (
        cooperation_qs(town)
        .filter(stage=Stage.INTENTION, base__isnull=False)
        .order_by("id")
        .first()
    )
    assert cooperation is not None
    assert cooperation.base is not None
    cooperation_move(
        actor=town,
        cooperation=cooperation,
        target=Stage.AGREEMENT,
        date=dt.date(2026, 11, 1),
        reason="已签约",
        evidence=SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    approval = ApprovalRequest.objects.get(kind=REVIEW_KIND, target_id=cooperation.pk)
    lead = cooperation.base.lead_department
    assert approval.reviewer_unit == lead
    office = demo_db.users["office"]
    assert approval not in list(inbox_qs(office))
    reviewer = make_user(lead, DataScope.UNIT_AND_BELOW, ["cooperation.review_cooperation"])
    assert list(inbox_qs(reviewer)) == [approval]
    assert Cooperation.objects.get(pk=cooperation.pk).stage == Stage.INTENTION
