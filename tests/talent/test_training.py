"""The training college (catalogue, classes, trainees, completions with certificates, brand
stores) and flexible introductions' service agreements with their workload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.talent.conftest import World
from yanzhen.college import selectors as college_selectors
from yanzhen.college import services as college_services
from yanzhen.core.errors import DomainError
from yanzhen.talent import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


def test_a_college_trains_and_certifies(world: World) -> None:
    college = college_services.college_create(actor=None, name="面食产业学院",
                                    owner_unit=world.hrss, partner_universities=[world.xjtu])  # fmt: skip
    other = college_services.college_create(actor=None, name="另一学院", owner_unit=world.hrss)
    major = college_services.major_create(actor=None, college=college, name="面点制作")
    category = college_services.category_create(actor=None, major=major, name="发面面点")
    course = college_services.course_create(
        actor=None, category=category, name="花馍造型", hours=Decimal(16)
    )
    with pytest.raises(DomainError) as caught:
        college_services.course_create(actor=None, category=category, name="花馍造型")
    assert caught.value.fields == {"name": "类别“发面面点”已有课程“花馍造型”"}
    foreign = college_services.major_create(actor=None, college=other, name="烹饪")
    with pytest.raises(DomainError) as caught:
        college_services.class_create(actor=None, college=college, name="一期",
                            major=foreign, start_date=D(2021, 3, 1), end_date=D(2021, 4, 1))  # fmt: skip
    assert caught.value.fields == {"major": "专业不属于该学院"}
    klass = college_services.class_create(
        actor=None, college=college, name="一期", major=major,
        start_date=D(2021, 3, 1), end_date=D(2021, 4, 1), courses=[course], capacity=2,
    )  # fmt: skip
    first, second, third = (world.person(n, world.village) for n in ("学员甲", "学员乙", "学员丙"))
    one = college_services.enrolment_create(actor=None, training_class=klass, person=first, unit=world.village,
                         enrolled_on=D(2021, 2, 20))  # fmt: skip
    two = college_services.enrolment_create(actor=None, training_class=klass, person=second, unit=world.village,
                         enrolled_on=D(2021, 2, 21))  # fmt: skip
    with pytest.raises(DomainError) as caught:
        college_services.enrolment_create(actor=None, training_class=klass, person=third, unit=world.village,
                       enrolled_on=D(2021, 2, 22))  # fmt: skip
    assert caught.value.fields == {"name": "该班计划2人，已满"}
    done = college_services.enrolment_move(actor=None, enrolment=one, target="completed",
                                   date=D(2021, 4, 1), score=Decimal("92.5"))  # fmt: skip
    assert (done.status, done.certificate_no, done.score) == (
        "completed",
        f"2021-{klass.pk:03d}-001",
        Decimal("92.5"),
    )
    with pytest.raises(DomainError) as caught:
        college_services.enrolment_move(actor=None, enrolment=two, target="completed", date=D(2021, 4, 1),
                                certificate_no=done.certificate_no)  # fmt: skip
    assert caught.value.fields == {"certificate_no": f"证书编号“2021-{klass.pk:03d}-001”已被使用"}
    college_services.enrolment_move(
        actor=None, enrolment=two, target="dropped", date=D(2021, 3, 10)
    )
    with pytest.raises(DomainError) as caught:
        college_services.enrolment_move(
            actor=None, enrolment=two, target="completed", date=D(2021, 4, 1)
        )
    assert caught.value.fields == {"target": "只有在读学员可以结业或退学"}
    brand = college_services.brand_create(actor=None, college=college, name="好面", major=major)
    for city in ("永济市", "运城市"):
        college_services.store_create(actor=None, brand=brand, name=f"好面·{city}店", city=city,
                           opened_on=D(2021, 5, 1))  # fmt: skip
    figures = college_selectors.catalogue_figures(college)
    assert (figures.majors, figures.categories, figures.courses, figures.classes, figures.trainees,
            figures.completed, figures.certificates, figures.stores) == (1, 1, 1, 1, 2, 1, 1, 2)  # fmt: skip


def test_a_flexible_expert_serves_under_an_agreement(world: World) -> None:
    expert = world.talent("专家甲", talent_type="flexible", start=D(2021, 3, 1), end=D(2023, 2, 28))
    staff = world.talent("职工乙")
    with pytest.raises(DomainError) as caught:
        services.agreement_create(actor=None, talent=staff, title="x",
                                signed_on=D(2021, 3, 1), start_date=D(2021, 3, 1),
                                end_date=D(2022, 3, 1), days_per_year=Decimal(30))  # fmt: skip
    assert caught.value.fields == {"title": "只有柔性引进专家和项目团队成员登记服务协议"}
    agreement = services.agreement_create(
        actor=None, talent=expert, title="技术顾问协议", signed_on=D(2021, 2, 25),
        start_date=D(2021, 3, 1), end_date=D(2023, 2, 28), days_per_year=Decimal(40),
        remuneration=Decimal(10),
    )  # fmt: skip
    services.workload_create(actor=None, agreement=agreement, date=D(2021, 4, 10), days=Decimal(3),
                          content="现场技术指导")  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.workload_create(actor=None, agreement=agreement, date=D(2021, 2, 1), days=Decimal(1),
                              content="x")  # fmt: skip
    assert caught.value.fields == {"date": "服务日期应在协议期内（2021-03-01至2023-02-28）"}
    with pytest.raises(DomainError) as caught:
        services.workload_create(actor=None, agreement=agreement, date=D(2021, 5, 1), days=Decimal(0),
                              content="x")  # fmt: skip
    assert caught.value.fields == {"days": "天数应大于0"}
    assert [(w.date, w.days) for w in agreement.workload.all()] == [(D(2021, 4, 10), Decimal(3))]
