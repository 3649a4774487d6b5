"""Placement: hosts and preferences, hosts' ranks or scores, the allocation verified before it
is stored, unmatched applicants and why, manual adjustments with a blocking-pair warning,
confirmation into the registry, interns' logs and conversions, the Excel import."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.talent.conftest import World, placed_in
from yanzhen.core import importing
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import write_xlsx
from yanzhen.core.importing import ImportResult
from yanzhen.core.models import User
from yanzhen.engines import allocation
from yanzhen.placement import excel, services
from yanzhen.placement.models import (
    Assignment,
    AssignmentChange,
    Host,
    HostRanking,
    Internship,
    PlacementApplicant,
    Programme,
)
from yanzhen.placement.services import RankingEntry
from yanzhen.talent.models import Talent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


class Setup:
    def __init__(self, world: World) -> None:
        self.programme = services.programme_create(
            actor=None, name="暑期实习", kind="intern", owner_unit=world.office,
            year=2021, start_date=D(2021, 7, 5), end_date=D(2021, 8, 27),
        )  # fmt: skip
        host = services.host_create
        self.a = host(actor=None, programme=self.programme, unit=world.office, capacity=1)
        self.b = host(actor=None, programme=self.programme, unit=world.town, capacity=2)
        self.c = host(actor=None, programme=self.programme, unit=world.village, capacity=1)
        choices = {"p1": [self.a, self.b], "p2": [self.a, self.b], "p3": [self.b], "p4": [self.a],
                   "p5": [], "p6": [self.c]}  # fmt: skip
        self.people: dict[str, PlacementApplicant] = {}
        for code, prefs in choices.items():
            self.people[code] = services.placement_applicant_create(
                actor=None, programme=self.programme, code=code,
                person=world.person(f"学生{code}", world.office, "bachelor"), preferences=prefs,
                university=world.xjtu, degree="bachelor",
            )  # fmt: skip
        p = self.people
        services.host_ranking_set(actor=None, host=self.a, entries=[
            RankingEntry(p["p2"], rank=1), RankingEntry(p["p1"], rank=2), RankingEntry(p["p4"], rank=3),
        ])  # fmt: skip
        services.host_ranking_set(actor=None, host=self.b, entries=[
            RankingEntry(p["p1"], score=Decimal(90)), RankingEntry(p["p3"], score=Decimal(80)),
            RankingEntry(p["p2"], score=Decimal(85)),
        ])  # fmt: skip

    def placed(self) -> dict[str, str | None]:
        return placed_in(self.programme)


@pytest.fixture
def setup(world: World) -> Setup:
    return Setup(world)


def test_the_engine_sees_ranks_before_scores_and_only_mutual_choices(setup: Setup) -> None:
    model = services.programme_model(setup.programme)
    names = {k: a.code for k, a in model.applicants.items()}
    hosts = {k: h.unit.name for k, h in model.hosts.items()}
    assert {names[a]: [hosts[u] for u in prefs] for a, prefs in model.instance.applicants.items()} == {
        "p1": ["人才办", "甲镇"], "p2": ["人才办", "甲镇"], "p3": ["甲镇"], "p4": ["人才办"],
        "p5": [], "p6": ["甲村"],
    }  # fmt: skip
    assert {hosts[u]: (spec.capacity, [names[a] for a in spec.ranking])
            for u, spec in model.instance.units.items()} == {
        "人才办": (1, ["p2", "p1", "p4"]), "甲镇": (2, ["p1", "p2", "p3"]), "甲村": (1, []),
    }  # fmt: skip


def test_the_allocation_is_stored_verified_with_reasons_for_the_unmatched(setup: Setup) -> None:
    run = services.programme_allocate(actor=None, programme=setup.programme)
    assert setup.placed() == {"p1": "甲镇", "p2": "人才办", "p3": "甲镇", "p4": None, "p5": None,
                              "p6": None}  # fmt: skip
    assert run.stats == {
        "optimal": "applicant", "applicants": 6, "units": 3, "capacity": 4, "matched": 3,
        "unmatched": 3, "rank_distribution": {"1": 2, "2": 1},
        "unmatched_reasons": {"no_choices": 1, "not_ranked": 1, "outranked": 1},
        "unfilled_places": {"甲村": 1}, "blocking_pairs": 0,
    }  # fmt: skip
    result = services.programme_result(setup.programme)
    assert result.distribution == [(1, 2), (2, 1)]
    assert [(u.applicant.code, u.label, u.details) for u in result.unmatched] == [
        ("p4", "所填志愿单位均已满额，且已录取者排序都在其前", ["人才办：已满额，录取的最后一名排第1，其排第3"]),
        ("p5", "未填报任何志愿单位", []),
        ("p6", "所填志愿单位均未将其列入排序", ["甲村：未将其列入排序"]),
    ]  # fmt: skip
    assert [(f.host.unit.name, f.assigned, f.free) for f in result.fill] == [
        ("人才办", 1, 0),
        ("甲镇", 2, 0),
        ("甲村", 0, 1),
    ]
    setup.programme.refresh_from_db()
    assert setup.programme.status == "allocated"
    services.programme_allocate(actor=None, programme=setup.programme, optimal="unit")
    assert setup.placed()["p2"] == "人才办"
    with pytest.raises(DomainError) as caught:
        services.programme_allocate(actor=None, programme=setup.programme, optimal="host")
    assert caught.value.fields == {"optimal": "最优方应为申请人或接收单位"}


def test_a_manual_move_is_refused_when_full_and_warned_when_unstable(setup: Setup) -> None:
    services.programme_allocate(actor=None, programme=setup.programme)
    p = setup.people
    adjust = services.assignment_adjust

    def refused(**kwargs: object) -> DomainError:
        with pytest.raises(DomainError) as caught:
            adjust(actor=None, **kwargs)  # type: ignore[arg-type]
        return caught.value

    assert refused(applicant=p["p1"], host=setup.a, reason="本人申请").fields == {
        "host": "人才办名额1人已满"
    }
    assert refused(applicant=p["p3"], host=None, reason="").fields == {
        "reason": "人工调整须说明原因"
    }
    warning = refused(applicant=p["p3"], host=None, reason="本人放弃实习")
    assert (warning.code, warning.message) == (
        "blocking_pairs",
        "此调整会造成不稳定：p3 学生p3与甲镇都更愿意彼此匹配",
    )
    assert setup.placed()["p3"] == "甲镇"
    change = adjust(actor=None, applicant=p["p3"], host=None, reason="本人放弃实习",
                    accept_blocking=True)  # fmt: skip
    assert (change.from_host, change.to_host, change.blocking_pairs) == (
        setup.b,
        None,
        [["p3 学生p3", "甲镇"]],
    )
    asked = refused(applicant=p["p4"], host=setup.c, reason="调剂到村")
    assert (asked.code, asked.fields) == (
        "not_mutual",
        {"accept_not_mutual": "确认调整到非互选单位请勾选"},
    )
    moved = adjust(actor=None, applicant=p["p4"], host=setup.c, reason="调剂到村",
                   accept_not_mutual=True)  # fmt: skip
    assert (moved.blocking_pairs, moved.not_mutual) == (
        [],
        ["p4 学生p4未填报甲村", "甲村未将p4 学生p4列入排序"],
    )
    assert setup.placed() == {"p1": "甲镇", "p2": "人才办", "p3": None, "p4": "甲村", "p5": None,
                              "p6": None}  # fmt: skip
    assert Assignment.objects.get(applicant=p["p4"]).manual is True
    assert services.programme_result(setup.programme).blocking == [["p3 学生p3", "甲镇"]]
    assert AssignmentChange.objects.count() == 2


def test_confirmation_files_talents_and_internships_then_conversions(
    setup: Setup, world: World
) -> None:
    services.programme_allocate(actor=None, programme=setup.programme)
    talents = services.programme_confirm(actor=None, programme=setup.programme)
    assert sorted((t.person.name, t.talent_type, t.channel, t.employer.name, t.start_date, t.end_date)
                  for t in talents) == [
        ("学生p1", "intern", "placement", "甲镇", D(2021, 7, 5), D(2021, 8, 27)),
        ("学生p2", "intern", "placement", "人才办", D(2021, 7, 5), D(2021, 8, 27)),
        ("学生p3", "intern", "placement", "甲镇", D(2021, 7, 5), D(2021, 8, 27)),
    ]  # fmt: skip
    assert Internship.objects.count() == 3
    assert Talent.history.count() == 3
    with pytest.raises(DomainError):
        services.programme_allocate(actor=None, programme=setup.programme)
    internship = Internship.objects.get(talent__person__name="学生p1")
    log = services.intern_log_create(actor=None, internship=internship, date=D(2021, 7, 12),
                                  hours=Decimal(8), content="整理调研资料")  # fmt: skip
    assert log.pk is not None
    with pytest.raises(DomainError) as caught:
        services.intern_log_create(actor=None, internship=internship, date=D(2021, 9, 1),
                                hours=Decimal(8), content="x")  # fmt: skip
    assert caught.value.fields == {"date": "日期应在实习期内"}
    services.host_feedback_create(actor=None, internship=internship, date=D(2021, 8, 26), score=5,
                               recommend_hire=True)  # fmt: skip
    hired = services.internship_move(actor=None, internship=internship, target="hired",
                                     date=D(2021, 9, 1), note="毕业留用")  # fmt: skip
    assert hired.hired_talent is not None
    assert (hired.status, hired.hired_talent.talent_type, hired.hired_talent.employer,
            hired.hired_talent.start_date) == ("hired", "full_time", world.town, D(2021, 9, 1))  # fmt: skip
    other = Internship.objects.get(talent__person__name="学生p2")
    with pytest.raises(DomainError) as caught:
        services.internship_move(actor=None, internship=other, target="left", date=D(2021, 8, 1))
    assert caught.value.fields == {"note": "中途离开须说明原因"}
    services.internship_move(actor=None, internship=other, target="completed", date=D(2021, 8, 27))
    rows = services.conversion(Internship.objects.all(), "host_unit")
    assert [(r.label, r.interns, r.hired, r.rate) for r in rows] == [
        ("甲镇", 2, 1, Decimal("50.0")),
        ("人才办", 1, 0, Decimal("0.0")),
    ]


def test_rankings_refuse_duplicates_and_applicants_choose_hosts_once(
    setup: Setup, world: World
) -> None:
    p = setup.people
    with pytest.raises(DomainError) as caught:
        services.host_ranking_set(actor=None, host=setup.c, entries=[
            RankingEntry(p["p6"], rank=1), RankingEntry(p["p1"], rank=1),
        ])  # fmt: skip
    assert caught.value.fields == {f"rank_{p['p1'].pk}": "排名1与学生p6重复"}
    assert HostRanking.objects.filter(host=setup.c).count() == 0
    with pytest.raises(DomainError) as caught:
        services.placement_applicant_update(
            actor=None, applicant=p["p1"], code="p1",
            person=p["p1"].person, preferences=[setup.a, setup.a],
        )  # fmt: skip
    assert caught.value.fields == {"preferences": "志愿中“人才办”重复"}
    with pytest.raises(DomainError) as caught:
        services.placement_applicant_create(
            actor=None, programme=setup.programme, code="p1",
            person=world.person("新人"), preferences=[],
        )  # fmt: skip
    assert caught.value.fields == {"code": "编号“p1”已被使用"}


def placement_import(
    *, user: User, programme: Programme, kind: str, data: bytes, filename: str, commit: bool
) -> ImportResult:
    """The programme page's import (the one flow, the programme fixed by the page)."""
    register = importing.register_named("host-rankings" if kind == "rankings" else "interns")
    return importing.run(register, user=user, data=data, filename=filename, commit=commit,
                         fixed={"programme": programme})  # fmt: skip


