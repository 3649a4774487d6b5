"""The API masks ID numbers and mobiles for everyone by default. Full values need
``?reveal=pii``, the permission and a second person's approval for the API
(``tests/pii_grants.py``; refused without it in ``test_pii_approval.py``); each such request
leaves one access-log row and counts in
the export quota (20 per hour per user, the same counter as the exports), beyond which it is
refused with 429 ``rate_limited``."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.pii import personal_data_in
from tests.pii_grants import grant_pii
from yanzhen.audit.models import AccessLog, ExportLog
from yanzhen.core.masking import EXPORTS_PER_HOUR, mask_id_number, mask_mobile
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")
TALENTS = "api:talent_list_talents"


def logs() -> tuple[int, int]:
    return AccessLog.objects.count(), ExportLog.objects.count()


def test_the_api_masks_personal_data_for_everyone_by_default(demo_db: Demo) -> None:
    before = logs()
    for username in ("office", "leader", "enterprise"):
        response = demo_db.client(username).get(reverse(TALENTS), {"page_size": "200"})
        assert response.status_code == 200
        assert personal_data_in(response.content.decode()) == [], username
    body = demo_db.client("office").get(reverse(TALENTS), {"page_size": "200"}).json()
    assert (body["count"], len(body["items"])) == (Talent.objects.count(), 200)
    talents = Talent.objects.select_related("person").in_bulk([i["id"] for i in body["items"]])
    assert [(i["id_number"], i["mobile"]) for i in body["items"]] == [
        (mask_id_number(talents[i["id"]].person.id_number), mask_mobile(talents[i["id"]].person.mobile))
        for i in body["items"]
    ]  # fmt: skip
    assert logs() == before  # masked reads are no export


def test_revealing_needs_the_permission(demo_db: Demo) -> None:
    before = logs()
    response = demo_db.client("leader").get(reverse(TALENTS), {"reveal": "pii"})
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "forbidden",
            "message": "无权查看完整的身份证号和手机号（需要“查看完整个人信息”权限）",
            "fields": {},
        }
    }
    talent = Talent.objects.order_by("pk")[0]
    detail = reverse("api:talent_get_talent", kwargs={"talent_id": talent.pk})
    assert demo_db.client("leader").get(detail, {"reveal": "pii"}).status_code == 403
    assert logs() == before


def test_a_revealed_page_gives_full_values_and_leaves_one_row_of_each_log(demo_db: Demo) -> None:
    grant_pii(demo_db.users["office"], "api")
    office = demo_db.client("office")
    before = logs()
    response = office.get(reverse(TALENTS), {"page_size": "200", "page": "1", "reveal": "pii"})
    assert response.status_code == 200
    items = response.json()["items"]
    talents = Talent.objects.select_related("person").in_bulk([i["id"] for i in items])
    assert [(i["id_number"], i["mobile"]) for i in items] == [
        (talents[i["id"]].person.id_number, talents[i["id"]].person.mobile) for i in items
    ]
    assert logs() == (before[0] + 1, before[1] + 1)
    access = AccessLog.objects.order_by("-id").values_list(
        "user__username", "action", "record_type", "record_id", "field"
    )[0]
    assert access == ("office", "reveal", "talent_list", 1, "id_number,mobile")
    export = ExportLog.objects.order_by("-id")[0]
    assert (export.user.username, export.title, export.fmt, export.rows, export.unmasked) == (
        "office", "接口：人才", "api", 200, True,
    )  # fmt: skip
    assert export.filters == {"page_size": "200", "page": "1", "reveal": "pii"}
    assert len(export.sha256) == 64


def test_a_number_typed_in_the_filter_is_masked_in_the_export_log(demo_db: Demo) -> None:
    person = Talent.objects.order_by("pk")[0].person
    grant_pii(demo_db.users["office"], "api")
    demo_db.client("office").get(reverse(TALENTS), {"q": person.id_number, "reveal": "pii"})
    export = ExportLog.objects.order_by("-id")[0]
    assert export.filters == {"q": mask_id_number(person.id_number), "reveal": "pii"}
    assert personal_data_in(json.dumps(export.filters)) == []


def test_the_detail_is_masked_its_opening_logged_and_revealed_with_one_row(demo_db: Demo) -> None:
    talent = Talent.objects.select_related("person").order_by("pk")[0]
    url = reverse("api:talent_get_talent", kwargs={"talent_id": talent.pk})
    grant_pii(demo_db.users["office"], "api")
    office = demo_db.client("office")
    before = logs()
    masked = office.get(url).json()
    assert (masked["id_number"], masked["mobile"]) == (
        mask_id_number(talent.person.id_number), mask_mobile(talent.person.mobile),
    )  # fmt: skip
    assert logs() == (before[0] + 1, before[1])
    assert AccessLog.objects.order_by("-id").values_list("action", "record_type", "record_id")[
        0
    ] == ("open", "talent", talent.pk)
    full = office.get(url, {"reveal": "pii"}).json()
    assert (full["id_number"], full["mobile"]) == (talent.person.id_number, talent.person.mobile)
    assert logs() == (before[0] + 2, before[1] + 1)
    assert AccessLog.objects.order_by("-id").values_list("action", "record_type", "record_id")[
        0
    ] == ("reveal", "talent", talent.pk)


def test_the_payment_list_masks_by_default_and_reveals_on_request(demo_db: Demo) -> None:
    grant_pii(demo_db.users["office"], "api")
    office = demo_db.client("office")
    url = reverse("api:talent_payment_list")
    masked = office.get(url, {"month": "2021-12"}).json()["lines"]
    assert masked
    assert personal_data_in(json.dumps(masked, ensure_ascii=False)) == []
    full = office.get(url, {"month": "2021-12", "reveal": "pii"}).json()["lines"]
    assert [mask_id_number(line["id_number"]) for line in full] == [
        line["id_number"] for line in masked
    ]
    assert len(personal_data_in(json.dumps(full))) == len(full)


def test_reveals_count_in_the_export_quota_shared_with_the_exports(demo_db: Demo) -> None:
    grant_pii(demo_db.users["office"], "api")
    office = demo_db.client("office")
    for _ in range(EXPORTS_PER_HOUR):
        response = office.get(reverse(TALENTS), {"page_size": "1", "reveal": "pii"})
        assert response.status_code == 200
    before = logs()
    refused = office.get(reverse(TALENTS), {"page_size": "1", "reveal": "pii"})
    assert refused.status_code == 429
    assert refused.json() == {
        "error": {
            "code": "rate_limited",
            "message": "查看完整个人信息与导出合计每小时最多 20 次，请一小时后再试",
            "fields": {},
        }
    }
    assert logs() == before  # refused: nothing revealed, nothing logged
    # The same counter refuses the next export of a list page …
    export = office.get(reverse("core:person_list"), {"export": "csv"})
    assert export.status_code == 429
    # … while masked API reads go on.
    assert office.get(reverse(TALENTS), {"page_size": "1"}).status_code == 200
    assert logs() == before
