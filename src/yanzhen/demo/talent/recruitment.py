"""The demo's recruitment: three campaigns, their positions, applicants and talents."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from yanzhen.benefits.eligibility import add_months
from yanzhen.core import integrity
from yanzhen.core.models import Unit
from yanzhen.demand.models import TalentNeed
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.common import (
    BACHELOR,
    DOCTOR,
    HRSS,
    MASTER,
    OFFICE,
    YEAR,
)
from yanzhen.demo.talent.people import People
from yanzhen.demo.yongji import ZONE
from yanzhen.reference.models import Discipline, University
from yanzhen.talent import services
from yanzhen.talent.models import (
    Applicant,
    ApplicantEvent,
    ApplicantStage,
    Campaign,
    Channel,
    ServiceAgreement,
    Talent,
    TalentType,
    WorkloadEntry,
)

# Recruitment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hire:
    """Hires of one position: the unit, the position, the talent type and the degrees."""

    unit: str
    title: str
    discipline: str
    masters: int
    bachelors: int = 0
    doctors: int = 0
    talent_type: str = TalentType.FULL_TIME
    extra_quota: int = 1

    @property
    def count(self) -> int:
        return self.doctors + self.masters + self.bachelors


@dataclass(frozen=True)
class CampaignSeed:
    name: str
    channel: str
    owner: str
    start: dt.date
    end: dt.date
    onboard: tuple[dt.date, dt.date]
    universities: tuple[str, ...]
    hires: tuple[Hire, ...]
    rejected: int
    withdrawn: int
    description: str


OPEN_UNIVERSITIES = (
    "山西大学", "太原理工大学", "中北大学", "山西农业大学", "山西师范大学", "山西财经大学",
    "陕西师范大学", "西北大学", "长安大学", "西安理工大学", "运城学院", "太原科技大学",
)  # fmt: skip
CAMPUS_UNIVERSITIES = (
    "西安交通大学", "西北工业大学", "西安电子科技大学", "太原理工大学", "中北大学",
    "长安大学", "华中科技大学", "西北农林科技大学", "江南大学", "山西农业大学",
)  # fmt: skip
FLEX_UNIVERSITIES = (
    "西安交通大学", "西北工业大学", "北京理工大学", "太原理工大学", "武汉大学", "中北大学",
)  # fmt: skip

CAMPAIGNS: tuple[CampaignSeed, ...] = (
    CampaignSeed(
        "2021年永济市事业单位公开招聘高层次人才", Channel.OPEN, HRSS,
        dt.date(2021, 3, 1), dt.date(2021, 6, 30), (dt.date(2021, 7, 1), dt.date(2021, 8, 16)),
        OPEN_UNIVERSITIES,
        (
            Hire("永济市科学技术局", "科技成果转化管理岗", "0812", 4),
            Hire("永济市工业和信息化局", "产业经济分析岗", "0808", 4, 1),
            Hire("永济市农业农村局", "农业技术推广岗", "0901", 5),
            Hire("永济市教育局", "教育教学研究岗", "0401", 5, 1),
            Hire("永济市卫生健康局", "公共卫生管理岗", "1002", 3),
            Hire("永济市人力资源和社会保障局", "人才服务岗", "1202", 3),
            Hire("永济市文化和旅游局", "文旅规划岗", "1202", 2, 1),
            Hire("永济市商务局", "电子商务管理岗", "0202", 3),
            Hire("永济市发展和改革局", "经济运行分析岗", "0202", 4),
            Hire("永济市林业局", "林果技术岗", "0901", 2),
            Hire("永济市乡村振兴局", "乡村规划岗", "0901", 2, 1),
            Hire(ZONE, "招商与产业服务岗", "1202", 5, 1),
            Hire("开张镇", "乡村振兴工作岗", "0901", 2),
            Hire("虞乡镇", "乡村振兴工作岗", "0901", 1),
            Hire("城西街道", "社区治理岗", "1202", 1, 1),
        ),
        rejected=16, withdrawn=4,
        description="面向全国招聘硕士研究生及以上学历人才，充实机关事业单位专业力量。",
    ),
    CampaignSeed(
        "2021年永济市柔性引才", Channel.FLEXIBLE, OFFICE,
        dt.date(2021, 1, 4), dt.date(2021, 12, 31), (dt.date(2021, 2, 15), dt.date(2021, 11, 30)),
        FLEX_UNIVERSITIES,
        (
            Hire("中车永济电机有限公司", "牵引电机技术顾问", "0808", 3, talent_type=TalentType.FLEXIBLE),
            Hire("永济市贝特电气机械有限公司", "电机设计技术顾问", "0808", 1, 1, talent_type=TalentType.FLEXIBLE),
            Hire("山西阳煤千军汽车部件有限责任公司", "轻量化技术顾问", "0802", 2, talent_type=TalentType.FLEXIBLE),
            Hire("山西久联宏远化工有限公司", "工艺优化技术顾问", "0817", 1, 1, talent_type=TalentType.FLEXIBLE),
            Hire("山西蓝科途新材料科技有限公司", "新材料首席专家", "0805", 2, talent_type=TalentType.FLEXIBLE),
            Hire("山西穿越光电科技有限公司", "光电器件技术顾问", "0810", 1, 1, talent_type=TalentType.FLEXIBLE),
            Hire("天鹰无人机科技有限公司", "飞控系统技术顾问", "0811", 1, talent_type=TalentType.FLEXIBLE),
            Hire("光府科技有限公司", "增材制造技术顾问", "0802", 1, 1, talent_type=TalentType.FLEXIBLE),
            Hire(ZONE, "北京理工大学项目团队", "0811", 4, 1, talent_type=TalentType.PROJECT_TEAM),
            Hire("光府科技有限公司", "工业3D打印项目团队", "0802", 2, 1, talent_type=TalentType.PROJECT_TEAM),
        ),
        rejected=3, withdrawn=1,
        description="以项目合作、技术顾问、项目团队等方式柔性引进专家人才，签订服务协议。",
    ),
    CampaignSeed(
        "2021年永济市重点企业校园招聘", Channel.CAMPUS, HRSS,
        dt.date(2021, 3, 15), dt.date(2021, 5, 31), (dt.date(2021, 7, 1), dt.date(2021, 7, 30)),
        CAMPUS_UNIVERSITIES,
        (
            Hire("中车永济电机有限公司", "牵引电机控制算法工程师", "0808", 6, 1, doctors=1),
            Hire("中车永济电机有限公司", "电机电磁设计工程师", "0808", 4, 2),
            Hire("永济市贝特电气机械有限公司", "电机电器产品结构设计工程师", "0802", 3, 1),
            Hire("山西阳煤千军汽车部件有限责任公司", "汽车零部件轻量化工程师", "0802", 3, 1),
            Hire("山西久联宏远化工有限公司", "精细化工合成工艺工程师", "0817", 3, 1),
            Hire("永济生物医药示范企业（演示）", "药物制剂研发工程师", "0710", 3),
            Hire("永济食品加工示范企业（演示）", "食品工艺工程师", "0832", 1, 1),
            Hire("永济纺织印染示范企业（演示）", "纺织材料研发工程师", "0805", 2),
            Hire("永济新能源示范企业（演示）", "储能系统工程师", "0808", 3),
            Hire("山西蓝科途新材料科技有限公司", "复合材料研发工程师", "0805", 2),
            Hire("山西穿越光电科技有限公司", "光电器件研发工程师", "0810", 2, 1),
            Hire("永济面食示范企业（演示）", "面食工艺研发员", "0832", 1, 1),
            Hire("山西长荣农业科技股份有限公司", "农业技术研发员", "0901", 2, 1),
            Hire("永济鲜枣果业示范企业（演示）", "果树栽培技术员", "0901", 2),
        ),
        rejected=9, withdrawn=3,
        description="赴西安、太原、武汉等地高校开展校园招聘，为重点企业引进应届毕业生。",
    ),
)  # fmt: skip

Step = tuple[str, str, dt.date, str]  # from stage, to stage, date, reason
REJECTIONS = (
    (ApplicantStage.APPLIED, "资格审查不通过：学历与岗位要求不符"),
    (ApplicantStage.SCREENED, "笔试成绩未进入面试"),
    (ApplicantStage.EXAMINED, "面试未通过"),
)
WITHDRAWAL = "本人放弃：已被其他单位录用"


def _dates(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(0, (end - start).days + 1))


def load_recruitment(
    result: DemoResult,
    units: dict[str, Unit],
    universities: dict[str, University],
    disciplines: dict[str, Discipline],
    people: People,
) -> list[Talent]:
    if Campaign.objects.filter(name=CAMPAIGNS[0].name).exists():
        return []
    rng = random.Random(131)
    talents: list[Talent] = []
    applicants: list[tuple[Applicant, list[Step]]] = []
    for seed in CAMPAIGNS:
        campaign = services.campaign_create(
            actor=None,
            name=seed.name,
            channel=seed.channel,
            owner_unit=units[seed.owner],
            year=YEAR,
            start_date=seed.start,
            end_date=seed.end,
            target_universities=[universities[u] for u in seed.universities],
            description=seed.description,
        )
        result.add("talent campaigns")
        positions = [
            services.position_create(
                actor=None,
                campaign=campaign,
                title=hire.title,
                unit=units[hire.unit],
                talent_type=hire.talent_type,
                quota=hire.count + hire.extra_quota,
                discipline=disciplines[hire.discipline],
                degree=BACHELOR if hire.bachelors else MASTER if hire.masters else DOCTOR,
                talent_need=TalentNeed.objects.filter(
                    enterprise=units[hire.unit], position=hire.title
                ).first(),
            )
            for hire in seed.hires
        ]
        for hire, position in zip(seed.hires, positions, strict=True):
            degrees = (
                [DOCTOR] * hire.doctors + [MASTER] * hire.masters + [BACHELOR] * hire.bachelors
            )
            for degree in degrees:
                university = universities[rng.choice(seed.universities)]
                born = (
                    (1975, 1988)
                    if hire.talent_type in (TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)
                    else (1993, 1998)
                )
                person = people.make(unit=position.unit, born=born, degree=degree)
                onboard = _dates(rng, *seed.onboard)
                applied = onboard - dt.timedelta(days=rng.randrange(40, 90))
                applied = min(seed.end, max(seed.start, applied))
                steps: list[Step] = [
                    ("", ApplicantStage.APPLIED, applied, "报名"),
                    (ApplicantStage.APPLIED, ApplicantStage.SCREENED, applied + dt.timedelta(days=7), ""),
                    (ApplicantStage.SCREENED, ApplicantStage.EXAMINED, applied + dt.timedelta(days=20), ""),
                    (ApplicantStage.EXAMINED, ApplicantStage.OFFERED, applied + dt.timedelta(days=30), "体检、考察合格，公示无异议"),
                    (ApplicantStage.OFFERED, ApplicantStage.ONBOARDED, onboard, "报到入职"),
                ]  # fmt: skip
                talent = Talent(
                    person=person,
                    talent_type=hire.talent_type,
                    degree=degree,
                    university=university,
                    discipline=disciplines[hire.discipline],
                    employer=position.unit,
                    channel=seed.channel,
                    campaign=campaign,
                    start_date=onboard,
                    end_date=dt.date(2023, onboard.month, min(onboard.day, 28))
                    if hire.talent_type in (TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)
                    else None,
                )
                talents.append(talent)
                applicant = Applicant(
                    campaign=campaign, position=position, person=person, university=university,
                    degree=degree, discipline=disciplines[hire.discipline],
                    stage=ApplicantStage.ONBOARDED, stage_date=onboard, applied_on=applied,
                )  # fmt: skip
                applicants.append((applicant, steps))
        for index in range(seed.rejected + seed.withdrawn):
            position = positions[index % len(positions)]
            hire = seed.hires[index % len(seed.hires)]
            degree = BACHELOR if index % 3 == 0 else MASTER
            person = people.make(unit=position.unit, born=(1993, 1998), degree=degree)
            applied = _dates(rng, seed.start, seed.end - dt.timedelta(days=45))
            if index < seed.rejected:
                at, reason = REJECTIONS[index % len(REJECTIONS)]
                chain = list(ApplicantStage)[: list(ApplicantStage).index(at) + 1]
                final = ApplicantStage.REJECTED
            else:
                chain = list(ApplicantStage)[:4]
                reason = WITHDRAWAL
                final = ApplicantStage.WITHDRAWN
            steps = [("", ApplicantStage.APPLIED, applied, "报名")]
            day = applied
            for before, after in itertools.pairwise(chain):
                day += dt.timedelta(days=10)
                steps.append((before, after, day, ""))
            day += dt.timedelta(days=5)
            steps.append((chain[-1], final, day, reason))
            applicants.append(
                (
                    Applicant(
                        campaign=campaign, position=position, person=person,
                        university=universities[rng.choice(seed.universities)], degree=degree,
                        discipline=disciplines[hire.discipline], stage=final, stage_date=day,
                        stage_reason=reason, applied_on=applied,
                    ),
                    steps,
                )
            )  # fmt: skip
    result.add("people", people.save())
    for talent in talents:
        talent.person_id = talent.person.pk
    bulk_create_with_history(talents, Talent, default_date=None)
    result.add("talents", len(talents))
    onboarded = iter(talents)
    for applicant, _steps in applicants:
        applicant.person_id = applicant.person.pk
        if applicant.stage == ApplicantStage.ONBOARDED:
            applicant.talent = next(onboarded)
    Applicant.objects.bulk_create([a for a, _ in applicants])
    ApplicantEvent.objects.bulk_create(
        ApplicantEvent(applicant=a, from_stage=f, to_stage=t, date=d, reason=r)
        for a, steps in applicants
        for f, t, d, r in steps
    )
    result.add("talent applicants", len(applicants))
    _agreements(
        [t for t in talents if t.talent_type in (TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)]
    )
    return talents


def _agreements(experts: list[Talent]) -> None:
    rng = random.Random(24)
    agreements = []
    for talent in experts:
        days = Decimal(rng.choice((30, 40, 60)))
        agreements.append(
            ServiceAgreement(
                talent=talent,
                title=f"{talent.employer.label}与{talent.person.name}柔性引才服务协议",
                signed_on=talent.start_date - dt.timedelta(days=5),
                start_date=talent.start_date,
                end_date=talent.end_date or add_months(talent.start_date, 24),
                days_per_year=days,
                remuneration=Decimal(rng.choice((5, 8, 10, 12))),
                content="技术攻关、人才培养和项目申报指导。",
            )
        )
    ServiceAgreement.objects.bulk_create(agreements)
    integrity.seal(*agreements)
    entries = []
    for agreement in agreements:
        day = agreement.start_date + dt.timedelta(days=10)
        while day <= dt.date(2021, 12, 20):
            entries.append(
                WorkloadEntry(agreement=agreement, date=day, days=Decimal(rng.choice((2, 3, 5))),
                              content=rng.choice(("现场技术指导", "联合攻关研讨", "青年技术人员培训")))
            )  # fmt: skip
            day += dt.timedelta(days=rng.choice((30, 45, 60)))
    WorkloadEntry.objects.bulk_create(entries)
