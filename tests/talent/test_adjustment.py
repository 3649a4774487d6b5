"""Manual adjustments to a unit that is not a mutual choice (the unit did not rank the
applicant, or the applicant did not list the unit): the page warns and asks, like for a
blocking pair, and what was missing is recorded with the change and shown on the result."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.talent.conftest import World, placed_in
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.placement import services
from yanzhen.placement.models import Assignment, AssignmentChange, Host, PlacementApplicant
from yanzhen.placement.services import RankingEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


class Setup:
    """人才办 (1 place) ranks p1; 甲镇 (2 places) ranks p2 only; 甲村 (1 place) ranks nobody.
    p1 lists 人才办, p2 and p3 list 甲镇, p4 lists nothing: p1 → 人才办, p2 → 甲镇."""

    def __init__(self, world: World) -> None:
        self.programme = services.programme_create(
            actor=None, name="暑期实习", kind="intern", owner_unit=world.office,
            year=2021, start_date=D(2021, 7, 5), end_date=D(2021, 8, 27),
        )  # fmt: skip

        def host(unit: Unit, capacity: int) -> Host:
            return services.host_create(
                actor=None, programme=self.programme, unit=unit, capacity=capacity
            )

        self.office, self.town, self.village = (
            host(world.office, 1), host(world.town, 2), host(world.village, 1),
        )  # fmt: skip
        choices = {"p1": [self.office], "p2": [self.town], "p3": [self.town], "p4": []}
        self.people: dict[str, PlacementApplicant] = {
            code: services.placement_applicant_create(
                actor=None,
                programme=self.programme,
                code=code,
                person=world.person(f"学生{code}", world.office, "bachelor"),
                preferences=prefs,
                university=world.xjtu,
                degree="bachelor",
            )
            for code, prefs in choices.items()
        }
        p = self.people
        services.host_ranking_set(actor=None, host=self.office, entries=[RankingEntry(p["p1"], 1)])
        services.host_ranking_set(actor=None, host=self.town, entries=[RankingEntry(p["p2"], 1)])
        services.programme_allocate(actor=None, programme=self.programme)

    def placed(self) -> dict[str, str | None]:
        return placed_in(self.programme)


@pytest.fixture
def setup(world: World) -> Setup:
    return Setup(world)


@pytest.fixture
def client(world: World, make_user: Callable[..., User]) -> Client:
    user = make_user(
        world.county, "unit_and_below", ["placement.view_programme", "placement.allocate_programme"]
    )
    client = Client()
    client.force_login(user)
    return client


def page_text(content: bytes) -> str:
    return html.unescape(content.decode())


def test_the_page_warns_before_placing_at_a_unit_that_did_not_rank_the_applicant(
    setup: Setup, client: Client
) -> None:
    assert setup.placed() == {"p1": "人才办", "p2": "甲镇", "p3": None, "p4": None}
    url = reverse("talent:assignment_move", args=[setup.people["p3"].pk])
    opened = page_text(client.get(url).content)
    assert "<dt>志愿</dt><dd>甲镇</dd>" in opened
    assert "<dt>已将其排序的单位</dt><dd>无</dd>" in opened

    asked = client.post(url, {"host": setup.town.pk, "reason": "甲镇同意接收"})
    assert asked.status_code == 200
    text = page_text(asked.content)
    assert "此调整不是双方互选：甲镇未将p3 学生p3列入排序。确认调整请勾选“仍然调整”" in text
    assert "确认调整到非互选单位请勾选" in text
    assert setup.placed()["p3"] is None
    assert AssignmentChange.objects.count() == 0

    done = client.post(
        url, {"host": setup.town.pk, "reason": "甲镇同意接收", "accept_not_mutual": "on"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("talent:programme_result", args=[setup.programme.pk])
    assert setup.placed()["p3"] == "甲镇"
    change = AssignmentChange.objects.get()
    assert (change.from_host, change.to_host, change.reason, change.blocking_pairs,
            change.not_mutual) == (None, setup.town, "甲镇同意接收", [],
                                   ["甲镇未将p3 学生p3列入排序"])  # fmt: skip
    assert Assignment.objects.get(applicant=setup.people["p3"]).choice_rank == 1

    result = page_text(client.get(done["Location"]).content)
    assert "人工调整后存在非双方互选的分配：甲镇未将p3 学生p3列入排序</div>" in result
    assert "<td>甲镇同意接收</td><td>—</td><td>甲镇未将p3 学生p3列入排序</td>" in result
    assert services.programme_result(setup.programme).not_mutual == ["甲镇未将p3 学生p3列入排序"]


def test_a_unit_neither_chosen_nor_ranking_is_named_twice_and_recorded(
    setup: Setup, client: Client
) -> None:
    url = reverse("talent:assignment_move", args=[setup.people["p4"].pk])
    asked = page_text(client.post(url, {"host": setup.village.pk, "reason": "调剂"}).content)
    assert (
        "此调整不是双方互选：p4 学生p4未填报甲村；甲村未将p4 学生p4列入排序。"
        "确认调整请勾选“仍然调整”"
    ) in asked
    assert setup.placed()["p4"] is None
    # A caller must accept such a move as the page does; it is recorded all the same.
    with pytest.raises(DomainError) as caught:
        services.assignment_adjust(
            actor=None, applicant=setup.people["p4"], host=setup.village, reason="调剂"
        )
    assert (caught.value.code, caught.value.fields) == (
        "not_mutual",
        {"accept_not_mutual": "确认调整到非互选单位请勾选"},
    )
    change = services.assignment_adjust(
        actor=None,
        applicant=setup.people["p4"],
        host=setup.village,
        reason="调剂",
        accept_not_mutual=True,
    )
    assert change.not_mutual == ["p4 学生p4未填报甲村", "甲村未将p4 学生p4列入排序"]
    assert Assignment.objects.get(applicant=setup.people["p4"]).choice_rank is None


def test_a_move_both_unstable_and_not_mutual_names_both_and_needs_both_boxes(
    setup: Setup, client: Client
) -> None:
    p1 = setup.people["p1"]
    with pytest.raises(DomainError) as caught:
        services.assignment_adjust(actor=None, applicant=p1, host=setup.village, reason="调剂")
    assert (caught.value.code, caught.value.message, caught.value.fields) == (
        "blocking_pairs",
        "此调整会造成不稳定：p1 学生p1与人才办都更愿意彼此匹配。"
        "此调整不是双方互选：p1 学生p1未填报甲村；甲村未将p1 学生p1列入排序",
        {
            "accept_blocking": "将产生1个不稳定对，确认调整请勾选",
            "accept_not_mutual": "确认调整到非互选单位请勾选",
        },
    )
    url = reverse("talent:assignment_move", args=[p1.pk])
    data = {"host": setup.village.pk, "reason": "调剂", "accept_blocking": "on"}
    assert client.post(url, data).status_code == 200
    assert setup.placed()["p1"] == "人才办"
    assert client.post(url, {**data, "accept_not_mutual": "on"}).status_code == 302
    change = AssignmentChange.objects.get()
    assert (change.blocking_pairs, change.not_mutual) == (
        [["p1 学生p1", "人才办"]],
        ["p1 学生p1未填报甲村", "甲村未将p1 学生p1列入排序"],
    )
