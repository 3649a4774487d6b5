"""The monthly payment list as the office keeps it (``yanzhen import payments``): importing
submits the month's list for a second person of the paying unit to approve (four eyes); no
delivery is written before the approval, and a second import adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.benefits.test_benefits import _subsidy, catalogue
from tests.imports.office import office_sheet, run_json, skipped, write
from tests.talent.conftest import World, frozen, world
from yanzhen.benefits.models import Delivery
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ApprovalRequest, DataScope, ImportBatch, RequestState, User
from yanzhen.core.workflow import review_decide

__all__ = ["frozen", "world"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date
PERMS = ["benefits.add_delivery", "benefits.view_delivery", "benefits.view_entitlement"]
HEADER = ["姓名", "所属月份", "应发金额", "发放日期", "备注"]


@pytest.fixture
def clerks(world: World, make_user: Callable[..., User]) -> tuple[User, User]:
    catalogue(world)
    _subsidy(world, "张三", D(2021, 3, 15))
    _subsidy(world, "李四", D(2021, 11, 1))
    _subsidy(world, "王五", D(2021, 11, 1))
    author = make_user(world.hrss, DataScope.UNIT, PERMS)
    second = make_user(world.hrss, DataScope.UNIT, PERMS)
    return author, second


def test_a_months_list_is_submitted_for_approval_once(
    clerks: tuple[User, User], tmp_path: Path
) -> None:
    author, second = clerks
    rows: list[list[object]] = [
        ["张三", "２０２１年１２月", "１，５００", "2021.12.20", ""],
        ["李四", "2021.12", "1500", "2021.12.20", "新引进"],
    ]
    path = write(tmp_path, "发放.xlsx", office_sheet("2021年12月人才生活补贴发放表", HEADER, rows))
    code, out = run_json("payments", path, "--as", author.username)
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {"姓名": "name", "所属月份": "month", "应发金额": "amount", "发放日期": "date"},
    }
    assert code == 0
    assert ApprovalRequest.objects.count() == 0
    assert run_json("payments", path, "--commit", "--as", author.username)[0] == 0
    approval = ApprovalRequest.objects.get(kind="talent.payment")
    assert approval.state == RequestState.REQUESTED
    assert (approval.payload["month"], approval.payload["date"]) == ("2021-12-01", "2021-12-20")
    assert Delivery.objects.count() == 0  # nothing paid before the second person approves
    again_code, again = run_json("payments", path, "--commit", "--as", author.username)
    assert (again_code, again["valid"], again["errors"]) == (0, 2, [])
    assert ApprovalRequest.objects.count() == 1
    batches = ImportBatch.objects.filter(register="payments").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    review_decide(approval=approval, approver=second, decision="approve")
    paid = Delivery.objects.order_by("entitlement__talent__person__name")
    # Only the lines of the sheet are paid (王五, on the month's list, was not in it).
    assert sorted((d.entitlement.talent.person.name, d.amount, d.date) for d in paid) == [
        ("张三", Decimal(1500), D(2021, 12, 20)),
        ("李四", Decimal(1500), D(2021, 12, 20)),
    ]
    third_code, third = run_json("payments", path, "--commit", "--as", author.username)
    assert (third_code, third["valid"], Delivery.objects.count()) == (0, 2, 2)
    assert ApprovalRequest.objects.count() == 1


def test_undoing_the_import_withdraws_the_list(clerks: tuple[User, User], tmp_path: Path) -> None:
    author, _second = clerks
    rows: list[list[object]] = [["张三", "2021年12月", "1500", "2021-12-20", ""]]
    path = write(tmp_path, "p.xlsx", office_sheet("发放表", HEADER, rows))
    assert run_json("payments", path, "--commit", "--as", author.username)[0] == 0
    batch_undo(actor=author, batch=ImportBatch.objects.get(register="payments"))
    approval = ApprovalRequest.objects.get(kind="talent.payment")
    assert (approval.state, approval.decision_note) == (RequestState.REFUSED, "报送人撤回")
    assert Delivery.objects.count() == 0


def test_a_bad_cell_names_row_and_column(clerks: tuple[User, User], tmp_path: Path) -> None:
    author, _second = clerks
    rows: list[list[object]] = [
        ["张三", "2021年12月", "1200", "2021-12-20", ""],
        ["赵六", "2021年12月", "1500", "2021-12-20", ""],
        ["李四", "2021年10月", "1500", "2021-12-20", ""],
        ["张三", "2021年12月", "1500", "2021-12-20", ""],
    ]
    path = write(tmp_path, "b.xlsx", office_sheet("发放表", HEADER, rows))
    code, out = run_json("payments", path, "--commit", "--as", author.username)
    assert code == 1
    assert out["errors"] == [
        {"row": 3, "column": "D", "message": "金额与发放清单不符：张三2021年12月应发1500.00元"},
        {"row": 4, "column": "B", "message": "赵六没有按月发放的补贴（或不在您的数据范围内）"},
        {"row": 5, "column": "C", "message": "李四不在2021年10月的补贴发放清单上"},
    ]
    assert (ApprovalRequest.objects.count(), Delivery.objects.count()) == (0, 0)
