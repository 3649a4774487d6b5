"""The demo's placement programmes, allocated by the engine, and the interns."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from yanzhen.core.models import Unit
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.common import (
    BACHELOR,
    MASTER,
    OFFICE,
    YEAR,
)
from yanzhen.demo.talent.people import People
from yanzhen.demo.yongji import ZONE
from yanzhen.placement import services
from yanzhen.placement.models import (
    HostFeedback,
    HostRanking,
    InternLog,
    Internship,
    InternshipStatus,
    PlacementApplicant,
    Preference,
    Programme,
    ProgrammeKind,
)
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models import Talent

# Placement programmes ------------------------------------------------------------------------

INTERN_UNIVERSITIES = (
    ("陕西师范大学", 15), ("西安电子科技大学", 12), ("苏州大学", 10), ("四川大学", 9),
    ("上海理工大学", 8), ("运城学院", 6), ("山西大学", 5), ("太原理工大学", 4),
)  # fmt: skip
INTERN_HOSTS = (
    ("中共永济市委组织部", 4), ("永济市科学技术局", 3), ("永济市工业和信息化局", 4),
    ("永济市农业农村局", 4), ("永济市教育局", 5), ("永济市卫生健康局", 3),
    ("永济市人力资源和社会保障局", 3), ("永济市文化和旅游局", 4), ("城西街道", 4),
    ("城北街道", 3), ("城东街道", 3), ("虞乡镇", 4), ("卿头镇", 3), ("开张镇", 5),
    ("栲栳镇", 3), ("蒲州镇", 4), ("韩阳镇", 3), ("张营镇", 3), (ZONE, 6),
)  # fmt: skip
SELECTED_HOSTS = (
    ("城西街道", 1), ("虞乡镇", 2), ("开张镇", 2), ("蒲州镇", 1), ("张营镇", 1),
    ("东开张村", 1), ("虞乡村", 1), ("蒲州村", 1),
)  # fmt: skip
SELECTED_UNIVERSITIES = ("山西大学", "太原理工大学", "山西师范大学", "中北大学", "山西财经大学")
MEDICAL = (("永济市人民医院", 4, "1002"), ("永济市中医医院", 3, "1005"))


@dataclass(frozen=True)
class ProgrammeSeed:
    name: str
    kind: str
    owner: str
    start: dt.date
    end: dt.date | None
    hosts: tuple[tuple[str, int], ...]
    universities: tuple[tuple[str, int], ...]
    choices: int
    degrees: tuple[str, ...]
    prefix: str
    description: str


PROGRAMMES = (
    ProgrammeSeed(
        "2021年选调生分配", ProgrammeKind.SELECTED_GRADUATE, OFFICE,
        dt.date(2021, 8, 2), None, SELECTED_HOSTS,
        tuple((u, 2 if i < 3 else 1) for i, u in enumerate(SELECTED_UNIVERSITIES)), 4,
        (MASTER,) * 5 + (BACHELOR,) * 3, "XD2021-",
        "省委组织部选调的8名优秀高校毕业生，全部分配到镇（街道）和村任职锻炼。",
    ),
    ProgrammeSeed(
        "2021年医学毕业生分配", ProgrammeKind.MEDICAL_GRADUATE, "永济市卫生健康局",
        dt.date(2021, 8, 16), None, tuple((h, c) for h, c, _ in MEDICAL),
        (("山西医科大学", 4), ("山西中医药大学", 3)), 2,
        (MASTER,) * 5 + (BACHELOR,) * 2, "YX2021-",
        "校园招聘的7名医学毕业生，按志愿和医院评分分配到市人民医院和市中医医院。",
    ),
    ProgrammeSeed(
        "2021年大学生暑期实习实训", ProgrammeKind.INTERN, OFFICE,
        dt.date(2021, 7, 5), dt.date(2021, 8, 27), INTERN_HOSTS, INTERN_UNIVERSITIES, 6,
        (MASTER,) * 20 + (BACHELOR,) * 49, "SX2021-",
        "69名在校大学生到机关、镇（街道）和开发区19个单位实习实训，按双方志愿由系统分配。",
    ),
)  # fmt: skip
INTERN_DISCIPLINES = ("0812", "0202", "0401", "1202", "0901", "0808", "0810", "0832")


def load_programmes(
    result: DemoResult,
    units: dict[str, Unit],
    universities: dict[str, University],
    disciplines: dict[str, Discipline],
    people: People,
) -> list[Talent]:
    if Programme.objects.filter(name=PROGRAMMES[0].name).exists():
        return []
    rng = random.Random(69)
    created: list[Talent] = []
    for seed in PROGRAMMES:
        programme = services.programme_create(
            actor=None, name=seed.name, kind=seed.kind,
            owner_unit=units[seed.owner], year=YEAR, start_date=seed.start,
            end_date=seed.end, description=seed.description,
        )  # fmt: skip
        hosts = [
            services.host_create(
                actor=None, programme=programme, unit=units[name], capacity=capacity
            )
            for name, capacity in seed.hosts
        ]
        names = [u for u, n in seed.universities for _ in range(n)]
        applicants = []
        for index, (university, degree) in enumerate(zip(names, seed.degrees, strict=True)):
            person = people.make(unit=units[seed.owner], born=(1996, 2001), degree=degree)
            if seed.kind == ProgrammeKind.MEDICAL_GRADUATE:
                code = MEDICAL[index % 2][2]
            else:
                code = INTERN_DISCIPLINES[index % len(INTERN_DISCIPLINES)]
            applicants.append(
                PlacementApplicant(
                    programme=programme, code=f"{seed.prefix}{index + 1:03d}", person=person,
                    university=universities[university], discipline=disciplines[code],
                    degree=degree,
                )
            )  # fmt: skip
        result.add("people", people.save())
        for applicant in applicants:
            applicant.person_id = applicant.person.pk
        PlacementApplicant.objects.bulk_create(applicants)
        preferences = []
        listed: dict[int, list[PlacementApplicant]] = {h.pk: [] for h in hosts}
        for applicant in applicants:
            order = list(hosts)
            rng.shuffle(order)
            for rank, host in enumerate(order[: seed.choices], start=1):
                preferences.append(Preference(applicant=applicant, host=host, rank=rank))
                listed[host.pk].append(applicant)
        Preference.objects.bulk_create(preferences)
        rankings = [
            HostRanking(
                host=host,
                applicant=applicant,
                score=Decimal(rng.randrange(600, 1000)) / 10,
                basis="专业匹配度与面试",
            )
            for host in hosts
            for applicant in listed[host.pk]
        ]
        HostRanking.objects.bulk_create(rankings)
        services.programme_allocate(actor=None, programme=programme)
        created += services.programme_confirm(actor=None, programme=programme)
        result.add("talent programmes")
    result.add("talents", len(created))
    _interns(created)
    return created


def _interns(talents: list[Talent]) -> None:
    """Logs and hosts' feedback for every intern; five hired after the internship."""
    rng = random.Random(2021)
    internships = list(
        Internship.objects.filter(talent__in=talents)
        .select_related("talent__person")
        .order_by("pk")
    )
    logs: list[InternLog] = []
    feedback = []
    for internship in internships:
        logs.extend(
            InternLog(
                internship=internship,
                date=internship.start_date + dt.timedelta(days=7 * week + 3),
                hours=Decimal(rng.choice((6, 7, 8))),
                content=rng.choice(
                    ("整理调研资料", "参与项目申报", "协助基层走访", "撰写工作简报")
                ),
            )
            for week in range(2)
        )
        feedback.append(
            HostFeedback(
                internship=internship, date=dt.date(2021, 8, 26), score=rng.choice((4, 4, 5, 5, 3)),
                comment="工作认真，学习能力强", recommend_hire=False,
            )
        )  # fmt: skip
    InternLog.objects.bulk_create(logs)
    for item in feedback[:5]:
        item.recommend_hire = True
        item.score = 5
    HostFeedback.objects.bulk_create(feedback)
    for internship in internships[:5]:
        services.internship_move(
            actor=None,
            internship=internship,
            target=InternshipStatus.HIRED,
            date=dt.date(2021, 9, 1),
            note="实习表现优秀，毕业后留用",
        )
    Internship.objects.filter(pk__in=[i.pk for i in internships[5:]]).update(
        status=InternshipStatus.COMPLETED
    )
