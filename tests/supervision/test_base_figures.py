"""The supervision's figures on the cooperation bases' pages (``supervision/bases.py``, found
by ``cooperation.selectors.base_figures`` and ``base_page`` through the registry): the
cooperation app shows them without importing the supervision."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.cooperation.models import Base
from yanzhen.supervision.models import Milestone, MilestoneStatus

pytestmark = pytest.mark.usefixtures("demo_db")
TODAY = dt.date(2022, 1, 10)  # three bases have a milestone due 2021-12-31 not done


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2022, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


def counted(base: Base) -> tuple[int, int, int]:
    """(milestones, overdue, done) of ``base``, counted here from the rows."""
    milestones = Milestone.objects.filter(base=base)
    overdue = milestones.filter(Q(due_date__lt=TODAY) & ~Q(status=MilestoneStatus.DONE))
    done = milestones.filter(status=MilestoneStatus.DONE)
    return milestones.count(), overdue.count(), done.count()


def test_the_base_list_exports_each_bases_milestones_and_overdue_ones(demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse("cooperation:base_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    bases = list(Base.objects.order_by("sort_order", "id"))
    assert len(rows) == len(bases) == 12
    at = header.index("节点任务"), header.index("逾期节点")
    shown = {name: (int(str(row[at[0]])), int(str(row[at[1]]))) for name, row in rows.items()}
    assert shown == {b.name: counted(b)[:2] for b in bases}
    assert (
        sum(total for total, _ in shown.values()) == Milestone.objects.count() == 48 + 2
    )  # + 云签约's 2
    assert {name: late for name, (_, late) in shown.items() if late} == {
        b.name: 1 for b in bases if b.code in ("YJ-B04", "YJ-B08", "YJ-B12")
    }


def test_a_base_page_shows_its_plan_milestones_and_their_counts(demo_db: Demo) -> None:
    base = Base.objects.get(code="YJ-B04")
    total, overdue, done = counted(base)
    assert (total, overdue, done) == (4, 1, 3)
    html = (
        demo_db.client("office")
        .get(reverse("cooperation:base_detail", kwargs={"pk": base.pk}))
        .content.decode()
    )
    assert f'<span class="value">{done}/{total}</span>' in html
    assert "（逾期 1）" in html
    for milestone in Milestone.objects.filter(base=base):
        assert milestone.title in html
    assert reverse("supervision:milestone_new", args=[base.pk]) in html  # may add one