def _xlsx(columns: tuple[object, ...], rows: list[list[object]]) -> bytes:
    return write_xlsx("导入", columns, rows)  # type: ignore[arg-type]


def test_the_excel_import_previews_then_imports_once(
    world: World, make_user: Callable[..., User]
) -> None:
    programme = services.programme_create(
        actor=None, name="选调生分配", kind="selected_graduate",
        owner_unit=world.office, year=2021, start_date=D(2021, 8, 2),
    )  # fmt: skip
    for unit, capacity in ((world.town, 1), (world.village, 1)):
        services.host_create(actor=None, programme=programme, unit=unit, capacity=capacity)
    user = make_user(world.county, "unit_and_below")
    data = _xlsx(excel.applicant_columns(), [
        ["XD-01", "周一", "男", "", "", "西安交通大学", "硕士", "", "甲镇、甲村"],
        ["XD-02", "吴二", "女", "", "", "4161010699", "学士", "", "甲村"],
    ])  # fmt: skip
    preview = placement_import(user=user, programme=programme, kind="applicants", data=data,
                                filename="a.xlsx", commit=False)  # fmt: skip
    assert (preview.ok, preview.created, preview.committed) == (True, 2, False)
    assert programme.applicants.count() == 0
    done = placement_import(user=user, programme=programme, kind="applicants", data=data,
                             filename="a.xlsx", commit=True)  # fmt: skip
    assert (done.created, done.committed) == (2, True)
    first = programme.applicants.get(code="XD-01")
    assert (first.person.name, first.university, first.degree,
            [c.host.unit.name for c in first.choices.order_by("rank")]) == (
        "周一", world.xjtu, "master", ["甲镇", "甲村"])  # fmt: skip
    again = placement_import(user=user, programme=programme, kind="applicants", data=data,
                              filename="a.xlsx", commit=True)  # fmt: skip
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rankings = _xlsx(excel.ranking_columns(), [
        ["甲镇", "XD-01", 1, None, "面试"], ["甲村", "XD-02", None, 88, ""],
        ["甲村", "XD-01", None, 80, ""],
    ])  # fmt: skip
    report = placement_import(user=user, programme=programme, kind="rankings", data=rankings,
                               filename="r.xlsx", commit=True)  # fmt: skip
    assert (report.created, report.committed) == (3, True)
    services.programme_allocate(actor=None, programme=programme)
    assert {a.applicant.code: a.host.unit.name if a.host else None
            for a in Assignment.objects.filter(applicant__programme=programme)} == {
        "XD-01": "甲镇", "XD-02": "甲村"}  # fmt: skip
    bad = _xlsx(excel.ranking_columns(), [
        ["乙镇", "XD-01", 1, None, ""], ["甲镇", "XD-09", 2, None, ""], ["甲镇", "XD-02", None, None, ""],
    ])  # fmt: skip
    other = Programme.objects.create(name="另一个", kind="other", owner_unit=world.office,
                                     year=2021, start_date=D(2021, 8, 2))  # fmt: skip
    Host.objects.create(programme=other, unit=world.town, capacity=1)
    PlacementApplicant.objects.create(programme=other, code="XD-01", person=first.person)
    PlacementApplicant.objects.create(programme=other, code="XD-02",
                                      person=programme.applicants.get(code="XD-02").person)  # fmt: skip
    errors = placement_import(user=user, programme=other, kind="rankings", data=bad,
                               filename="r.xlsx", commit=True)  # fmt: skip
    assert [str(e) for e in errors.errors] == [
        "第2行 A列（接收单位）：“乙镇”不是本项目的接收单位",
        "第3行 B列（申请人编号）：没有编号为“XD-09”的申请人",
        "第4行 C列（排名）：排名和评分至少填一项",
    ]
    assert HostRanking.objects.filter(host__programme=other).count() == 0


