"""Pagination: a large list's page is read in two steps and equals Django's page."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from yanzhen.core import listing
from yanzhen.core.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> QuerySet[Unit]:
    county = Unit.objects.create(name="县", kind=UnitKind.COUNTY)
    Unit.objects.bulk_create(
        Unit(name=f"村{i:02d}", kind=UnitKind.VILLAGE, parent=county, sort_order=i % 7)
        for i in range(47)
    )
    return (
        Unit.objects.select_related("parent")
        .prefetch_related("children")
        .order_by("sort_order", "-id")
    )


def pages(paginator: Paginator[Unit]) -> list[list[tuple[int, str]]]:
    return [
        [(u.pk, u.parent.name if u.parent else "") for u in paginator.page(n)]
        for n in paginator.page_range
    ]


@pytest.mark.parametrize("orphans", [0, 5])
def test_a_large_list_pages_like_django(
    units: QuerySet[Unit], monkeypatch: pytest.MonkeyPatch, orphans: int
) -> None:
    monkeypatch.setattr(listing, "LATE_LOOKUP_ROWS", 10)
    late = listing.LateLookupPaginator(units, 10, orphans=orphans)
    assert pages(late) == pages(Paginator(units, 10, orphans=orphans))
    assert late.count == 48


def test_a_late_page_takes_one_query_more_and_keeps_the_prefetch(
    units: QuerySet[Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "LATE_LOOKUP_ROWS", 10)
    paginator = listing.LateLookupPaginator(units, 10)
    assert paginator.count == 48
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        names = [[c.name for c in u.children.all()] for u in page]
    assert len(queries) == 3  # the ids, the rows with their parents, the children
    assert len(names) == 10


def test_small_distinct_and_values_lists_page_as_usual(
    units: QuerySet[Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "LATE_LOOKUP_ROWS", 10)
    for qs in (units.distinct(), units.values("pk", "name")):
        page = listing.LateLookupPaginator(qs, 10).page(2)
        assert isinstance(page.object_list, QuerySet)
    small = listing.LateLookupPaginator(units.filter(sort_order=0), 10).page(1)
    assert isinstance(small.object_list, QuerySet)
