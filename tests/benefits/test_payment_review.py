"""Four eyes on the payment lists of the talent services (issue 13 (d)): one holder of the
permission submits the month's list, another of the same unit approves it, and only then are
its lines recorded as paid; the author never approves it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.benefits.test_benefits import _subsidy, catalogue
from tests.talent.conftest import World
from yanzhen.benefits import services
from yanzhen.benefits.models import Delivery
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, DataScope, RequestState, User
from yanzhen.core.workflow import inbox_qs, review_decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date
PERMS = ["benefits.add_delivery", "benefits.view_delivery", "benefits.view_entitlement"]


def test_a_payment_list_is_paid_once_a_second_person_approves(
    world: World, make_user: Callable[..., User]
) -> None:
    catalogue(world)
    _subsidy(world, "张三", D(2021, 3, 15))
    _subsidy(world, "李四", D(2021, 11, 1))
    author = make_user(world.hrss, DataScope.UNIT, PERMS)
    second = make_user(world.hrss, DataScope.UNIT, PERMS)
    client = Client()
    client.force_login(author)
    url = reverse("talent:payment_list_edit") + f"?paying_unit={world.hrss.pk}&month=2021-12"
    response = client.post(url, {"date": "2021-12-20"})
    assert response.status_code == 302
    assert Delivery.objects.count() == 0
    approval = ApprovalRequest.objects.get(kind="talent.payment")
    assert (approval.reviewer_unit, approval.payload) == (
        world.hrss,
        {"month": "2021-12-01", "date": "2021-12-20"},
    )
    assert list(inbox_qs(author)) == []
    with pytest.raises(DomainError) as caught:
        review_decide(approval=approval, approver=author, decision="approve")
    assert (caught.value.code, Delivery.objects.count()) == ("self_approval", 0)
    assert list(inbox_qs(second)) == [approval]
    decided = review_decide(
        approval=approval, approver=second, decision="approve", comment="核对无误"
    )
    assert decided.state == RequestState.APPROVED
    paid = Delivery.objects.order_by("entitlement__talent__person__name")
    assert [(d.entitlement.talent.person.name, d.amount, d.date) for d in paid] == [
        ("张三", Decimal(1500), D(2021, 12, 20)),
        ("李四", Decimal(1500), D(2021, 12, 20)),
    ]
    # Nothing left to pay: a new list is refused at submit, naming the month.
    with pytest.raises(DomainError) as caught:
        services.payment_submit(
            actor=author, paying_unit=world.hrss, month=D(2021, 12, 1), date=D(2021, 12, 20)
        )
    assert caught.value.fields == {"month": "2021年12月没有待发放的补贴"}