def test_the_instance_download_feeds_the_command_line(
    setup: Setup, world: World, make_user: Callable[..., User]
) -> None:
    services.programme_allocate(actor=None, programme=setup.programme)
    user = make_user(world.county, "unit_and_below", ["placement.view_programme"])
    client = Client()
    client.force_login(user)
    response = client.get(reverse("talent:programme_instance", args=[setup.programme.pk]))
    assert response["Content-Type"] == "application/json"
    data = json.load(io.BytesIO(response.content))
    assert data == {
        "applicants": {"p1": ["人才办", "甲镇"], "p2": ["人才办", "甲镇"], "p3": ["甲镇"],
                       "p4": ["人才办"], "p5": [], "p6": ["甲村"]},
        "units": {"人才办": {"capacity": 1, "ranking": ["p2", "p1", "p4"]},
                  "甲镇": {"capacity": 2, "ranking": ["p1", "p2", "p3"]},
                  "甲村": {"capacity": 1, "ranking": []}},
    }  # fmt: skip
    solved = allocation.solve(allocation.parse_instance(data))
    assert solved == setup.placed()


def test_the_import_resolves_university_names_like_every_import(
    world: World, make_user: Callable[..., User]
) -> None:
    programme = services.programme_create(
        actor=None, name="选调生分配", kind="selected_graduate",
        owner_unit=world.office, year=2021, start_date=D(2021, 8, 2),
    )  # fmt: skip
    services.host_create(actor=None, programme=programme, unit=world.town, capacity=2)
    user = make_user(world.county, "unit_and_below")
    data = _xlsx(excel.applicant_columns(), [
        ["XD-01", "周一", "男", "", "", "xajtdx", "硕士", "", "甲镇"],
        ["XD-02", "吴二", "女", "", "", "西安交大学", "学士", "", "甲镇"],
    ])  # fmt: skip
    preview = placement_import(user=user, programme=programme, kind="applicants", data=data,
                                filename="a.xlsx", commit=False)  # fmt: skip
    assert (preview.ok, preview.created) == (True, 2)
    assert preview.notes == [
        (2, "“xajtdx”按拼音首字母识别为西安交通大学"),
        (3, "“西安交大学”按相似度识别为西安交通大学（置信度 91%）"),
    ]
    done = placement_import(user=user, programme=programme, kind="applicants", data=data,
                             filename="a.xlsx", commit=True)  # fmt: skip
    assert (done.created, done.committed) == (2, True)
    assert {a.code: a.university for a in programme.applicants.all()} == {
        "XD-01": world.xjtu, "XD-02": world.xjtu,
    }  # fmt: skip
    uncertain = _xlsx(excel.applicant_columns(), [
        ["XD-03", "郑三", "男", "", "", "西北工大", "硕士", "", "甲镇"],
        ["XD-04", "王四", "女", "", "", "火星大学", "学士", "", "甲镇"],
    ])  # fmt: skip
    report = placement_import(user=user, programme=programme, kind="applicants", data=uncertain,
                               filename="b.xlsx", commit=True)  # fmt: skip
    assert [str(e) for e in report.errors] == [
        "第2行 F列（所在高校）：“西北工大”未能确认：是否为“西北工业大学”（置信度 80%）？"
        "请改用全称或学校标识码",
        "第3行 F列（所在高校）：无法识别高校“火星大学”，请写全称、常用简称或学校标识码",
    ]
    assert (report.committed, report.notes, programme.applicants.count()) == (False, [], 2)
