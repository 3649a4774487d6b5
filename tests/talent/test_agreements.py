"""Flexible introductions' service agreements with their workload (the training college is
tested in tests/college/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.talent.conftest import World
from yanzhen.core.errors import DomainError
from yanzhen.talent import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


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
