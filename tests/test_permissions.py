"""The permission matrix: every demo role × a record of its own unit and one of another unit
× list, detail, create, update, delete, export, history (revert) and file download gives
exactly the expected answer; and 50 foreign ids probed per role leak nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Attachment, Cooperation
from yanzhen.cooperation.selectors import cooperation_qs

pytestmark = pytest.mark.usefixtures("demo_db")

ROLES = ("office", "leader", "base", "town", "enterprise", "sysadmin", "secadmin", "auditor")
# The record of the role's own unit (by title) — administrators have no business records.
OWN = {
    "office": "牵引电机控制技术联合研发",
    "leader": "牵引电机控制技术联合研发",
    "base": "牵引电机控制技术联合研发",
    "town": "东开张村校村结对（太原理工大学）",
    "enterprise": "牵引电机控制技术联合研发",
}
OTHER = {"base": "东开张村校村结对（太原理工大学）", "town": "牵引电机控制技术联合研发",
         "enterprise": "东开张村校村结对（太原理工大学）"}  # fmt: skip

ADMIN = {"sysadmin", "secadmin", "auditor"}
# action → role → status for a record of the role's own unit.
OWN_EXPECTED: dict[str, dict[str, int]] = {
    "list": {"office": 200, "leader": 200, "base": 200, "town": 200, "enterprise": 200},
    "detail": {"office": 200, "leader": 200, "base": 200, "town": 200, "enterprise": 200},
    "create": {"office": 200, "leader": 403, "base": 200, "town": 200, "enterprise": 200},
    "update": {"office": 200, "leader": 403, "base": 200, "town": 200, "enterprise": 200},
    "delete": {"office": 200, "leader": 403, "base": 403, "town": 403, "enterprise": 403},
    "export": {"office": 200, "leader": 200, "base": 200, "town": 200, "enterprise": 200},
    "history": {"office": 302, "leader": 403, "base": 302, "town": 302, "enterprise": 302},
    "download": {"office": 200, "leader": 200, "base": 200, "town": 200, "enterprise": 200},
}
# For a record of another unit: the scope hides it (404) wherever the permission is held.
OTHER_EXPECTED = {
    action: {role: (404 if code in (200, 302) else code) for role, code in row.items()}
    for action, row in OWN_EXPECTED.items()
    if action not in ("list", "create", "export")
}


def request(client: Client, action: str, coop: Cooperation) -> int:
    pk = coop.pk
    version = coop.history.order_by("history_id").first().history_id
    attachment = Attachment.objects.get(cooperation=coop)
    calls: dict[str, Callable[[], int]] = {
        "list": lambda: client.get(reverse("cooperation:cooperation_list")).status_code,
        "detail": lambda: (
            client.get(reverse("cooperation:cooperation_detail", kwargs={"pk": pk})).status_code
        ),
        "create": lambda: client.get(reverse("cooperation:cooperation_new")).status_code,
        "update": lambda: (
            client.get(reverse("cooperation:cooperation_edit", kwargs={"pk": pk})).status_code
        ),
        "delete": lambda: (
            client.get(reverse("cooperation:cooperation_delete", kwargs={"pk": pk})).status_code
        ),
        "export": lambda: (
            client.get(reverse("cooperation:cooperation_list"), {"export": "csv"}).status_code
        ),
        "history": lambda: (
            client.post(
                reverse("cooperation:cooperation_revert", kwargs={"pk": pk, "history_id": version})
            ).status_code
        ),
        "download": lambda: (
            client.get(
                reverse("cooperation:attachment_download", kwargs={"pk": attachment.pk})
            ).status_code
        ),
    }
    return calls[action]()


@pytest.fixture
def files(demo_db: Demo) -> None:
    for title in set(OWN.values()):
        coop = Cooperation.objects.get(title=title)
        Attachment.objects.create(
            cooperation=coop, title="协议", file=ContentFile(b"x", name="a.pdf")
        )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_exactly_the_expected_answers(
    role: str, demo_db: Demo, files: None
) -> None:
    client = demo_db.client(role)
    answers = {}
    expected = {}
    any_coop = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    for action, row in OWN_EXPECTED.items():
        coop = Cooperation.objects.get(title=OWN[role]) if role in OWN else any_coop
        answers[("own", action)] = request(client, action, coop)
        expected[("own", action)] = 403 if role in ADMIN else row[role]
    if role in OTHER:
        for action, row in OTHER_EXPECTED.items():
            coop = Cooperation.objects.get(title=OTHER[role])
            answers[("other", action)] = request(client, action, coop)
            expected[("other", action)] = row[role]
    assert answers == expected


@pytest.mark.parametrize("role", ROLES)
def test_fifty_foreign_ids_leak_nothing(role: str, demo_db: Demo) -> None:
    user = demo_db.users[role]
    visible = set(cooperation_qs(user).values_list("pk", flat=True))
    foreign = [
        pk
        for pk in Cooperation.objects.order_by("pk").values_list("pk", flat=True)
        if pk not in visible
    ]
    top = Cooperation.all_objects.order_by("-pk").values_list("pk", flat=True)[0]
    foreign += list(range(top + 1, top + 1 + max(0, 50 - len(foreign))))
    assert len(foreign) >= 50
    client = demo_db.client(role)
    titles = dict(Cooperation.objects.values_list("pk", "title"))
    for pk in foreign[:60]:
        for url in (
            reverse("cooperation:cooperation_detail", kwargs={"pk": pk}),
            reverse("api:get_cooperation", kwargs={"cooperation_id": pk}),
            reverse("cooperation:cooperation_edit", kwargs={"pk": pk}),
        ):
            response = client.get(url)
            assert response.status_code in (403, 404), (role, url, response.status_code)
            if pk in titles:
                assert titles[pk] not in response.content.decode(), (role, url)
