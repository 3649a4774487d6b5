"""The demo's training college: catalogue, classes, trainees, the brand's stores."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from yanzhen.college import services
from yanzhen.college.models import (
    Brand,
    BrandStore,
    College,
    Course,
    CourseCategory,
    Enrolment,
    EnrolmentStatus,
    Major,
    TrainingClass,
)
from yanzhen.core.models import Unit
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.common import (
    HRSS,
)
from yanzhen.demo.talent.people import People
from yanzhen.reference.models import University

# The training college ------------------------------------------------------------------------

COLLEGE = "永济面食产业学院"
BRAND = "永济好面"
# major → category → courses (9 majors, 20 categories, 52 courses)
CATALOGUE_TREE: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("面点制作", (
        ("发面面点", ("永济馍制作", "花馍造型", "包子制作")),
        ("烫面面点", ("烫面饺制作", "蒸饼制作", "油旋制作")),
        ("特色面食", ("永济扯面", "刀削面", "手擀面")),
    )),
    ("中式烹调", (
        ("刀工与火候", ("刀工基础", "火候控制", "调味基础")),
        ("晋南菜品", ("永济牛肉饺子", "晋南家常菜")),
    )),
    ("面食加工工艺", (
        ("原料与配方", ("面粉品质与选用", "配方设计", "发酵工艺")),
        ("机械化生产", ("面食机械操作", "冷链与速冻")),
    )),
    ("食品营养与安全", (
        ("营养配餐", ("营养学基础", "面食营养搭配", "特殊人群配餐")),
        ("食品安全", ("食品安全法规", "厨房卫生管理", "食品添加剂使用")),
    )),
    ("餐饮经营管理", (
        ("门店运营", ("门店选址", "菜单设计", "顾客服务")),
        ("成本控制", ("采购与库存", "财务报表")),
        ("服务礼仪", ("服务规范", "投诉处理")),
    )),
    ("连锁品牌运营", (
        ("品牌标准化", ("产品标准化", "门店形象标准", "操作手册编写")),
        ("加盟管理", ("加盟政策", "督导与培训")),
    )),
    ("电子商务", (
        ("网店运营", ("网店开设", "商品详情页", "物流与售后")),
        ("直播营销", ("短视频制作", "直播带货")),
    )),
    ("农产品初加工", (
        ("小麦初加工", ("优质小麦品种", "制粉工艺", "仓储管理")),
        ("杂粮加工", ("杂粮面制品", "杂粮营养")),
    )),
    ("创业指导", (
        ("创业实务", ("创业计划书", "小微企业登记", "融资渠道")),
        ("政策法规", ("创业扶持政策", "劳动合同与用工")),
    )),
)  # fmt: skip
CLASSES = (
    ("2021年第一期永济面食制作培训班", "面点制作", dt.date(2021, 3, 8), dt.date(2021, 4, 2), True),
    ("2021年第二期永济面食制作培训班", "面点制作", dt.date(2021, 5, 10), dt.date(2021, 6, 4), True),
    ("2021年面食门店经营管理培训班", "餐饮经营管理", dt.date(2021, 9, 6), dt.date(2021, 9, 30), True),
    ("2021年面食电商与直播培训班", "电子商务", dt.date(2021, 11, 15), dt.date(2022, 1, 14), False),
)  # fmt: skip
TRAINEE_UNITS = (
    "东开张村",
    "普乐头村",
    "虞乡村",
    "吴闫村",
    "蒲州村",
    "小张村",
    "永济面食示范企业（演示）",
)
STORE_CITIES = (
    ("永济市", 30), ("运城市", 22), ("太原市", 14), ("临汾市", 9), ("西安市", 12),
    ("渭南市", 6), ("郑州市", 6), ("北京市", 4), ("三门峡市", 3),
)  # fmt: skip


def load_college(result: DemoResult, units: dict[str, Unit], universities: dict[str, University],
             people: People) -> None:  # fmt: skip
    if College.objects.filter(name=COLLEGE).exists():
        return
    college = services.college_create(
        actor=None,
        name=COLLEGE,
        owner_unit=units[HRSS],
        partner_universities=[universities["山西运城农业职业技术学院"]],
        established_on=dt.date(2021, 1, 18),
        description="校地企共建的面食产业技能培训学院：9个专业、20个类别、52门课程。",
    )
    majors = Major.objects.bulk_create(
        Major(college=college, name=name, sort_order=i) for i, (name, _) in enumerate(CATALOGUE_TREE)
    )  # fmt: skip
    categories = CourseCategory.objects.bulk_create(
        CourseCategory(major=major, name=name, sort_order=j)
        for major, (_, cats) in zip(majors, CATALOGUE_TREE, strict=True)
        for j, (name, _courses) in enumerate(cats)
    )
    names = [courses for _, cats in CATALOGUE_TREE for _n, courses in cats]
    Course.objects.bulk_create(
        Course(category=category, name=name, hours=Decimal(8 if k else 16), sort_order=k)
        for category, courses in zip(categories, names, strict=True)
        for k, name in enumerate(courses)
    )
    by_major = {m.name: m for m in majors}
    rng = random.Random(52)
    enrolments = []
    for index, (name, major, start, end, finished) in enumerate(CLASSES):
        training_class = TrainingClass.objects.create(
            college=college, name=name, major=by_major[major], start_date=start, end_date=end,
            teachers="山西运城农业职业技术学院教师、面食企业技师", location="永济面食产业学院实训基地",
            capacity=30,
        )  # fmt: skip
        training_class.courses.set(Course.objects.filter(category__major=by_major[major]))
        for n in range(20):
            unit = units[TRAINEE_UNITS[(index * 20 + n) % len(TRAINEE_UNITS)]]
            person = people.make(unit=unit, born=(1970, 2000))
            enrolments.append(
                Enrolment(
                    training_class=training_class, person=person, unit=unit,
                    enrolled_on=start - dt.timedelta(days=7),
                    status=EnrolmentStatus.COMPLETED if finished and n < 19 else
                    EnrolmentStatus.DROPPED if finished else EnrolmentStatus.ENROLLED,
                    completed_on=end if finished else None,
                    score=Decimal(rng.randrange(70, 99)) if finished and n < 19 else None,
                    certificate_no=f"{start.year}-{training_class.pk:03d}-{n + 1:03d}"
                    if finished and n < 19 else "",
                )
            )  # fmt: skip
    result.add("people", people.save())
    for enrolment in enrolments:
        enrolment.person_id = enrolment.person.pk
    Enrolment.objects.bulk_create(enrolments)
    brand = Brand.objects.create(
        college=college, name=BRAND, major=by_major["连锁品牌运营"],
        description="学院孵化的面食连锁品牌，统一标准、统一培训、统一供应。",
    )  # fmt: skip
    stores = [
        BrandStore(
            brand=brand,
            name=f"{BRAND}·{city}{n + 1}号店",
            city=city,
            opened_on=dt.date(2019, 6, 1) + dt.timedelta(days=rng.randrange(0, 900)),
            operator=people.name(),
        )
        for city, count in STORE_CITIES
        for n in range(count)
    ]
    BrandStore.objects.bulk_create(stores)
    result.add("talent colleges")
