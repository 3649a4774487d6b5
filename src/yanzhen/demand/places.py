"""Where universities are, roughly, and how far from the county (great-circle distance).

Coordinates come from ``data/places.csv``: provincial capitals, common university cities and
the demo county. A university is placed at its city (所在地) when the file has it, else at its
province's capital; a place we do not know gives no distance (never a guessed one). The home
place is ``settings.YANZHEN_HOME_COUNTY`` (default 永济市).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from yanzhen.core import counties
from yanzhen.core.models import Unit

PLACES_CSV = Path(__file__).resolve().parent / "data" / "places.csv"
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    name: str
    province: str
    lat: float
    lon: float
    capital: bool


@cache
def places() -> dict[str, Place]:
    lines = PLACES_CSV.read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return {
        row["name"]: Place(
            row["name"],
            row["province"],
            float(row["lat"]),
            float(row["lon"]),
            row["capital"] == "1",
        )
        for row in rows
    }


@cache
def capitals() -> dict[str, Place]:
    return {p.province: p for p in places().values() if p.capital}


def home_place() -> Place | None:
    return places().get(getattr(settings, "YANZHEN_HOME_COUNTY", "永济市"))


def home_province(unit: Unit | None = None) -> str:
    """The province ``unit``'s county prefers (its settings), else the platform's."""
    return counties.home_province(unit)


def locate(city: str, province: str) -> Place | None:
    """The place of a university in ``city`` (所在地) of ``province``."""
    known = places()
    for name in (city, f"{city}市" if city and not city.endswith("市") else ""):
        if name and name in known:
            return known[name]
    return capitals().get(province)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine), in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_from_home(city: str, province: str) -> float | None:
    home = home_place()
    place = locate(city, province)
    if home is None or place is None:
        return None
    return distance_km(home, place)
