"""The talent part of the Yongji demo: exactly the case's figures, traceable to records; the
statistics, the assessment figures and their lists agree; a second load adds nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Demo
from yanzhen.college import selectors as college_selectors
from yanzhen.college.models import BrandStore, College, Course, CourseCategory, Major
from yanzhen.cooperation.models import Base
from yanzhen.core.filters import filter_form
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Person, Unit, User
from yanzhen.demo import talent as talent_demo
from yanzhen.demo.shared import DemoResult
from yanzhen.engines.idcard import check_id_number
from yanzhen.placement.models import AllocationRun, Internship, Programme
from yanzhen.talent import selectors
from yanzhen.talent.indicators import SOURCES
from yanzhen.talent.models import RECRUITMENT_CHANNELS, Applicant, Talent

pytestmark = pytest.mark.usefixtures("demo_db")
YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def test_131_talents_were_recruited_1_phd_and_106_masters() -> None:
    recruited = Talent.objects.filter(channel__in=RECRUITMENT_CHANNELS, start_date__year=2021)
    assert recruited.count() == 131
    assert Counter(recruited.values_list("degree", flat=True)) == {
        "doctor": 1,
        "master": 106,
        "bachelor": 24,
    }
    assert Counter(recruited.values_list("channel", flat=True)) == {
        "open": 52,
        "flexible": 24,
        "campus": 55,
    }
    assert Counter(recruited.values_list("talent_type", flat=True)) == {
        "full_time": 100,
        "flexible": 16,
        "project_team": 8,
        "medical_graduate": 7,
    }
    assert Counter(Applicant.objects.values_list("stage", flat=True)) == {
        "onboarded": 124,
        "rejected": 28,
        "withdrawn": 8,
    }
    assert set(Applicant.objects.filter(stage="onboarded").values_list("talent", flat=True)) == set(
        recruited.filter(campaign__isnull=False).values_list("pk", flat=True)
    )


def test_the_placements_of_the_case() -> None:
    selected = Talent.objects.filter(talent_type="selected_graduate")
    assert selected.count() == 8
    assert set(selected.values_list("employer__kind", flat=True)) <= {"town", "street", "village"}
    medical = Talent.objects.filter(talent_type="medical_graduate")
    assert Counter(medical.values_list("employer__name", flat=True)) == {
        "永济市人民医院": 4,
        "永济市中医医院": 3,
    }
    interns = Talent.objects.filter(talent_type="intern")
    assert interns.count() == 69
    assert Internship.objects.count() == 69
    assert interns.values("employer").distinct().count() == 19
    hosts = Unit.objects.filter(talents__in=interns).distinct()
    assert Counter(hosts.values_list("kind", flat=True)) == {
        "department": 8,
        "town": 7,
        "street": 3,
        "zone": 1,
    }
    assert Counter(interns.values_list("university__name", flat=True)) == {
        "陕西师范大学": 15, "西安电子科技大学": 12, "苏州大学": 10, "四川大学": 9,
        "上海理工大学": 8, "运城学院": 6, "山西大学": 5, "太原理工大学": 4,
    }  # fmt: skip
    for programme, size in (("2021年选调生分配", 8), ("2021年医学毕业生分配", 7),
                            ("2021年大学生暑期实习实训", 69)):  # fmt: skip
        run = AllocationRun.objects.get(programme__name=programme)
        assert (run.stats["applicants"], run.stats["matched"], run.stats["blocking_pairs"]) == (
            size,
            size,
            0,
        )
    assert Programme.objects.filter(status="confirmed").count() == 3
    assert Internship.objects.filter(status="hired").count() == 5


def test_the_training_college_and_its_brand() -> None:
    college = College.objects.get(name="永济面食产业学院")
    assert (
        Major.objects.filter(college=college).count(),
        CourseCategory.objects.filter(major__college=college).count(),
        Course.objects.filter(category__major__college=college).count(),
        BrandStore.objects.filter(
            brand__college=college, brand__name="永济好面", is_active=True
        ).count(),
    ) == (9, 20, 52, 106)
    figures = college_selectors.catalogue_figures(college)
    assert (figures.classes, figures.trainees, figures.certificates) == (4, 80, 57)


def test_the_demo_people_are_fictional_and_valid() -> None:
    talents = Person.objects.filter(talents__isnull=False).distinct()
    assert talents.count() == 209  # 124 recruited, 84 placed, 1 seconded professor
    numbers = [p.id_number for p in Person.objects.all()]
    assert [n for n in numbers if check_id_number(n) is not None] == []
    assert len(set(numbers)) == len(numbers)


def test_a_second_load_adds_nothing() -> None:
    counts = (Talent.objects.count(), Person.objects.count(), Applicant.objects.count())
    result = DemoResult()
    talent_demo.load(result)
    assert result.created == {}
    assert (Talent.objects.count(), Person.objects.count(), Applicant.objects.count()) == counts


def _count(filters: dict[str, str]) -> int:
    form = filter_form(selectors.TalentFilters)(QueryDict(urlencode(filters)))
    assert form.is_valid(), form.errors
    return selectors.talent_list(
        user=_office(), filters=form.filters(), today=timezone.localdate()
    ).count()


def _office() -> User:
    return User.objects.get(username="office")


def test_every_figure_of_the_statistics_opens_exactly_its_records() -> None:
    office = _office()
    stats = selectors.talent_stats(
        user=office,
        filters=selectors.TalentFilters(group="recruited"),
        today=timezone.localdate(),
    )
    assert (stats.total.count, stats.doctors.count, stats.masters.count) == (131, 1, 106)
    dims = dict(stats.dimensions)
    assert [(r.label, r.count) for r in dims["引进渠道"]] == [
        ("校园招聘", 55),
        ("公开招聘", 52),
        ("柔性引才", 24),
    ]
    assert [(r.label, r.count) for r in dims["学位"]] == [("硕士", 106), ("学士", 24), ("博士", 1)]
    rows = [
        stats.total,
        stats.doctors,
        stats.masters,
        *(r for _, rs in stats.dimensions for r in rs),
    ]
    assert [(r.label, _count(r.query)) for r in rows] == [(r.label, r.count) for r in rows]


def _listed(demo_db: Demo, url: str) -> int:
    html = demo_db.client("office").get(url).content.decode()
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None
    return int(found.group(1))


def test_the_assessment_figures_and_their_lists(demo_db: Demo) -> None:
    county = Unit.objects.get(name="永济市").pk
    town = Unit.objects.get(name="开张镇").pk
    industry_base = Base.objects.get(code="YJ-B01").pk
    zone_base = Base.objects.get(code="YJ-B12").pk
    subjects: list[Subject] = [
        ("unit", county),
        ("unit", town),
        ("base", industry_base),
        ("base", zone_base),
    ]
    by_code = {s.code: s for s in SOURCES}
    assert set(by_code) == {
        "talent.recruited",
        "talent.interns_hosted",
        "talent.services_delivered",
    }
    figures = {code: source.compute(subjects, *YEAR) for code, source in by_code.items()}
    assert {s: int(v) for s, v in figures["talent.recruited"].items()} == {
        ("unit", county): 131, ("unit", town): 5, ("base", industry_base): 5, ("base", zone_base): 64,
    }  # fmt: skip
    assert int(figures["talent.interns_hosted"][("unit", county)]) == 70  # 69 interns, 1 secondment
    for code, source in by_code.items():
        assert source.records_url is not None
        for subject in subjects:
            url = source.records_url(subject, *YEAR)
            assert _listed(demo_db, url) == int(figures[code][subject]), (code, subject, url)
    assert by_code["talent.recruited"].records_url is not None
    assert by_code["talent.recruited"].records_url(("unit", town), *YEAR) == (
        reverse("talent:talent_list")
        + f"?group=recruited&unit={town}&sub=1&start_from=2021-01-01&start_to=2021-12-31"
    )
