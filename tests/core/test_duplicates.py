"""An ID number typed by a unit that is registered outside its data scope: the unit gets the
answer for a new number (nothing tells it of the other record), the new record is kept apart,
and the county office is notified and resolves the pair (merge, or keep both)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import Demo
from tests.pii import personal_data_in
from yanzhen.audit.models import AccessLog
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DuplicateStatus, Person, PersonDuplicate, Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import person_create, person_duplicate_resolve, person_update
from yanzhen.notifications.models import Notification
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")
FRESH = "140881199001011232"  # a valid number nobody holds


def elsewhere(username: str = "town") -> Person:
    """A person with an ID number, outside the user's scope."""
    user = User.objects.get(username=username)
    person = (
        Person.objects.exclude(id_number="")
        .exclude(unit__in=scope_of(user).units())
        .order_by("pk")
        .first()
    )
    assert person is not None
    return person


def snapshot(person: Person) -> tuple[object, ...]:
    fresh = Person.all_objects.get(pk=person.pk)
    return (fresh.name, fresh.unit_id, fresh.id_number, fresh.mobile, fresh.version,
            fresh.deleted_at, fresh.id_duplicate)  # fmt: skip


def test_a_town_typing_a_number_registered_elsewhere_gets_the_answer_for_a_new_one(
    demo_db: Demo,
) -> None:
    other = elsewhere()
    before = snapshot(other)
    village = Unit.objects.get(name="东开张村")
    town = demo_db.client("town")
    url = reverse("core:person_new")
    new = town.post(url, {"name": "李新", "unit": village.pk, "id_number": FRESH})
    dup = town.post(url, {"name": "王重", "unit": village.pk, "id_number": other.id_number})
    first = Person.objects.get(name="李新")
    second = Person.objects.get(name="王重")
    # The same answer: a redirect to the new person's page, with the same message.
    assert (new.status_code, new["Location"]) == (302, f"/people/{first.pk}/")
    assert (dup.status_code, dup["Location"]) == (302, f"/people/{second.pk}/")
    page = town.get(dup["Location"]).content.decode()
    assert "已新增人员“王重”" in page
    assert (other.name in page, "重复" in page, "已登记" in page) == (False, False, False)
    # Kept apart: its own record, the other untouched and still out of the town's sight.
    assert (second.unit_id, second.id_number, second.id_duplicate) == (
        village.pk, other.id_number, True,
    )  # fmt: skip
    assert (first.id_duplicate, snapshot(other)) == (False, before)
    listed = town.get(reverse("core:person_list"), {"q": other.id_number}).content.decode()
    assert ("王重" in listed, other.name in listed) == (True, False)
    assert town.get(reverse("core:person_detail", args=[other.pk])).status_code == 404
    # The office's members are told (once each), the town is not; no ID number in the message.
    pair = PersonDuplicate.objects.get(person=second)
    assert (pair.existing_id, pair.status) == (other.pk, DuplicateStatus.OPEN)
    notes = list(
        Notification.objects.filter(kind="person.duplicate").order_by("recipient__username")
    )
    assert [(n.recipient.username, n.title, n.url) for n in notes] == [
        (who, "人员身份证号重复待处理：东开张村登记的“王重”", "/people/duplicates/")
        for who in ("office", "reviewer")
    ]
    assert personal_data_in(notes[0].body) == []


