"""Fictional people for the talent demo: generated names, valid ID numbers, mobiles."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

import datetime as dt
import random

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.models import Person, Unit
from yanzhen.demo.yongji import SURNAMES
from yanzhen.engines.idcard import check_digit

# Fictional people ----------------------------------------------------------------------------

GIVEN = (
    "子豪", "梓涵", "浩宇", "欣怡", "宇轩", "雨萱", "博文", "诗涵", "俊熙", "可馨", "一鸣",
    "思远", "佳怡", "泽宇", "雅琪", "天佑", "梦瑶", "嘉懿", "文轩", "若曦", "明哲", "心怡",
    "晨曦", "子墨", "思琪", "志远", "婉清", "锦程", "书瑶", "鹏程", "慧琳", "昊然", "语桐",
    "晓彤", "睿哲", "静雯", "宏宇", "紫萱", "家豪", "佳琪", "立峰", "雪莹", "振宇", "美琳",
    "国强", "秀兰", "建军", "丽华", "海涛", "春燕",
)  # fmt: skip
# Address codes (GB/T 2260) of fictional people's birthplaces.
REGIONS = ("140881", "140802", "140105", "610113", "320506", "510107", "310110", "410105")


class People:
    """Generates people (unsaved) with unique names and ID numbers; ``save`` bulk-creates."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.names = set(Person.objects.values_list("name", flat=True))
        # ID numbers are encrypted at rest: compare their keyed hashes.
        self.ids = set(
            Person.objects.exclude(id_number_hash="").values_list("id_number_hash", flat=True)
        )
        self.pending: list[Person] = []

    def name(self) -> str:
        for _ in range(10_000):
            name = self.random.choice(SURNAMES) + self.random.choice(GIVEN)
            if name not in self.names:
                self.names.add(name)
                return name
        raise AssertionError("ran out of fictional names")

    def make(self, *, unit: Unit, born: tuple[int, int], degree: str = "") -> Person:
        while True:
            birth = dt.date(born[0], 1, 1) + dt.timedelta(
                days=self.random.randrange(0, 365 * (born[1] - born[0] + 1))
            )
            first17 = (
                f"{self.random.choice(REGIONS)}{birth:%Y%m%d}{self.random.randrange(1, 999):03d}"
            )
            number = first17 + check_digit(first17)
            digest = keyed_hash(number)
            if digest not in self.ids:
                self.ids.add(digest)
                break
        person = Person(
            name=self.name(),
            gender="M" if int(number[16]) % 2 else "F",
            id_number=number,
            id_number_hash=digest,
            mobile=f"1{self.random.choice('3589')}{self.random.randrange(0, 10**9):09d}",
            degree=degree,
            unit=unit,
        )
        self.pending.append(person)
        return person

    def save(self) -> int:
        created = Person.objects.bulk_create(self.pending)
        self.pending = []
        return len(created)
