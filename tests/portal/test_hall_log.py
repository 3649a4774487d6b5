"""Publishing and hiding in the halls are in the security log (kind ``portal``), as the other
sensitive steps: who, from where, which record, what became of it — and a refused step leaves
no row. Through the API, as the pages go through the same services."""

from __future__ import annotations

import pytest

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.portal.models import HallState, Result, TechNeed

pytestmark = pytest.mark.usefixtures("demo_db")

NEED = "永磁同步电机高温退磁在线监测"
DRAFT = "轻量化铝合金铸件缺陷控制工艺"


def _logged(since: int) -> list[tuple[str, str, str, dict[str, object]]]:
    rows = SecurityEvent.objects.filter(pk__gt=since, kind="portal").order_by("pk")
    return [(e.username, e.unit, e.path, e.detail) for e in rows]


def _last() -> int:
    return SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_publishing_a_need_and_a_result_is_logged(demo_db: Demo) -> None:
    since = _last()
    enterprise = demo_db.client("enterprise")
    created = enterprise.post(
        "/api/v1/portal/tech-needs",
        {"title": "变流器散热", "problem": "功率模块温升过高", "field": "轨道交通装备",
         "budget_min": 30, "budget_max": 60, "deadline": "2099-12-31",
         "ip_expectation": "negotiable"},
        content_type="application/json",
    )  # fmt: skip
    need_id = created.json()["id"]
    assert _logged(since) == []  # a draft is not a publication
    published = enterprise.post(f"/api/v1/portal/tech-needs/{need_id}/publish")
    assert published.status_code == 200
    draft = Result.objects.get(title=DRAFT)
    university = demo_db.client("university")
    result = university.post(f"/api/v1/portal/results/{draft.pk}/publish")
    assert (result.status_code, published.json()["notified"], result.json()["notified"]) == (
        200,
        2,
        5,
    )
    assert _logged(since) == [
        ("enterprise", "中车永济电机有限公司", f"/api/v1/portal/tech-needs/{need_id}/publish",
         {"action": "publish", "record": f"portal.techneed:{need_id}", "title": "变流器散热",
          "notified": 2}),
        ("university", "西安交通大学", f"/api/v1/portal/results/{draft.pk}/publish",
         {"action": "publish", "record": f"portal.result:{draft.pk}", "title": DRAFT,
          "notified": 5}),
    ]  # fmt: skip


def test_hiding_a_need_is_logged_and_a_refused_hide_is_not(demo_db: Demo) -> None:
    need = TechNeed.objects.get(title=NEED)
    since = _last()
    refused = demo_db.client("university").post(f"/api/v1/portal/tech-needs/{need.pk}/hide")
    assert refused.status_code == 403
    assert _logged(since) == []
    hidden = demo_db.client("office").post(f"/api/v1/portal/tech-needs/{need.pk}/hide")
    assert hidden.status_code == 200
    need.refresh_from_db()
    assert need.state == HallState.HIDDEN
    assert _logged(since) == [
        ("office", "永济市省校合作办公室", f"/api/v1/portal/tech-needs/{need.pk}/hide",
         {"action": "hide", "record": f"portal.techneed:{need.pk}", "title": NEED}),
    ]  # fmt: skip
