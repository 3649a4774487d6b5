"""N rows of the 云对接会's lists in the scope of a user of ``unit`` (a county): events of the
county, each with a slot, a room and a registered party (the counts per row)."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.core.models import Unit, User
from yanzhen.portal.event_models import EventParty, EventRoom, EventSlot, MatchEvent

_serial = itertools.count(1)


def events(n: int, unit: Unit) -> dict[str, str]:
    creator = User.objects.order_by("pk").first()
    assert creator is not None
    for _ in range(n):
        k = next(_serial)
        event = MatchEvent.objects.create(
            title=f"云对接会{k}",
            county=unit,
            organiser=unit,
            date=dt.date(2021, 6, 1) + dt.timedelta(days=k % 200),
            created_by=creator,
        )
        EventSlot.objects.create(event=event, position=0, label="10:00")
        EventRoom.objects.create(
            event=event, position=0, name="一号室", video_url="https://meeting.example.cn/1"
        )
        EventParty.objects.create(
            event=event, kind="enterprise", unit=unit, name=unit.name, registered_by=creator
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "portal:event_list": events,
    "portal:events": events,
    "api:list_events": events,
}
