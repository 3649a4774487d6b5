"""The Yongji demo: the case's records, loaded once; a second load adds nothing."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Activity, Base, Cooperation, Secondment
from yanzhen.core.models import Person, Unit, User
from yanzhen.demo import yongji
from yanzhen.demo.loader import load_demo
from yanzhen.engines.idcard import check_id_number
from yanzhen.engines.ledger import Tally
from yanzhen.supervision.models import WorkPlan

pytestmark = pytest.mark.usefixtures("demo_db")


def test_a_second_load_adds_nothing_and_keeps_the_figures(demo_db: Demo) -> None:
    before = (
        tally.stored_rows(),
        Cooperation.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
    )
    assert load_demo(city=False).created == {}  # as the suite loaded it: Yongji alone
    after = (
        tally.stored_rows(),
        Cooperation.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
    )
    assert after == before


def test_the_stored_figures_equal_a_recount(demo_db: Demo) -> None:
    assert tally.stored_rows() == Tally.of(tally.facts_for(None).values()).nonzero()


def test_every_base_has_its_four_ones(demo_db: Demo) -> None:
    bases = Base.objects.select_related("leader", "lead_department")
    assert bases.count() == 12
    for base in bases:
        assert base.leader is not None
        assert base.members.count() == 3
        plan = WorkPlan.objects.get(base=base)
        with plan.document.open("rb") as handle:
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
        assert f"{base.name}工作方案" in text
        # the plan's four; YJ-B01 also has the two obligations of the signed agreement
        assert base.milestones.filter(obligation__isnull=True).count() == 4
        assert base.milestones.count() == (6 if base.code == "YJ-B01" else 4)


def test_work_plans_are_a4_in_the_fonts_of_official_documents(demo_db: Demo) -> None:
    plan = WorkPlan.objects.get(base__code="YJ-B01")
    with plan.document.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    section: Any = document.element.body.sectPr
    size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4 in twips
    sides = ("top", "bottom", "left", "right")  # 37, 35, 28, 26 mm
    assert [margins.get(qn(f"w:{side}")) for side in sides] == ["2098", "1984", "1587", "1474"]

    def font(style_id: str) -> tuple[str, float]:
        rpr = document.styles.element.get_by_id(style_id).rPr
        return rpr.rFonts.get(qn("w:eastAsia")), rpr.sz_val.pt

    assert font("Normal") == ("仿宋_GB2312", 16)
    assert font("GwTitle") == ("方正小标宋简体", 22)
    assert font("GwHeading1") == ("黑体", 16)
    leader = plan.base.leader
    assert leader is not None
    paragraphs = [(p.style and p.style.style_id, p.text) for p in document.paragraphs if p.text]
    assert paragraphs == [
        ("GwTitle", "轨道交通与电机电器产学研基地工作方案"),
        (
            "Normal",
            "为深入推进省校合作，建设轨道交通与电机电器产学研基地，明确由永济市工业和信息化局牵头，"
            f"{leader.position}负责，组建落实专班，制定本方案。",
        ),
        ("GwHeading1", "一、工作目标"),
        ("Normal", plan.base.description),
        ("GwHeading1", "二、时间节点"),
        ("GwFlush", "永济市工业和信息化局"),
        ("GwFlush", "2021年3月10日"),
    ]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["节点任务", "完成时限", "预期成果"],
        ["制定基地工作方案并组建落实专班", "2021年3月31日", "印发工作方案"],
        ["走访对接合作高校", "2021年6月30日", "形成对接清单"],
        ["签订合作协议", "2021年9月30日", "签约项目清单"],
        ["推动项目落地见效", "2021年12月31日", "落地项目清单"],
    ]


def test_the_case_records_are_there(demo_db: Demo) -> None:
    pair = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    assert [u.name for u in pair.parties.all()] == ["中车永济电机有限公司"]
    assert [u.name for u in pair.universities.all()] == ["西安交通大学"]
    international = Cooperation.objects.get(kind="international")
    assert (
        international.participants,
        sorted(u.name for u in international.universities.all()),
    ) == (34, ["瓦赫宁根大学", "运城学院"])
    village = Unit.objects.get(name="东开张村")
    universities = sorted(
        Cooperation.objects.filter(parties=village).values_list("universities__name", flat=True)
    )
    assert universities == ["太原理工大学", "山西师范大学", "山西运城农业职业技术学院"]
    secondment = Secondment.objects.get()
    assert (secondment.university.name, secondment.host_unit.name) == (
        "武汉大学",
        "永济经济技术开发区管委会",
    )
    assert Activity.objects.filter(kind="delegation").count() == 5


def test_demo_people_are_fictional_but_valid(demo_db: Demo) -> None:
    people = list(Person.objects.all())
    positions = [position for _key, position in yongji.LEADERS]
    assert Person.objects.filter(unit__name="永济市", position__in=positions).count() == 10
    assert Person.objects.filter(task_forces__isnull=False).distinct().count() == 34
    assert Person.objects.filter(unit__name="武汉大学").count() == 1
    assert all(check_id_number(p.id_number) is None for p in people)
    assert len({p.id_number for p in people}) == len(people)


def test_the_command_prints_the_logins(demo_db: Demo, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    # The suite's demo (load_demo(city=False)) leaves the nationwide divisions and the other 12
    # counties of 运城市 (with the login ``city``) out; the command adds them.
    assert capsys.readouterr().out.splitlines()[0] == (
        "已载入永济演示数据：合作基地 24，合作项目 85，行政区划 42157，单位 84，账号 1"
    )
    call_command("demo")
    out = capsys.readouterr().out
    assert "永济演示数据已存在，未作改动" in out
    assert "http://127.0.0.1:8000/" in out
    for user in User.objects.all():  # every account that can sign in (not the towns' clerks)
        assert (f"  {user.username}" in out) == user.has_usable_password(), user.username
