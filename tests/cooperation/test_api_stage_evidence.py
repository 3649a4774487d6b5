"""The API's stage move carries the stage's evidence (multipart ``evidence``): a town's 签约
through the API waits for review with its file; without one, 422 naming 佐证材料; the file is
bounded like the pages' uploads; JSON bodies still work as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation, EventStatus, StageEvent
from yanzhen.cooperation.selectors import REVIEW_KIND, cooperation_qs
from yanzhen.core.models import ApprovalRequest
from yanzhen.engines.stages import Stage

PDF = b"%PDF-1.4\n% signed agreement\n"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC), tick=False):
        yield


def an_intention(demo_db: Demo) -> Cooperation:
    cooperation = (
        cooperation_qs(demo_db.users["town"]).filter(stage=Stage.INTENTION).order_by("id").first()
    )
    assert cooperation is not None
    return cooperation


def move(demo_db: Demo, cooperation: Cooperation, data: dict[str, Any]) -> Any:
    return demo_db.client("town").post(reverse("api:move_cooperation", args=[cooperation.pk]), data)


def test_a_towns_agreement_through_the_api_waits_for_review_with_its_evidence(
    demo_db: Demo,
) -> None:
    cooperation = an_intention(demo_db)
    response = move(
        demo_db,
        cooperation,
        {
            "target": "agreement",
            "date": "2026-11-01",
            "reason": "已签约",
            "evidence": SimpleUploadedFile("协议.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 200
    body = response.json()
    event = StageEvent.objects.get(cooperation=cooperation, reason="已签约")
    review = ApprovalRequest.objects.get(kind=REVIEW_KIND, payload__event=event.pk)
    assert (body["stage"], body["pending"]) == (
        "intention",
        {"stage": "agreement", "date": "2026-11-01", "review_id": review.pk},
    )
    assert (event.status, event.to_stage, event.evidence.read()) == (
        EventStatus.PENDING, "agreement", PDF,
    )  # fmt: skip
    assert Cooperation.objects.get(pk=cooperation.pk).stage == Stage.INTENTION
    # The office approves: the evidence satisfies the stage's rule at approval too.
    decided = demo_db.client("office").post(
        reverse("api:decide_review", args=[review.pk]),
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert Cooperation.objects.get(pk=cooperation.pk).stage == Stage.AGREEMENT


def test_without_the_evidence_the_move_is_refused_naming_the_field(demo_db: Demo) -> None:
    cooperation = an_intention(demo_db)
    response = move(demo_db, cooperation, {"target": "agreement", "date": "2026-11-01"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert list(error["fields"]) == ["evidence"]
    assert error["fields"]["evidence"].startswith("“签约”须上传佐证材料")
    assert not StageEvent.objects.filter(cooperation=cooperation, to_stage="agreement").exists()
    assert not ApprovalRequest.objects.filter(kind=REVIEW_KIND, target_id=cooperation.pk).exists()


@override_settings(YANZHEN_UPLOAD_MAX_BYTES=1024 * 1024)
def test_the_evidence_is_bounded_like_the_pages_uploads(demo_db: Demo) -> None:
    cooperation = an_intention(demo_db)
    big = SimpleUploadedFile("协议.pdf", PDF + b"0" * 1024 * 1024, "application/pdf")
    response = move(
        demo_db, cooperation, {"target": "agreement", "date": "2026-11-01", "evidence": big}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_refused"
    assert response.json()["error"]["fields"] == {"evidence": "文件过大：上限 1 MB"}
    two = move(
        demo_db,
        cooperation,
        {
            "target": "agreement",
            "evidence": [
                SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("b.pdf", PDF, "application/pdf"),
            ],
        },
    )
    assert two.status_code == 422
    assert list(two.json()["error"]["fields"]) == ["evidence"]
    bad = move(
        demo_db, cooperation, {"target": "signed", "evidence": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["target"]
    assert not StageEvent.objects.filter(cooperation=cooperation, to_stage="agreement").exists()


def test_the_json_body_still_moves_and_the_openapi_documents_both(demo_db: Demo) -> None:
    cooperation = an_intention(demo_db)
    response = demo_db.client("office").post(
        reverse("api:move_cooperation", args=[cooperation.pk]),
        {"target": "dropped", "date": "2026-11-01", "reason": "企业放弃"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "dropped"
    extra = demo_db.client("office").post(
        reverse("api:move_cooperation", args=[cooperation.pk]),
        {"target": "intention", "colour": "red"},
        content_type="application/json",
    )
    assert extra.status_code == 422
    assert extra.json()["error"]["fields"] == {"colour": "不允许的字段"}
    spec = demo_db.client("office").get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/cooperations/{cooperation_id}/stage"]["post"]["requestBody"]
    assert sorted(body["content"]) == ["application/json", "multipart/form-data"]
    form = body["content"]["multipart/form-data"]["schema"]["properties"]
    assert form["evidence"] == {"type": "string", "format": "binary", "title": "佐证材料"}
