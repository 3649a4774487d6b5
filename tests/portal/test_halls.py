"""The portal's halls: 需求大厅 (technology needs, talent needs), 成果大厅 and the expert
directory — who sees what, search and filters, publication and its notifications, the office
hiding a need, and refused writes that change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.notifications.models import Notification
from yanzhen.portal.models import HallState, Result, TechNeed

pytestmark = pytest.mark.usefixtures("demo_db")

NEED_A = "牵引电机绝缘系统耐电晕寿命提升"
NEED_B = "永磁同步电机高温退磁在线监测"
RESULT_A = "高频脉冲下电机绝缘局部放电检测技术"
RESULT_B = "永磁电机无传感器温度估计算法"
DRAFT = "轻量化铝合金铸件缺陷控制工艺"


def _titles(demo: Demo, user: str, url: str) -> list[tuple[str, str]]:
    response = demo.client(user).get(url)
    assert response.status_code == 200
    return [(i["title"], i["state"]) for i in response.json()["items"]]


def test_the_outside_parties_and_the_enterprise_see_the_published_needs(demo_db: Demo) -> None:
    url = "/api/v1/portal/tech-needs"
    published = [(NEED_B, "published"), (NEED_A, "published")]
    for user in ("university", "expert", "enterprise", "office"):
        assert _titles(demo_db, user, url) == published, user
    body = demo_db.client("university").get(url).json()["items"][1]
    assert {k: body[k] for k in ("enterprise", "field", "discipline", "budget_min",
                                 "budget_max", "ip_expectation")} == {
        "enterprise": "中车永济电机有限公司", "field": "轨道交通装备", "discipline": "电气工程",
        "budget_min": 80, "budget_max": 150, "ip_expectation": "shared",
    }  # fmt: skip


def test_search_and_filters_of_the_need_hall(demo_db: Demo) -> None:
    url = "/api/v1/portal/tech-needs"
    assert _titles(demo_db, "university", f"{url}?q=绝缘") == [(NEED_A, "published")]
    assert _titles(demo_db, "university", f"{url}?discipline=0811") == [(NEED_B, "published")]
    assert _titles(demo_db, "university", f"{url}?field=轨道交通装备") == [(NEED_A, "published")]
    assert _titles(demo_db, "university", f"{url}?q=区块链") == []


def test_the_need_hall_page_shows_both_kinds_of_need_without_personal_data(
    demo_db: Demo,
) -> None:
    page = demo_db.client("university").get(reverse("portal:need_hall"), {"q": "绝缘"})
    assert page.status_code == 200
    text = page.content.decode()
    assert NEED_A in text
    assert NEED_B not in text
    assert "技术难题（1）" in text
    need = TechNeed.objects.get(title=NEED_A)
    detail = demo_db.client("expert").get(reverse("portal:tech_need_detail", args=[need.pk]))
    assert detail.status_code == 200
    assert "双方共有" in detail.content.decode()
    whole = demo_db.client("university").get(reverse("portal:need_hall")).content.decode()
    assert "人才需求（" in whole
    assert "手机" not in whole


def test_the_results_hall_shows_the_own_draft_only_to_its_organisation(demo_db: Demo) -> None:
    url = "/api/v1/portal/results"
    published = [(RESULT_B, "published"), (RESULT_A, "published")]
    assert _titles(demo_db, "university", url) == [*published, (DRAFT, "draft")]
    assert _titles(demo_db, "expert", url) == [*published, (DRAFT, "draft")]
    assert _titles(demo_db, "enterprise", url) == published
    assert _titles(demo_db, "office", url) == published
    draft = Result.objects.get(title=DRAFT)
    detail = reverse("portal:result_detail", args=[draft.pk])
    assert demo_db.client("enterprise").get(detail).status_code == 404
    assert demo_db.client("university").get(detail).status_code == 200


def test_the_expert_directory_lists_the_outside_organisations_experts(demo_db: Demo) -> None:
    response = demo_db.client("enterprise").get("/api/v1/portal/experts", {"discipline": "0808"})
    assert response.status_code == 200
    assert response.json()["items"] == [
        {"id": response.json()["items"][0]["id"], "name": "袁永刚", "university": "西安交通大学",
         "department": "电气工程学院", "title": "教授", "disciplines": ["电气工程", "控制科学与工程"],
         "directions": "牵引电机控制、电力电子变流技术、永磁同步电机矢量控制"}
    ]  # fmt: skip
    page = demo_db.client("expert").get(reverse("portal:expert_directory"))
    assert page.status_code == 200
    assert ["孙玉兰" in page.content.decode(), "廖国庆" in page.content.decode()] == [True, True]


def test_the_demo_publications_notified_the_matching_parties_once(demo_db: Demo) -> None:
    rows = sorted(
        Notification.objects.filter(kind__startswith="hall.").values_list(
            "kind", "recipient__username", "title"
        )
    )
    assert rows == sorted(
        [
            ("hall.need", "expert", f"匹配的技术难题：{NEED_A}"),
            ("hall.need", "expert", f"匹配的技术难题：{NEED_B}"),
            ("hall.need", "university", f"匹配的技术难题：{NEED_A}"),
            ("hall.need", "university", f"匹配的技术难题：{NEED_B}"),
            ("hall.result", "enterprise", f"匹配的科技成果：{RESULT_B}"),
            ("hall.result", "enterprise", f"匹配的科技成果：{RESULT_A}"),
        ]
    )


def test_an_enterprise_drafts_and_publishes_a_need_and_the_matches_are_told(
    demo_db: Demo,
) -> None:
    client = demo_db.client("enterprise")
    response = client.post(
        "/api/v1/portal/tech-needs",
        {"title": "牵引变流器功率器件散热优化", "problem": "电力电子变流器功率模块温升过高",
         "field": "轨道交通装备", "discipline_code": "0808", "budget_min": 30,
         "budget_max": 60, "deadline": "2099-12-31", "ip_expectation": "negotiable"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    need_id = response.json()["id"]
    assert response.json()["state"] == "draft"
    assert _titles(demo_db, "university", "/api/v1/portal/tech-needs?q=散热") == []
    published = client.post(f"/api/v1/portal/tech-needs/{need_id}/publish")
    assert published.json() == {"id": need_id, "state": "published", "notified": 2}
    told = Notification.objects.filter(kind="hall.need", subject=f"portal.techneed:{need_id}")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["expert", "university"]
    again = client.post(f"/api/v1/portal/tech-needs/{need_id}/publish")
    assert again.status_code == 409
    assert told.count() == 2


def test_a_need_with_a_wrong_budget_is_refused_in_chinese_and_not_saved(demo_db: Demo) -> None:
    before = TechNeed.objects.count()
    response = demo_db.client("enterprise").post(
        "/api/v1/portal/tech-needs",
        {"title": "难题", "problem": "描述", "field": "电机", "discipline_code": "9999",
         "budget_min": 60, "budget_max": 30, "deadline": "2099-12-31",
         "ip_expectation": "shared"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "discipline_code": "学科代码“9999”不存在",
        "budget_max": "预算上限（万元）不能小于预算下限",
    }
    assert TechNeed.objects.count() == before


def test_only_an_enterprise_drafts_needs_and_only_outside_parties_results(demo_db: Demo) -> None:
    needs, results = TechNeed.objects.count(), Result.objects.count()
    need = demo_db.client("university").post(
        "/api/v1/portal/tech-needs",
        {"title": "越权", "problem": "越权", "field": "电机", "budget_min": 1, "budget_max": 2,
         "deadline": "2099-12-31", "ip_expectation": "shared"},
        content_type="application/json",
    )  # fmt: skip
    result = demo_db.client("enterprise").post(
        "/api/v1/portal/results",
        {"title": "越权", "kind": "patent", "summary": "越权", "maturity": "lab",
         "transfer_mode": "licence", "price_min": 1, "price_max": 2},
        content_type="application/json",
    )  # fmt: skip
    assert (need.status_code, result.status_code) == (403, 403)
    assert (TechNeed.objects.count(), Result.objects.count()) == (needs, results)


def test_a_university_publishes_a_result_and_the_matching_enterprise_is_told(
    demo_db: Demo,
) -> None:
    client = demo_db.client("university")
    response = client.post(
        "/api/v1/portal/results",
        {"title": "牵引电机绝缘寿命评估方法", "kind": "know_how",
         "summary": "变频牵引电机绝缘局部放电与寿命评估", "discipline_code": "0808",
         "maturity": "pilot", "transfer_mode": "assignment", "price_min": 10, "price_max": 20},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    result_id = response.json()["id"]
    search = "/api/v1/portal/results?q=寿命评估"
    assert _titles(demo_db, "enterprise", search) == [(RESULT_A, "published")]
    published = client.post(f"/api/v1/portal/results/{result_id}/publish")
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    told = Notification.objects.filter(kind="hall.result", subject=f"portal.result:{result_id}")
    assert "enterprise" in set(told.values_list("recipient__username", flat=True))
    assert _titles(demo_db, "enterprise", search) == [
        ("牵引电机绝缘寿命评估方法", "published"),
        (RESULT_A, "published"),
    ]


def test_the_office_hides_a_need_and_an_outside_party_may_not(demo_db: Demo) -> None:
    need = TechNeed.objects.get(title=NEED_B)
    refused = demo_db.client("university").post(f"/api/v1/portal/tech-needs/{need.pk}/hide")
    assert refused.status_code == 403
    need.refresh_from_db()
    assert need.state == HallState.PUBLISHED
    hidden = demo_db.client("office").post(f"/api/v1/portal/tech-needs/{need.pk}/hide")
    assert hidden.json() == {"id": need.pk, "state": "hidden", "notified": 0}
    assert _titles(demo_db, "university", "/api/v1/portal/tech-needs") == [(NEED_A, "published")]
    assert _titles(demo_db, "enterprise", "/api/v1/portal/tech-needs") == [
        (NEED_B, "hidden"),
        (NEED_A, "published"),
    ]


def test_the_pages_draft_and_publish_a_need_and_a_result(demo_db: Demo) -> None:
    enterprise = demo_db.client("enterprise")
    hall = enterprise.get(reverse("portal:need_hall")).content.decode()
    assert "发布技术难题" in hall
    assert "发布科技成果" not in hall
    wrong = enterprise.post(
        reverse("portal:tech_need_create"),
        {"title": "轴承早期故障诊断", "problem": "牵引电机轴承早期故障难以发现", "field": "电机",
         "discipline_code": "", "budget_min": "40", "budget_max": "20",
         "deadline": "2099-12-31", "ip_expectation": "shared"},
    )  # fmt: skip
    assert wrong.status_code == 200
    assert "预算上限（万元）不能小于预算下限" in wrong.content.decode()
    assert not TechNeed.objects.filter(title="轴承早期故障诊断").exists()
    created = enterprise.post(
        reverse("portal:tech_need_create"),
        {"title": "轴承早期故障诊断", "problem": "牵引电机轴承早期故障难以发现", "field": "电机",
         "discipline_code": "", "budget_min": "20", "budget_max": "40",
         "deadline": "2099-12-31", "ip_expectation": "shared"},
    )  # fmt: skip
    need = TechNeed.objects.get(title="轴承早期故障诊断")
    assert created["Location"] == reverse("portal:tech_need_detail", args=[need.pk])
    enterprise.post(reverse("portal:tech_need_publish", args=[need.pk]))
    need.refresh_from_db()
    assert need.state == HallState.PUBLISHED
    university = demo_db.client("university")
    assert "发布科技成果" in university.get(reverse("portal:result_hall")).content.decode()
    refused = university.post(reverse("portal:tech_need_hide", args=[need.pk]))
    assert refused.status_code == 302
    need.refresh_from_db()
    assert need.state == HallState.PUBLISHED
    draft = Result.objects.get(title=DRAFT)
    university.post(reverse("portal:result_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == HallState.PUBLISHED
    office = demo_db.client("office")
    page = office.get(reverse("portal:tech_need_detail", args=[need.pk])).content.decode()
    assert "隐藏" in page
    office.post(reverse("portal:tech_need_hide", args=[need.pk]))
    need.refresh_from_db()
    assert need.state == HallState.HIDDEN
