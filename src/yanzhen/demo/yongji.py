"""The Yongji (永济市) case as demo data: real organisations and universities, fictional people.

Organisations named in the 2021 press report of the case are real; enterprises added to give
every local industry a leading enterprise carry “（演示）” in their names. All people are
generated. The cooperations of the case (DOMAIN.md) are written out; the rest of the 120 are
generated deterministically so that the dashboard shows exactly the case's figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PROVINCE = ("山西省", "140000")
CITY = ("运城市", "140800")
COUNTY = ("永济市", "140881")
OFFICE = "永济市省校合作办公室"
ZONE = "永济经济技术开发区管委会"

# name, short name
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    (OFFICE, "省校合作办"),
    ("中共永济市委组织部", "市委组织部"),
    ("永济市科学技术局", "市科技局"),
    ("永济市工业和信息化局", "市工信局"),
    ("永济市农业农村局", "市农业农村局"),
    ("永济市教育局", "市教育局"),
    ("永济市卫生健康局", "市卫健局"),
    ("永济市人力资源和社会保障局", "市人社局"),
    ("永济市文化和旅游局", "市文旅局"),
    ("永济市商务局", "市商务局"),
    ("永济市发展和改革局", "市发改局"),
    ("永济市林业局", "市林业局"),
    ("永济市乡村振兴局", "市乡村振兴局"),
)

# Towns and streets with their division codes, and two of their villages each.
TOWNS: tuple[tuple[str, str, str, tuple[str, str]], ...] = (
    ("城西街道", "street", "140881001", ("小张村", "李店村")),
    ("城北街道", "street", "140881002", ("赵伊村", "七社村")),
    ("城东街道", "street", "140881003", ("四冯村", "孙李村")),
    ("虞乡镇", "town", "140881100", ("虞乡村", "吴闫村")),
    ("卿头镇", "town", "140881101", ("卿头村", "三娄寺村")),
    ("开张镇", "town", "140881102", ("东开张村", "普乐头村")),
    ("栲栳镇", "town", "140881103", ("栲栳村", "南赵官村")),
    ("蒲州镇", "town", "140881104", ("蒲州村", "石庄村")),
    ("韩阳镇", "town", "140881105", ("祁家巷村", "栖岩村")),
    ("张营镇", "town", "140881106", ("张营村", "冯营村")),
)


@dataclass(frozen=True)
class Enterprise:
    name: str
    industry: str  # local industry code
    parent: str  # unit name: the development zone, a town, or the county
    leading: bool = True


ENTERPRISES: tuple[Enterprise, ...] = (
    Enterprise("中车永济电机有限公司", "YJ-L01", ZONE),
    Enterprise("永济市贝特电气机械有限公司", "YJ-L01", ZONE),
    Enterprise("山西阳煤千军汽车部件有限责任公司", "YJ-L02", ZONE),
    Enterprise("山西久联宏远化工有限公司", "YJ-L03", ZONE),
    Enterprise("永济生物医药示范企业（演示）", "YJ-L04", ZONE),
    Enterprise("永济食品加工示范企业（演示）", "YJ-L05", "城东街道"),
    Enterprise("永济纺织印染示范企业（演示）", "YJ-L06", "城北街道"),
    Enterprise("永济新能源示范企业（演示）", "YJ-L07", "卿头镇"),
    Enterprise("山西蓝科途新材料科技有限公司", "YJ-L08", ZONE),
    Enterprise("山西穿越光电科技有限公司", "YJ-L09", ZONE),
    Enterprise("天鹰无人机科技有限公司", "YJ-L10", ZONE),
    Enterprise("光府科技有限公司", "YJ-L11", ZONE),
    Enterprise("永济面食示范企业（演示）", "YJ-A01", "城西街道"),
    Enterprise("山西长荣农业科技股份有限公司", "YJ-A02", "开张镇"),
    Enterprise("永济鲜枣果业示范企业（演示）", "YJ-A03", "虞乡镇"),
    Enterprise("永济中药材示范企业（演示）", "YJ-A04", "韩阳镇"),
    Enterprise("永济文旅示范企业（演示）", "YJ-C01", "蒲州镇"),
    Enterprise("永济电机配套示范企业（演示）", "YJ-L01", "开张镇", leading=False),
)

HOSPITALS = ("永济市人民医院", "永济市中医医院")

# code, name, lead department, leader key, description
BASES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "YJ-B01",
        "轨道交通与电机电器产学研基地",
        "永济市工业和信息化局",
        "L1",
        "依托中车永济电机等龙头企业，与西安交通大学、清华大学等开展联合研发。",
    ),
    (
        "YJ-B02",
        "新材料与精细化工产学研基地",
        "永济市工业和信息化局",
        "L2",
        "新材料、精细化工企业与高校共建研发平台。",
    ),
    (
        "YJ-B03",
        "智能制造与增材制造成果转化基地",
        "永济市科学技术局",
        "L3",
        "工业3D打印、智慧工厂等科技成果转化。",
    ),
    (
        "YJ-B04",
        "现代农业科技示范基地",
        "永济市农业农村局",
        "L4",
        "芦笋、小麦等现代农业技术示范推广。",
    ),
    ("YJ-B05", "鲜食枣与果业科技小院基地", "永济市林业局", "L4", "鲜食枣高效设施栽培技术示范。"),
    (
        "YJ-B06",
        "面食产业人才培训基地",
        "永济市人力资源和社会保障局",
        "L5",
        "永济面食产业学院技能培训。",
    ),
    ("YJ-B07", "文化旅游融合发展基地", "永济市文化和旅游局", "L5", "文旅规划、文创开发合作。"),
    (
        "YJ-B08",
        "医疗卫生合作基地",
        "永济市卫生健康局",
        "L6",
        "医院与医科院校结对、医学毕业生引进。",
    ),
    ("YJ-B09", "基础教育合作基地", "永济市教育局", "L6", "师范院校与中小学结对帮扶。"),
    (
        "YJ-B10",
        "乡村振兴校村结对基地",
        "永济市乡村振兴局",
        "L7",
        "高校与镇村结对，实现村级合作全覆盖。",
    ),
    (
        "YJ-B11",
        "实习实训与人才引进基地",
        "中共永济市委组织部",
        "L7",
        "大学生实习实训、选调生与人才引进。",
    ),
    ("YJ-B12", "开发区科技创新基地", ZONE, "L8", "开发区企业与高校科技合作、人才挂职。"),
)

# Leaders (fictional people): key, position.
LEADERS: tuple[tuple[str, str], ...] = (
    ("SEC", "市委书记（省校合作领导小组双组长）"),
    ("MAYOR", "市长（省校合作领导小组双组长）"),
    ("L1", "市委常委、常务副市长"),
    ("L2", "副市长（分管工业）"),
    ("L3", "市委常委、组织部部长"),
    ("L4", "副市长（分管农业农村）"),
    ("L5", "市委常委、宣传部部长"),
    ("L6", "副市长（分管教育卫生）"),
    ("L7", "市委常委、副市长"),
    ("L8", "市委常委、开发区党工委书记"),
)


@dataclass(frozen=True)
class CaseCooperation:
    """A cooperation named in the case, with its parties and universities."""

    title: str
    parties: tuple[str, ...]
    universities: tuple[str, ...]
    kind: str
    channel: str
    industry: str
    base: str
    stage: str
    participants: int = 0
    online: bool = False
    description: str = ""


CASE_COOPERATIONS: tuple[CaseCooperation, ...] = (
    CaseCooperation(
        "牵引电机控制技术联合研发",
        ("中车永济电机有限公司",),
        ("西安交通大学",),
        "research",
        "invite",
        "YJ-L01",
        "YJ-B01",
        "landed",
        description="中车永济电机有限公司与西安交通大学电气工程学科合作，开展牵引电机控制与变流技术联合研发。",
    ),
    CaseCooperation(
        "轨道交通智能监控终端研制",
        ("中车永济电机有限公司",),
        ("清华大学",),
        "transfer",
        "gather",
        "YJ-L01",
        "YJ-B01",
        "landed",
        description="清华大学科研成果在永济落地转化。",
    ),
    CaseCooperation(
        "电机电器产品设计与测试合作",
        ("永济市贝特电气机械有限公司",),
        ("西北工业大学",),
        "research",
        "find",
        "YJ-L01",
        "YJ-B01",
        "landed",
    ),
    CaseCooperation(
        "工业3D打印成果转化",
        ("光府科技有限公司",),
        ("西北工业大学",),
        "transfer",
        "gather",
        "YJ-L11",
        "YJ-B03",
        "landed",
        description="西北工业大学工业3D打印科研成果落地永济。",
    ),
    CaseCooperation(
        "汽车零部件轻量化联合研发",
        ("山西阳煤千军汽车部件有限责任公司",),
        ("中北大学",),
        "research",
        "find",
        "YJ-L02",
        "YJ-B02",
        "landed",
    ),
    CaseCooperation(
        "精细化工工艺优化合作",
        ("山西久联宏远化工有限公司",),
        ("山西农业大学",),
        "research",
        "find",
        "YJ-L03",
        "YJ-B02",
        "landed",
    ),
    CaseCooperation(
        "智慧化工厂建设",
        ("山西久联宏远化工有限公司",),
        ("太原科技大学",),
        "transfer",
        "gather",
        "YJ-L03",
        "YJ-B03",
        "landed",
        description="太原科技大学“智慧化工厂”成果落地。",
    ),
    CaseCooperation(
        "光电器件研发合作",
        ("山西穿越光电科技有限公司",),
        ("武汉大学",),
        "research",
        "attract",
        "YJ-L09",
        "YJ-B12",
        "landed",
    ),
    CaseCooperation(
        "鲜食枣高效设施栽培技术示范",
        ("永济鲜枣果业示范企业（演示）", "虞乡村"),
        ("西北农林科技大学",),
        "transfer",
        "gather",
        "YJ-A03",
        "YJ-B05",
        "landed",
        description="西北农林科技大学“鲜食枣高效设施栽培技术”落地推广。",
    ),
    CaseCooperation(
        "新材料专家团队工作站",
        ("山西蓝科途新材料科技有限公司",),
        ("太原理工大学",),
        "expert_team",
        "attract",
        "YJ-L08",
        "YJ-B02",
        "landed",
    ),
    CaseCooperation(
        "无人机研发专家团队",
        ("天鹰无人机科技有限公司",),
        ("西北工业大学",),
        "expert_team",
        "attract",
        "YJ-L10",
        "YJ-B12",
        "landed",
    ),
    CaseCooperation(
        "增材制造专家团队",
        ("光府科技有限公司",),
        ("西安交通大学",),
        "expert_team",
        "attract",
        "YJ-L11",
        "YJ-B03",
        "landed",
    ),
    CaseCooperation(
        "北京理工大学项目团队落户",
        (ZONE,),
        ("北京理工大学",),
        "talent",
        "invite",
        "YJ-L11",
        "YJ-B12",
        "landed",
        description="北京理工大学项目团队整建制落户开发区。",
    ),
    CaseCooperation(
        "“新农人”线上培养项目",
        ("山西长荣农业科技股份有限公司",),
        ("瓦赫宁根大学", "运城学院"),
        "international",
        "attract",
        "YJ-A02",
        "YJ-B04",
        "landed",
        participants=34,
        online=True,
        description="与荷兰瓦赫宁根大学合作，为运城学院34名学生开设“新农人”线上课程。",
    ),
    CaseCooperation(
        "东开张村校村结对（太原理工大学）",
        ("东开张村",),
        ("太原理工大学",),
        "training",
        "invite",
        "",
        "YJ-B10",
        "landed",
    ),
    CaseCooperation(
        "东开张村校村结对（山西师范大学）",
        ("东开张村",),
        ("山西师范大学",),
        "training",
        "invite",
        "",
        "YJ-B10",
        "agreement",
    ),
    CaseCooperation(
        "东开张村校村结对（运城农业职业技术学院）",
        ("东开张村",),
        ("山西运城农业职业技术学院",),
        "training",
        "invite",
        "YJ-A02",
        "YJ-B10",
        "agreement",
    ),
    CaseCooperation(
        "开发区挂职合作",
        (ZONE,),
        ("武汉大学",),
        "secondment",
        "invite",
        "",
        "YJ-B12",
        "landed",
        description="武汉大学副教授挂任开发区管委会副主任。",
    ),
    CaseCooperation(
        "永济面食产业学院共建",
        ("永济面食示范企业（演示）", "永济市人力资源和社会保障局"),
        ("山西运城农业职业技术学院",),
        "training",
        "gather",
        "YJ-A01",
        "YJ-B06",
        "landed",
        description="共建永济面食产业学院：9个专业、20个类别、52门课程。",
    ),
    CaseCooperation(
        "省校合作云签约：市校全面战略合作",
        (COUNTY[0],),
        ("山西大学",),
        "research",
        "invite",
        "",
        "",
        "landed",
        online=True,
        description="永济市与山西大学签订全面战略合作协议（云签约）。",
    ),
)

# Totals of the case (DOMAIN.md): the generated cooperations fill up to these.
TOTAL = 120
AGREEMENTS = 81
LANDED = 63
DROPPED = 4

# Which base a generated cooperation goes to, by its local industry (or its party kind).
INDUSTRY_BASE = {
    "YJ-L01": "YJ-B01", "YJ-L02": "YJ-B02", "YJ-L03": "YJ-B02", "YJ-L04": "YJ-B03",
    "YJ-L05": "YJ-B04", "YJ-L06": "YJ-B03", "YJ-L07": "YJ-B12", "YJ-L08": "YJ-B02",
    "YJ-L09": "YJ-B12", "YJ-L10": "YJ-B12", "YJ-L11": "YJ-B03", "YJ-A01": "YJ-B06",
    "YJ-A02": "YJ-B04", "YJ-A03": "YJ-B05", "YJ-A04": "YJ-B04", "YJ-C01": "YJ-B07",
}  # fmt: skip

# Universities that fit each local industry best (for generated cooperations).
INDUSTRY_UNIVERSITIES = {
    "YJ-L01": ("西安交通大学", "北京交通大学", "西南交通大学", "华中科技大学", "西安理工大学"),
    "YJ-L02": ("中北大学", "长安大学", "太原理工大学"),
    "YJ-L03": ("太原理工大学", "西北大学", "浙江大学"),
    "YJ-L04": ("山西医科大学", "山西中医药大学", "四川大学"),
    "YJ-L05": ("江南大学", "中国农业大学", "山西农业大学"),
    "YJ-L06": ("西安工程大学", "东华大学", "陕西科技大学", "苏州大学"),
    "YJ-L07": ("华中科技大学", "太原理工大学", "西安交通大学"),
    "YJ-L08": ("太原理工大学", "中北大学", "西北工业大学"),
    "YJ-L09": ("西安电子科技大学", "武汉大学", "华中科技大学"),
    "YJ-L10": ("西北工业大学", "北京理工大学"),
    "YJ-L11": ("西北工业大学", "太原科技大学", "上海理工大学"),
    "YJ-A01": ("江南大学", "山西农业大学", "山西运城农业职业技术学院"),
    "YJ-A02": ("山西农业大学", "中国农业大学", "南京农业大学"),
    "YJ-A03": ("西北农林科技大学", "山西农业大学"),
    "YJ-A04": ("山西中医药大学", "西北农林科技大学"),
    "YJ-C01": ("山西大学", "西安建筑科技大学", "山西财经大学", "陕西师范大学"),
}

# Generic universities for departments, towns and villages (kind, universities).
PUBLIC_UNIVERSITIES = (
    "山西大学", "山西师范大学", "运城学院", "山西财经大学", "太原工业学院", "陕西师范大学",
    "西北大学", "山西农业大学", "太原理工大学", "山西医科大学", "西安建筑科技大学", "长安大学",
    "上海理工大学", "苏州大学", "四川大学", "西安电子科技大学",
)  # fmt: skip

DEPARTMENT_BASE = {
    "永济市科学技术局": "YJ-B03", "永济市工业和信息化局": "YJ-B01", "永济市农业农村局": "YJ-B04",
    "永济市教育局": "YJ-B09", "永济市卫生健康局": "YJ-B08", "永济市人力资源和社会保障局": "YJ-B06",
    "永济市文化和旅游局": "YJ-B07", "永济市林业局": "YJ-B05", "永济市乡村振兴局": "YJ-B10",
    "中共永济市委组织部": "YJ-B11", ZONE: "YJ-B12",
}  # fmt: skip

DEPARTMENT_TOPICS = {
    OFFICE: ("省校合作专家咨询", "research"),
    "中共永济市委组织部": ("大学生实习实训基地共建", "internship"),
    "永济市科学技术局": ("科技成果转化服务平台", "transfer"),
    "永济市工业和信息化局": ("企业技术需求对接服务", "research"),
    "永济市农业农村局": ("农业技术推广合作", "transfer"),
    "永济市教育局": ("中小学教师培训合作", "training"),
    "永济市卫生健康局": ("医疗人才培养合作", "training"),
    "永济市人力资源和社会保障局": ("技能人才培训合作", "training"),
    "永济市文化和旅游局": ("全域旅游规划合作", "research"),
    "永济市商务局": ("电商人才培训合作", "training"),
    "永济市发展和改革局": ("县域经济发展规划咨询", "research"),
    "永济市林业局": ("林果技术服务合作", "transfer"),
    "永济市乡村振兴局": ("乡村振兴规划合作", "research"),
    ZONE: ("开发区产业规划合作", "research"),
}  # fmt: skip


# A participant of an activity: (a leader key "@SEC" or a fictional name, the unit — a demo
# unit's name, or an outside one's — and the post; a leader's unit and post are their own).
Participant = tuple[str, str, str]


@dataclass(frozen=True)
class Activity:
    kind: str
    title: str
    date: dt.date
    leader: str  # leader key
    universities: tuple[str, ...] = ()
    location: str = ""
    summary: str = ""
    cooperations: tuple[str, ...] = field(default=())
    minutes: str = ""
    participants: tuple[Participant, ...] = ()


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "standing_committee",
        "市委常委会专题研究省校合作工作",
        dt.date(2021, 2, 23),
        "SEC",
        location="永济市委",
        summary="审议省校合作工作方案，确定12大合作基地及“四个一”责任体系。",
        minutes=(
            "一、审议通过《永济市深化省校合作工作方案》。\n"
            "二、确定12大合作基地，每个基地明确一名责任领导、一个牵头部门、一个落实专班、"
            "一套工作方案。\n"
            "三、由市省校合作办牵头建立工作调度、问题清单和督办机制，每月调度一次。"
        ),
        participants=(
            ("@SEC", "", ""),
            ("@MAYOR", "", ""),
            ("@L1", "", ""),
            ("@L3", "", ""),
            ("冯雅琴", OFFICE, "主任"),
        ),
    ),
    Activity(
        "standing_committee",
        "市委常委会听取省校合作进展汇报",
        dt.date(2021, 6, 18),
        "SEC",
        location="永济市委",
        summary="听取各基地工作调度情况，部署问题清单整改。",
    ),
    Activity(
        "standing_committee",
        "市委常委会研究省校合作考核办法",
        dt.date(2021, 10, 26),
        "SEC",
        location="永济市委",
        summary="审定“3个维度、10项指标”量化考核办法。",
    ),
    Activity(
        "delegation",
        "市委书记带队赴西安交通大学、西北工业大学对接",
        dt.date(2021, 3, 16),
        "SEC",
        ("西安交通大学", "西北工业大学"),
        "西安",
        cooperations=("牵引电机控制技术联合研发", "电机电器产品设计与测试合作"),
        minutes=(
            "双方就牵引电机控制技术联合研发、电机电器产品设计与测试合作达成意向；"
            "商定由中车永济电机有限公司与西安交通大学电气工程学院组建联合研发团队，"
            "西北工业大学派专家赴永济开展产品测试指导。"
        ),
        participants=(
            ("@SEC", "", ""),
            ("冯雅琴", OFFICE, "主任"),
            ("韩志成", "中车永济电机有限公司", "总工程师"),
            ("邵文博", "西安交通大学", "电气工程学院教授"),
            ("闫立新", "西北工业大学", "科学技术研究院副院长"),
        ),
    ),
    Activity(
        "delegation",
        "市长带队赴中北大学、太原理工大学、太原科技大学对接",
        dt.date(2021, 4, 8),
        "MAYOR",
        ("中北大学", "太原理工大学", "太原科技大学"),
        "太原",
        cooperations=("汽车零部件轻量化联合研发", "智慧化工厂建设"),
    ),
    Activity(
        "delegation",
        "带队赴西北农林科技大学对接",
        dt.date(2021, 4, 27),
        "L4",
        ("西北农林科技大学",),
        "杨凌",
        cooperations=("鲜食枣高效设施栽培技术示范",),
    ),
    Activity(
        "delegation",
        "带队赴武汉大学、华中科技大学对接",
        dt.date(2021, 5, 19),
        "L8",
        ("武汉大学", "华中科技大学"),
        "武汉",
        cooperations=("光电器件研发合作", "开发区挂职合作"),
    ),
    Activity(
        "delegation",
        "带队赴清华大学、北京理工大学对接",
        dt.date(2021, 7, 13),
        "MAYOR",
        ("清华大学", "北京理工大学"),
        "北京",
        cooperations=("轨道交通智能监控终端研制", "北京理工大学项目团队落户"),
    ),
    Activity(
        "promotion",
        "永济市省校合作暨招才引智推介会（西安）",
        dt.date(2021, 3, 17),
        "SEC",
        ("西安交通大学", "西北工业大学", "西安电子科技大学", "陕西师范大学", "长安大学"),
        "西安",
    ),
    Activity(
        "promotion",
        "永济市产业人才需求推介会（太原）",
        dt.date(2021, 4, 9),
        "MAYOR",
        ("山西大学", "中北大学", "太原理工大学", "山西农业大学"),
        "太原",
    ),
    Activity(
        "promotion",
        "永济市省校合作云推介暨云签约活动",
        dt.date(2021, 9, 10),
        "MAYOR",
        ("山西大学", "瓦赫宁根大学"),
        "线上",
        cooperations=("省校合作云签约：市校全面战略合作", "“新农人”线上培养项目"),
    ),
)

SECONDMENT_PERSON_TITLE = "副教授"
SECONDMENT_POST = "永济经济技术开发区管委会副主任（挂职）"

# Demo logins: username, unit name, role code, full name.
USERS: tuple[tuple[str, str, str, str], ...] = (
    ("office", OFFICE, "office", "省校合作办工作人员"),
    ("reviewer", OFFICE, "office", "省校合作办审核人员"),  # reviews the briefings office drafts
    ("leader", COUNTY[0], "leader", "市领导"),
    ("base", "永济市工业和信息化局", "base_lead", "工信局基地联络员"),
    ("town", "开张镇", "town", "开张镇工作人员"),
    ("enterprise", "中车永济电机有限公司", "enterprise", "企业人力资源经理"),
    ("sysadmin", OFFICE, "sysadmin", "系统管理员"),
    ("secadmin", OFFICE, "secadmin", "安全管理员"),
    ("auditor", OFFICE, "auditor", "安全审计员"),
    # Yongji's own administrators (delegated administration): only the county's accounts,
    # roles, lockouts and logs.
    ("yj_sysadmin", OFFICE, "yj-sysadmin", "永济市系统管理员"),
    ("yj_secadmin", OFFICE, "yj-secadmin", "永济市安全管理员"),
    ("yj_auditor", OFFICE, "yj-auditor", "永济市安全审计员"),
)
DEMO_PASSWORD = "Goose-Formation-2021"
# The name of the demo accounts' TOTP devices: each account that needs two factors gets its
# own random secret, printed by ``yanzhen demo`` for an authenticator app.
DEMO_OTP_DEVICE = "演示动态口令"

# Fictional people: surnames and given names to combine.
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = (
    "建华", "志强", "丽娟", "海燕", "国栋", "晓东", "俊杰", "红梅", "永刚", "春生", "秀英", "文博",
    "静怡", "宏伟", "晨阳", "佳琪", "明远", "思源", "立新", "卫东", "雅婷", "浩然", "振华", "玉兰",
    "嘉欣", "鹏飞", "亚楠", "国庆", "学军", "慧敏", "子涵", "宇航", "晓燕", "长青", "瑞雪", "向东",
)  # fmt: skip
