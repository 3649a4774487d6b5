"""The training college: its catalogue, classes, trainees, completions with certificates and
brand stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.talent.conftest import World
from yanzhen.college import selectors, services
from yanzhen.core.errors import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


def test_a_college_trains_and_certifies(world: World) -> None:
    college = services.college_create(actor=None, name="面食产业学院",
                                    owner_unit=world.hrss, partner_universities=[world.xjtu])  # fmt: skip
    other = services.college_create(actor=None, name="另一学院", owner_unit=world.hrss)
    major = services.major_create(actor=None, college=college, name="面点制作")
    category = services.category_create(actor=None, major=major, name="发面面点")
    course = services.course_create(
        actor=None, category=category, name="花馍造型", hours=Decimal(16)
    )
    with pytest.raises(DomainError) as caught:
        services.course_create(actor=None, category=category, name="花馍造型")
    assert caught.value.fields == {"name": "类别“发面面点”已有课程“花馍造型”"}
    foreign = services.major_create(actor=None, college=other, name="烹饪")
    with pytest.raises(DomainError) as caught:
        services.class_create(actor=None, college=college, name="一期",
                            major=foreign, start_date=D(2021, 3, 1), end_date=D(2021, 4, 1))  # fmt: skip
    assert caught.value.fields == {"major": "专业不属于该学院"}
    klass = services.class_create(
        actor=None, college=college, name="一期", major=major,
        start_date=D(2021, 3, 1), end_date=D(2021, 4, 1), courses=[course], capacity=2,
    )  # fmt: skip
    first, second, third = (world.person(n, world.village) for n in ("学员甲", "学员乙", "学员丙"))
    one = services.enrolment_create(actor=None, training_class=klass, person=first, unit=world.village,
                         enrolled_on=D(2021, 2, 20))  # fmt: skip
    two = services.enrolment_create(actor=None, training_class=klass, person=second, unit=world.village,
                         enrolled_on=D(2021, 2, 21))  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.enrolment_create(actor=None, training_class=klass, person=third, unit=world.village,
                       enrolled_on=D(2021, 2, 22))  # fmt: skip
    assert caught.value.fields == {"name": "该班计划2人，已满"}
    done = services.enrolment_move(actor=None, enrolment=one, target="completed",
                                   date=D(2021, 4, 1), score=Decimal("92.5"))  # fmt: skip
    assert (done.status, done.certificate_no, done.score) == (
        "completed",
        f"2021-{klass.pk:03d}-001",
        Decimal("92.5"),
    )
    with pytest.raises(DomainError) as caught:
        services.enrolment_move(actor=None, enrolment=two, target="completed", date=D(2021, 4, 1),
                                certificate_no=done.certificate_no)  # fmt: skip
    assert caught.value.fields == {"certificate_no": f"证书编号“2021-{klass.pk:03d}-001”已被使用"}
    services.enrolment_move(actor=None, enrolment=two, target="dropped", date=D(2021, 3, 10))
    with pytest.raises(DomainError) as caught:
        services.enrolment_move(actor=None, enrolment=two, target="completed", date=D(2021, 4, 1))
    assert caught.value.fields == {"target": "只有在读学员可以结业或退学"}
    brand = services.brand_create(actor=None, college=college, name="好面", major=major)
    for city in ("永济市", "运城市"):
        services.store_create(actor=None, brand=brand, name=f"好面·{city}店", city=city,
                           opened_on=D(2021, 5, 1))  # fmt: skip
    figures = selectors.catalogue_figures(college)
    assert (figures.majors, figures.categories, figures.courses, figures.classes, figures.trainees,
            figures.completed, figures.certificates, figures.stores) == (1, 1, 1, 1, 2, 1, 1, 2)  # fmt: skip
