"""The demand map of the Yongji demo: two needs surveys of 2021, the needs of the demo
enterprises (the real pairs of the case among them) and fictional experts at the demo
universities. The supply side the needs are matched against is the national lists the demo
loads first (every university's 4th-round grades and 双一流 disciplines). Idempotent: a second
run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import Unit
from yanzhen.demand import services
from yanzhen.demand.disciplines import discipline_terms
from yanzhen.demand.models import (
    CampaignTarget,
    Expert,
    HeldRow,
    ImportKind,
    NeedDegree,
    NeedSource,
    SurveyCampaign,
    TalentNeed,
    Urgency,
)
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.reference.matching import UniversityMatcher
from yanzhen.reference.models import Discipline, University

H1 = "2021年上半年产业人才需求调查"
H2 = "2021年下半年产业人才需求调查"
CAMPAIGNS = (
    (
        H1,
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 31),
        "摸清重点产业一季度人才缺口，为赴高校对接做准备。",
    ),
    (H2, dt.date(2021, 9, 1), dt.date(2021, 9, 30), "更新各企业人才需求，形成“按图索骥”对接清单。"),
)  # fmt: skip  (the first one is closed once everyone has answered)
# Units that have not answered the second survey (to be reminded), and one that had no needs.
PENDING = ("永济新能源示范企业（演示）", "永济文旅示范企业（演示）", "永济电机配套示范企业（演示）")
NO_NEEDS = ("永济中药材示范企业（演示）",)


@dataclass(frozen=True)
class NeedSpec:
    enterprise: str
    campaign: str  # H1, H2 or "" (filed outside a survey)
    position: str
    disciplines: tuple[str, ...]
    degree: str
    number: int
    urgency: str
    salary: tuple[int, int] | None
    description: str
    majors: str = ""
    deadline: dt.date | None = None


ZC = "中车永济电机有限公司"
U, N, R = Urgency.URGENT, Urgency.NORMAL, Urgency.RESERVE
D, M, B, A, ANY = (
    NeedDegree.DOCTOR, NeedDegree.MASTER, NeedDegree.BACHELOR, NeedDegree.ASSOCIATE, NeedDegree.ANY,
)  # fmt: skip

NEEDS: tuple[NeedSpec, ...] = (
    # 电机电器与轨道交通装备
    NeedSpec(ZC, H2, "牵引电机控制算法工程师", ("0808", "0811"), M, 3, U, (18, 30),
             "从事轨道交通牵引电机控制与牵引变流器控制算法研发：永磁同步牵引电机矢量控制、"
             "直接转矩控制、变流器软件开发与试验。", "电气工程、控制工程", dt.date(2022, 3, 31)),
    NeedSpec(ZC, H1, "轨道交通智能监控终端软件工程师", ("0810", "0812"), M, 2, N, (15, 25),
             "研发轨道交通车载智能监控终端，负责状态监测、故障诊断软件和数据平台。",
             "信息与通信工程、计算机科学与技术", dt.date(2021, 12, 31)),
    NeedSpec(ZC, H1, "电机电磁设计工程师", ("0808",), M, 2, N, (15, 24),
             "牵引电机、风力发电机电磁设计与温升、振动噪声仿真计算。", "电机与电器"),
    NeedSpec("永济市贝特电气机械有限公司", H2, "电机电器产品结构设计工程师", ("0802",), B, 2, N,
             (10, 16), "电机电器产品结构设计、振动与噪声测试、可靠性试验。", "机械设计制造及其自动化"),
    NeedSpec("永济电机配套示范企业（演示）", H1, "数控加工工艺员", ("0802",), A, 4, N, (6, 9),
             "电机配套零部件数控加工、工装夹具设计与精密加工。", "数控技术"),
    # 汽车零部件
    NeedSpec("山西阳煤千军汽车部件有限责任公司", H2, "汽车零部件轻量化工程师", ("0802", "0805"), M, 2, U,
             (14, 22), "开展汽车零部件轻量化设计，铝合金、镁合金精密成形与铸造工艺研发。",
             "车辆工程、材料成型及控制工程", dt.date(2022, 6, 30)),
    NeedSpec("山西阳煤千军汽车部件有限责任公司", H1, "汽车制动系统测试工程师", ("0802",), B, 2, N,
             (8, 12), "制动系统台架试验与数据分析。", "车辆工程"),
    # 精细化工
    NeedSpec("山西久联宏远化工有限公司", H2, "精细化工合成工艺工程师", ("0817", "0904"), M, 2, U,
             (12, 20), "植物生长调节剂和农药中间体的合成工艺优化、中试放大与质量控制。",
             "化学工程与工艺、农药学", dt.date(2022, 3, 31)),
    NeedSpec("山西久联宏远化工有限公司", H1, "智慧化工厂自动化工程师", ("0811", "0817"), B, 2, N,
             (10, 15), "智慧化工厂建设：DCS 过程控制、工业互联网平台和安全生产监测。", "自动化"),
    # 生物医药、食品
    NeedSpec("永济生物医药示范企业（演示）", H2, "药物制剂研发工程师", ("1007",), M, 2, N, (12, 18),
             "口服固体制剂处方工艺研究、药物分析与质量研究。", "药剂学、药物分析"),
    NeedSpec("永济食品加工示范企业（演示）", H1, "食品工艺工程师", ("0832",), B, 3, N, (8, 12),
             "果蔬保鲜与农产品深加工工艺、食品安全检测。", "食品科学与工程"),
    NeedSpec("永济食品加工示范企业（演示）", H2, "食品质量检测员", ("0832",), A, 3, R, (5, 7),
             "原料与成品理化、微生物检测。", "食品检测技术"),
    # 纺织印染
    NeedSpec("永济纺织印染示范企业（演示）", H2, "印染工艺工程师", ("0821",), B, 2, U, (10, 16),
             "活性染料印染工艺优化、数码印花工艺开发，印染废水节能减排改造。",
             "轻化工程（染整）", dt.date(2021, 12, 31)),
    NeedSpec("永济纺织印染示范企业（演示）", H1, "纺织材料研发工程师", ("0821",), M, 1, N, (12, 18),
             "功能性面料与纺织材料开发。", "纺织工程"),
    # 新能源、新材料、光电、无人机、增材制造
    NeedSpec("永济新能源示范企业（演示）", H1, "储能系统工程师", ("0807", "0808"), M, 2, N, (14, 22),
             "储能电站系统集成、锂电池热管理与电池管理系统开发。", "新能源科学与工程"),
    NeedSpec("山西蓝科途新材料科技有限公司", H2, "复合材料研发工程师", ("0805",), D, 1, U, (25, 40),
             "碳纤维复合材料与镁合金新材料研发，负责材料配方与成形工艺。", "材料科学与工程",
             dt.date(2022, 6, 30)),
    NeedSpec("山西蓝科途新材料科技有限公司", H1, "材料检测工程师", ("0805",), B, 2, N, (8, 12),
             "金属材料、复合材料力学性能与金相检测。", "材料科学与工程"),
    NeedSpec("山西穿越光电科技有限公司", H2, "光电器件研发工程师", ("0803", "0809"), M, 2, U,
             (15, 25), "半导体激光器与光电器件研发、光纤传感模块设计与封装测试。",
             "光电信息科学与工程", dt.date(2022, 3, 31)),
    NeedSpec("天鹰无人机科技有限公司", H2, "无人机飞控工程师", ("0825", "0811"), M, 3, U, (18, 28),
             "无人机飞行控制律设计、飞控软件开发与试飞，植保无人机系统集成。",
             "飞行器设计与工程、控制工程", dt.date(2022, 3, 31)),
    NeedSpec("光府科技有限公司", H2, "金属3D打印工艺工程师", ("0802", "0805"), M, 2, U, (16, 26),
             "工业3D打印（增材制造）工艺研发：激光选区熔化成形、金属粉末与后处理。",
             "机械工程、材料加工工程", dt.date(2022, 3, 31)),
    NeedSpec("光府科技有限公司", H1, "智能装备电气工程师", ("0811",), B, 2, N, (10, 15),
             "智能装备电气控制系统设计与调试。", "电气工程及其自动化"),
    # 农产品加工集群
    NeedSpec("永济面食示范企业（演示）", H2, "面食工艺技师", ("0832",), A, 5, N, (6, 9),
             "面食制作工艺与新产品开发，小麦精深加工和主食工业化生产。", "食品加工技术、中式面点"),
    NeedSpec("山西长荣农业科技股份有限公司", H2, "芦笋栽培技术员", ("0902", "0901"), B, 3, U, (8, 12),
             "芦笋设施栽培、水肥一体化和病虫害防治技术推广，带动农户种植。", "园艺、农学",
             dt.date(2022, 3, 1)),
    NeedSpec("山西长荣农业科技股份有限公司", H1, "芦笋深加工研发员", ("0832",), M, 1, N, (10, 15),
             "芦笋罐头、芦笋饮品等深加工产品研发。", "食品科学与工程"),
    NeedSpec("永济鲜枣果业示范企业（演示）", H2, "鲜食枣设施栽培技术员", ("0902",), B, 2, U, (8, 12),
             "鲜食枣（冬枣）高效设施栽培、枣树整形修剪与病虫害防治。", "园艺、果树学",
             dt.date(2022, 3, 1)),
    NeedSpec("永济中药材示范企业（演示）", H1, "中药材种植技术员", ("1008", "0902"), B, 2, N, (7, 10),
             "中药材规范化种植与道地药材质量管理。", "中药资源与开发"),
    # 文化旅游
    NeedSpec("永济文旅示范企业（演示）", H1, "文旅策划运营专员", ("1202", "0833"), B, 2, N, (8, 12),
             "全域旅游规划、文创产品开发与文旅品牌运营推广。", "旅游管理、城乡规划"),
    # 医疗（在调查之外由办公室代为录入）
    NeedSpec("永济市人民医院", "", "临床医师", ("1002",), M, 4, U, (15, 22),
             "全科医学、急诊和内科临床医师。", "临床医学", dt.date(2021, 12, 31)),
)  # fmt: skip


@dataclass(frozen=True)
class ExpertSpec:
    university: str
    disciplines: tuple[str, ...]
    title: str
    directions: str
    department: str = ""
    honours: str = ""
    projects: tuple[str, ...] = ()  # titles of the case's cooperations


EXPERTS: tuple[ExpertSpec, ...] = (
    ExpertSpec("西安交通大学", ("0808", "0811"), "教授", "牵引电机控制、电力电子变流技术、永磁同步电机矢量控制",
               "电气工程学院", "博士生导师", ("牵引电机控制技术联合研发",)),
    ExpertSpec("西安交通大学", ("0802", "0805"), "教授", "金属增材制造、激光选区熔化、3D打印工艺与装备",
               "机械工程学院", "博士生导师", ("增材制造专家团队",)),
    ExpertSpec("西安交通大学", ("0807",), "副教授", "储能系统、锂电池热管理、新能源热利用", "能源与动力工程学院"),
    ExpertSpec("清华大学", ("0811", "0810"), "研究员", "轨道交通智能监控、车载终端、故障诊断与状态监测",
               "自动化系", "", ("轨道交通智能监控终端研制",)),
    ExpertSpec("西北工业大学", ("0825", "0811"), "教授", "无人机系统、飞行控制、导航与制导",
               "航空学院", "博士生导师", ("无人机研发专家团队",)),
    ExpertSpec("西北工业大学", ("0802", "0805"), "教授", "工业3D打印、增材制造装备、激光熔覆",
               "材料学院", "", ("工业3D打印成果转化",)),
    ExpertSpec("西北工业大学", ("0802",), "副教授", "电机电器产品结构设计、振动与噪声测试、可靠性试验",
               "机电学院", "", ("电机电器产品设计与测试合作",)),
    ExpertSpec("中北大学", ("0802", "0805"), "教授", "汽车零部件轻量化、镁合金与铝合金精密成形、铸造",
               "材料科学与工程学院", "", ("汽车零部件轻量化联合研发",)),
    ExpertSpec("山西农业大学", ("0904", "0817"), "教授", "植物生长调节剂、农药创制与合成工艺、农药中间体",
               "植物保护学院", "", ("精细化工工艺优化合作",)),
    ExpertSpec("山西农业大学", ("0902", "0901"), "副教授", "芦笋栽培与育种、设施蔬菜、水肥一体化", "园艺学院"),
    ExpertSpec("太原科技大学", ("0811", "0802"), "教授", "智慧化工厂、过程控制、工业互联网与安全生产监测",
               "电子信息工程学院", "", ("智慧化工厂建设",)),
    ExpertSpec("武汉大学", ("0803", "0809"), "教授", "光电器件、半导体激光器、光纤传感",
               "电子信息学院", "", ("光电器件研发合作",)),
    ExpertSpec("西北农林科技大学", ("0902",), "教授", "鲜食枣高效设施栽培、枣树育种、冬枣提质增效",
               "园艺学院", "", ("鲜食枣高效设施栽培技术示范",)),
    ExpertSpec("西北农林科技大学", ("0904",), "副教授", "果树病虫害绿色防控、生物防治", "植物保护学院"),
    ExpertSpec("太原理工大学", ("0805",), "教授", "碳纤维复合材料、镁合金、新材料成形",
               "材料科学与工程学院", "", ("新材料专家团队工作站",)),
    ExpertSpec("太原理工大学", ("0817",), "教授", "煤化工、精细化工催化、化工工艺", "化学工程与技术学院"),
    ExpertSpec("北京理工大学", ("0802", "0811"), "教授", "智能装备、工业机器人、智能制造",
               "机械与车辆学院", "", ("北京理工大学项目团队落户",)),
    ExpertSpec("东华大学", ("0821",), "教授", "印染工艺、数码印花、功能性面料与生态染整", "化学与化工学院"),
    ExpertSpec("西安工程大学", ("0821",), "副教授", "纺织染整、印染废水处理与节能减排", "纺织科学与工程学院"),
    ExpertSpec("江南大学", ("0832",), "教授", "食品加工、面制品品质、发酵食品", "食品学院"),
    ExpertSpec("山西运城农业职业技术学院", ("0832",), "副教授", "面食制作工艺、中式面点、主食工业化",
               "食品工程系", "", ("永济面食产业学院共建",)),
    ExpertSpec("山西运城农业职业技术学院", ("0902",), "讲师", "果树栽培技术推广、鲜枣栽培", "园艺系"),
    ExpertSpec("中国农业大学", ("0901", "0902"), "教授", "芦笋等蔬菜作物栽培、设施农业", "农学院"),
    ExpertSpec("华中科技大学", ("0808",), "教授", "电机电磁设计、电磁场计算、风力发电机", "电气与电子工程学院"),
    ExpertSpec("山西医科大学", ("1002",), "教授", "全科医学、急诊医学与临床医学教育", "第一临床医学院"),
    ExpertSpec("山西中医药大学", ("1008",), "教授", "中药材规范化种植、道地药材质量评价", "中药与食品工程学院"),
    ExpertSpec("山西财经大学", ("1202",), "副教授", "文化旅游产业运营、品牌建设与市场营销", "文化旅游学院"),
    ExpertSpec("四川大学", ("1007",), "教授", "药物制剂、药物分析与质量研究", "华西药学院"),
)  # fmt: skip

# One row of an imported expert list that names “山大” — 山东大学 or 山西大学: held, not guessed.
HELD_FILE = "专家名单（演示）.xlsx"

PERMISSIONS = {
    "office": [
        *(
            f"demand.{action}_{model}"
            for model in ("talentneed", "surveycampaign", "expert", "heldrow")
            for action in ("view", "add", "change", "delete")
        ),
        "demand.export_talentneed",
        "demand.import_talentneed",
        "demand.export_expert",
        "demand.import_expert",
        "demand.remind_surveycampaign",
    ],
    "leader": [
        "demand.view_talentneed",
        "demand.view_surveycampaign",
        "demand.view_expert",
        "demand.view_heldrow",
        "demand.export_talentneed",
        "demand.export_expert",
    ],
    "base_lead": ["demand.view_talentneed", "demand.view_surveycampaign"],
    "town": [
        "demand.view_talentneed",
        "demand.add_talentneed",
        "demand.change_talentneed",
        "demand.export_talentneed",
        "demand.view_surveycampaign",
    ],
    "enterprise": [
        "demand.view_talentneed",
        "demand.add_talentneed",
        "demand.change_talentneed",
        "demand.export_talentneed",
        "demand.view_surveycampaign",
    ],
}


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _disciplines(result: DemoResult, codes: set[str]) -> dict[str, Discipline]:
    terms = discipline_terms()
    out: dict[str, Discipline] = {}
    for code in sorted(codes):
        info = terms[code]
        category, created = Discipline.objects.get_or_create(
            code=info.category_code, defaults={"name": info.category_name}
        )
        if created:
            result.add("disciplines")
        discipline, created = Discipline.objects.get_or_create(
            code=code, defaults={"name": info.name, "parent": category}
        )
        if created:
            result.add("disciplines")
        out[code] = discipline
    return out


def _campaigns(result: DemoResult, office: Unit, targets: list[Unit]) -> dict[str, SurveyCampaign]:
    out: dict[str, SurveyCampaign] = {}
    for title, opens_on, deadline, description in CAMPAIGNS:
        campaign = SurveyCampaign.objects.filter(owner_unit=office, title=title).first()
        if campaign is None:
            campaign = services.campaign_create(
                actor=None,
                data=services.CampaignData(
                    title=title,
                    owner_unit=office,
                    opens_on=opens_on,
                    deadline=deadline,
                    enterprises=targets,
                    description=description,
                ),
            )
            result.add("campaigns")
        out[title] = campaign
    return out


def _needs(
    result: DemoResult,
    units: dict[str, Unit],
    campaigns: dict[str, SurveyCampaign],
    disciplines: dict[str, Discipline],
) -> None:
    for index, spec in enumerate(NEEDS):
        enterprise = units[spec.enterprise]
        campaign = campaigns.get(spec.campaign)
        if TalentNeed.objects.filter(
            enterprise=enterprise, position=spec.position, campaign=campaign
        ).exists():
            continue
        opened = campaign.opens_on if campaign else dt.date(2021, 10, 8)
        reported_on = opened + dt.timedelta(days=3 + index % 20)
        services.need_create(
            actor=None,
            data=services.NeedData(
                enterprise=enterprise,
                position=spec.position,
                degree=spec.degree,
                number=spec.number,
                urgency=spec.urgency,
                disciplines=[disciplines[c] for c in spec.disciplines],
                majors=spec.majors,
                salary_min=Decimal(spec.salary[0]) if spec.salary else None,
                salary_max=Decimal(spec.salary[1]) if spec.salary else None,
                deadline=spec.deadline,
                description=spec.description,
                campaign=campaign,
                source=NeedSource.IMPORT if campaign else NeedSource.OFFICE,
                reported_on=reported_on,
            ),
        )
        if campaign is not None:
            CampaignTarget.objects.filter(campaign=campaign, enterprise=enterprise).update(
                answered_at=_aware(reported_on)
            )
        result.add("talent_needs")


def _answers(campaigns: dict[str, SurveyCampaign], units: dict[str, Unit]) -> None:
    """Who answered: everyone the first time; the second time all but ``PENDING``."""
    first, second = campaigns[H1], campaigns[H2]
    for name in NO_NEEDS:
        for campaign in (first, second):
            CampaignTarget.objects.filter(
                campaign=campaign, enterprise=units[name], answered_at__isnull=True
            ).update(answered_at=_aware(campaign.opens_on + dt.timedelta(days=5)), no_needs=True)
    for target in CampaignTarget.objects.filter(campaign=first, answered_at__isnull=True):
        target.answered_at = _aware(first.opens_on + dt.timedelta(days=6))
        target.no_needs = True
        target.save(update_fields=["answered_at", "no_needs"])
    if not first.closed:
        first.closed = True
        first.save(update_fields=["closed"])
    pending = CampaignTarget.objects.filter(campaign=second, answered_at__isnull=True).exclude(
        enterprise__name__in=PENDING
    )
    for target in pending:
        target.answered_at = _aware(second.opens_on + dt.timedelta(days=7))
        target.no_needs = True
        target.save(update_fields=["answered_at", "no_needs"])


def _experts(
    result: DemoResult,
    office: Unit,
    universities: dict[str, University],
    disciplines: dict[str, Discipline],
) -> None:
    rng = random.Random(5188)
    used: set[str] = set()
    cooperations = {c.title: c for c in Cooperation.objects.filter(owner_unit=office)}
    for spec in EXPERTS:
        while True:
            name = rng.choice(yongji.SURNAMES) + rng.choice(yongji.GIVEN)
            if name not in used:
                used.add(name)
                break
        university = universities[spec.university]
        if Expert.objects.filter(owner_unit=office, university=university, name=name).exists():
            continue
        services.expert_create(
            actor=None,
            data=services.ExpertData(
                name=name,
                university=university,
                owner_unit=office,
                directions=spec.directions,
                disciplines=[disciplines[c] for c in spec.disciplines],
                department=spec.department,
                title=spec.title,
                honours=spec.honours,
                projects=[cooperations[t] for t in spec.projects],
            ),
        )
        result.add("experts")


def _held(result: DemoResult, office: Unit) -> None:
    if HeldRow.objects.filter(unit=office, filename=HELD_FILE).exists():
        return
    found = UniversityMatcher().match("山大")
    services.held_create(
        actor=None,
        kind=ImportKind.EXPERT,
        unit=office,
        filename=HELD_FILE,
        row_number=2,
        values={
            "name": "高振华",
            "university": "山大",
            "department": "材料科学与工程学院",
            "title": "教授",
            "honours": "",
            "disciplines": ["0805"],
            "directions": "金属材料热处理、表面工程",
            "projects": [],
            "project_notes": "",
        },
        pending=[found.pending()],
    )
    result.add("held_rows")


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    universities = {u.name: u for u in University.objects.all()}
    codes = {c for spec in NEEDS for c in spec.disciplines}
    codes |= {c for spec in EXPERTS for c in spec.disciplines}
    disciplines = _disciplines(result, codes)
    office = Unit.objects.get(name=yongji.OFFICE)
    names = {e.name for e in yongji.ENTERPRISES} | set(yongji.HOSPITALS)
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    enterprises = [units[e.name] for e in yongji.ENTERPRISES]
    campaigns = _campaigns(result, office, enterprises)
    _needs(result, units, campaigns, disciplines)
    _answers(campaigns, units)
    _experts(result, office, universities, disciplines)
    _held(result, office)
