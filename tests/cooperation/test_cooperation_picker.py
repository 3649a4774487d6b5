"""Choosing cooperations (one, or several) in forms: listed while a user's cooperations are
few, searched by code or title when many (a million at national scope)."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import reverse

from tests.conftest import Demo
from tests.cooperation.test_base_picker import chosen, options, select
from yanzhen.cooperation.models import Activity, Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.models import Unit

pytestmark = pytest.mark.usefixtures("demo_db")


def label(c: Cooperation) -> str:
    return f"{c.code} {c.title}"


def newest(qs: QuerySet[Cooperation]) -> list[Cooperation]:
    return list(qs.order_by("-intention_date", "-id"))


def test_few_cooperations_are_listed_newest_first(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("cooperation:activity_create")).content.decode()
    every = newest(Cooperation.objects.all())
    assert options(select(html, "cooperations")) == [(str(c.pk), label(c)) for c in every]
    assert len(every) == 121  # the 120 of the case and an enterprise's waiting for review
    assert "/cooperation/options/" not in html


@override_settings(YANZHEN_LONG_LIST=5)
def test_several_cooperations_are_searched_and_stay_chosen(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = client.get(reverse("cooperation:activity_create")).content.decode()
    picker = select(html, "cooperations")
    assert " multiple" in picker
    assert options(picker) == []
    assert 'hx-get="/cooperation/options/?field=cooperations"' in html
    assert 'aria-label="搜索促成的合作"' in html

    url = reverse("cooperation:cooperation_options")
    two = newest(Cooperation.objects.all())[:2]
    found = client.get(url, {"field": "cooperations", "search": "电机"}).content.decode()
    motors = newest(Cooperation.objects.filter(title__contains="电机"))
    assert options(found) == [(str(c.pk), label(c)) for c in motors]
    assert motors
    # the chosen ones come back first and selected, whatever is searched
    found = client.get(
        url,
        {"field": "cooperations", "cooperations": [str(c.pk) for c in two], "search": "电机"},
    ).content.decode()
    assert chosen(found) == [
        label(c) for c in newest(Cooperation.objects.filter(pk__in=[c.pk for c in two]))
    ]
    assert options(found)[2:] == [
        (str(c.pk), label(c)) for c in motors if c.pk not in {t.pk for t in two}
    ]
    # a form sent with them keeps them chosen, and saves them
    form = {
        "kind": "delegation",
        "title": "赴西北农林科技大学对接",
        "date": "2026-10-12",
        "organizer_unit": str(Unit.objects.get(name="永济市省校合作办公室").pk),
        "universities": "西农",
        "cooperations": [str(c.pk) for c in two],
    }
    response = client.post(reverse("cooperation:activity_create"), form)
    assert response.status_code == 302
    activity = Activity.objects.get(title="赴西北农林科技大学对接")
    assert sorted(activity.cooperations.values_list("pk", flat=True)) == sorted(c.pk for c in two)
    html = client.get(
        reverse("cooperation:activity_edit", kwargs={"pk": activity.pk})
    ).content.decode()
    assert chosen(select(html, "cooperations")) == [
        label(c) for c in newest(Cooperation.objects.filter(pk__in=[c.pk for c in two]))
    ]


def test_only_the_users_cooperations_are_offered(demo_db: Demo) -> None:
    url = reverse("cooperation:cooperation_options")
    town = demo_db.client("town")
    mine = newest(cooperation_qs(demo_db.users["town"]))
    html = town.get(url, {"field": "cooperation"}).content.decode()
    assert options(html) == [(str(c.pk), label(c)) for c in mine]
    other = Cooperation.objects.exclude(pk__in=[c.pk for c in mine]).order_by("pk")[0]
    html = town.get(
        url, {"field": "cooperation", "cooperation": str(other.pk), "search": other.code}
    ).content.decode()
    assert html == '<option value="" disabled>没有匹配的合作</option>\n'