def test_the_talent_api_answers_as_for_a_new_number_too(demo_db: Demo) -> None:
    other = elsewhere()
    before = snapshot(other)
    body = {
        "name": "赵新", "id_number": other.id_number, "mobile": "13912340000",
        "talent_type": "full_time", "employer_id": Unit.objects.get(name="开张镇").pk,
        "channel": "open", "start_date": "2021-09-01",
    }  # fmt: skip
    response = demo_db.client("town").post(
        reverse("api:talent_create_talent"), body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    talent = Talent.objects.get(pk=response.json()["id"])
    assert (talent.person.name, talent.person.id_duplicate) == ("赵新", True)
    assert talent.person_id != other.pk
    assert snapshot(other) == before
    assert PersonDuplicate.objects.filter(person=talent.person, existing=other).count() == 1


def test_a_number_in_the_own_scope_is_still_named(demo_db: Demo) -> None:
    mine = Person.objects.filter(unit__name="开张镇").exclude(id_number="").order_by("pk")[0]
    count = Person.objects.count()
    response = demo_db.client("town").post(
        reverse("core:person_new"),
        {"name": "张同", "unit": mine.unit_id, "id_number": mine.id_number},
    )
    assert response.status_code == 200
    assert "该身份证号已登记在其他人员名下" in response.content.decode()
    assert (Person.objects.count(), PersonDuplicate.objects.count()) == (count, 0)


def file_duplicate(demo: Demo) -> PersonDuplicate:
    other = elsewhere()
    person = person_create(
        actor=demo.users["town"], name="周复", unit=Unit.objects.get(name="东开张村"),
        id_number=other.id_number, mobile="13912341234", title="工程师",
    )  # fmt: skip
    return PersonDuplicate.objects.get(person=person)


def test_the_office_lists_and_merges_a_pair(demo_db: Demo) -> None:
    pair = file_duplicate(demo_db)
    new, other = pair.person, pair.existing
    talent = Talent.objects.create(
        person=new, talent_type="full_time", employer=new.unit, channel="open",
        start_date=dt.date(2021, 9, 1),
    )  # fmt: skip
    office = demo_db.client("office")
    listed = office.get(reverse("core:duplicate_list")).content.decode()
    assert ("周复" in listed, other.name in listed) == (True, True)
    url = reverse("core:duplicate_detail", args=[pair.pk])
    before = AccessLog.objects.count()
    page = office.get(url).content.decode()
    assert personal_data_in(page) == []
    assert AccessLog.objects.count() == before + 1
    response = office.post(url, {"action": "merge", "note": "同一人"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.resolved_by == demo_db.users["office"]
    assert (pair.status, pair.note) == ("merged", "同一人")
    talent.refresh_from_db()
    assert talent.person_id == other.pk
    merged = Person.all_objects.get(pk=new.pk)
    assert merged.deleted_at is not None
    kept = Person.objects.get(pk=other.pk)
    assert (kept.name, kept.unit_id) == (other.name, other.unit_id)
    assert (kept.title, kept.mobile) == (other.title or "工程师", other.mobile or "13912341234")
    reason = merged.history.order_by("-history_id").values_list("history_change_reason")[0][0]
    assert reason == f"合并重复人员（编号 {new.pk} 并入 {other.pk}）"
    # After the retention period the merged record is purged for good, its pair with it.
    call_command("purge_deleted", days=0, stdout=io.StringIO())
    assert Person.all_objects.filter(pk=new.pk).exists() is False
    assert PersonDuplicate.objects.filter(pk=pair.pk).exists() is False


def test_the_office_keeps_both(demo_db: Demo) -> None:
    pair = file_duplicate(demo_db)
    office = demo_db.client("office")
    url = reverse("core:duplicate_detail", args=[pair.pk])
    assert office.post(url, {"action": "keep"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == "kept"
    new = Person.objects.get(pk=pair.person_id)
    assert (new.deleted_at, new.id_duplicate) == (None, True)
    # A second decision on the same pair is refused, nothing changed.
    with pytest.raises(DomainError) as caught:
        person_duplicate_resolve(actor=demo_db.users["office"], pair=pair, action="merge")
    assert caught.value.message == "该重复记录已处理"
    assert Person.objects.filter(pk=pair.person_id).exists()


def test_both_records_of_a_pair_stay_editable(demo_db: Demo) -> None:
    pair = file_duplicate(demo_db)
    person_duplicate_resolve(actor=demo_db.users["office"], pair=pair, action="keep")
    new, other = pair.person, pair.existing
    person_update(actor=demo_db.users["office"], person=other, position="教授")
    person_update(actor=demo_db.users["town"], person=new, position="镇人才专干")
    assert Person.objects.get(pk=other.pk).position == "教授"
    assert Person.objects.get(pk=new.pk).position == "镇人才专干"
    pair.refresh_from_db()
    assert pair.status == "kept"  # an edit that keeps the number reopens nothing
    assert Notification.objects.filter(kind="person.duplicate").count() == 2  # office, reviewer
    # Corrected to a number of its own, the kept record is no longer apart.
    person_update(actor=demo_db.users["town"], person=new, id_number=FRESH)
    assert Person.objects.get(pk=new.pk).id_duplicate is False


def test_a_merge_that_would_clash_is_refused_and_changes_nothing(demo_db: Demo) -> None:
    pair = file_duplicate(demo_db)
    start = dt.date(2021, 9, 1)
    for person in (pair.person, pair.existing):
        Talent.objects.create(person=person, talent_type="full_time", employer=person.unit,
                              channel="open", start_date=start)  # fmt: skip
    with pytest.raises(DomainError) as caught:
        person_duplicate_resolve(actor=demo_db.users["office"], pair=pair, action="merge")
    assert caught.value.code == "merge_conflict"
    pair.refresh_from_db()
    assert pair.status == "open"
    assert Talent.objects.filter(person=pair.person).count() == 1
    assert Person.objects.filter(pk=pair.person_id).exists()


def test_only_resolvers_in_scope_reach_the_pairs(demo_db: Demo) -> None:
    pair = file_duplicate(demo_db)
    url = reverse("core:duplicate_detail", args=[pair.pk])
    for username in ("town", "leader", "base", "sysadmin"):
        client = demo_db.client(username)
        assert client.get(reverse("core:duplicate_list")).status_code == 403, username
        assert client.post(url, {"action": "merge"}).status_code == 403, username
    pair.refresh_from_db()
    assert pair.status == "open"
