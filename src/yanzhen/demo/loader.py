"""Load the Yongji demo (idempotent: a second run adds nothing and changes no figure)."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.cooperation import services as coop_services
from yanzhen.cooperation.models import Activity, ActivityStatus, Base, Cooperation, Secondment
from yanzhen.cooperation.services.activities import ActivityData, ParticipantData, activity_create
from yanzhen.cooperation.services.secondments import SecondmentData, secondment_create
from yanzhen.core import services as core_services
from yanzhen.core.models import DataScope, Degree, Person, Role, RoleKind, Unit, UnitKind, User
from yanzhen.demo import (
    assessment,
    calls,
    demand,
    events,
    halls,
    notifications,
    portal,
    province,
    reporting,
    reports,
    reviews,
    signing,
    supervision,
    talent,
    yongji,
)
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.villages import villages_create
from yanzhen.engines.briefing_template import Block, Heading, Paragraph, Table
from yanzhen.engines.idcard import check_digit
from yanzhen.engines.names import pinyin_keys
from yanzhen.reference.loaders import load_aliases, load_reference
from yanzhen.reference.models import LocalIndustry, University, UniversityAlias, UniversityCategory
from yanzhen.reports.gongwen import Document, Kind, chinese_date, render_docx
from yanzhen.supervision import services as plan_services
from yanzhen.supervision.models import Milestone, MilestoneStatus, WorkPlan

DATA = Path(__file__).resolve().parent / "data"
YEAR = 2021


# Roles ---------------------------------------------------------------------------------------

_MODELS = {
    "core": ("unit", "person"),
    "cooperation": ("cooperation", "base", "activity", "secondment", "taskforcemember"),
    "supervision": ("workplan", "milestone"),
}


def _all_perms() -> list[str]:
    perms = [
        f"{app}.{action}_{model}"
        for app, models in _MODELS.items()
        for model in models
        for action in ("view", "add", "change", "delete")
    ]
    return [
        *perms,
        "cooperation.export_cooperation",
        "cooperation.import_cooperation",
        "cooperation.reassign_cooperation",
        "core.view_personal_data",
        "core.resolve_duplicate_person",
    ]


ADMIN_ROLES: dict[str, tuple[str, str, list[str], str]] = {
    "sysadmin": (
        "系统管理员",
        RoleKind.SYSTEM_ADMIN,
        [
            "core.view_user",
            "core.add_user",
            "core.change_user",
            "core.view_unit",
            "core.view_approvalrequest",
        ],
        "账户、配置与备份；不接触业务数据和审计日志；重置密码、停用管理员须经安全管理员批准",
    ),
    "secadmin": (
        "安全管理员",
        RoleKind.SECURITY_ADMIN,
        [
            "core.view_user",
            "core.view_role",
            "core.add_role",
            "core.change_role",
            # The unit tree decides the data scopes: only this role sets up top-level units.
            "core.view_unit",
            "core.add_unit",
            "core.change_unit",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
            "core.view_approvalrequest",
            "core.decide_approvalrequest",
        ],
        "角色、权限、安全策略、解除锁定、重置动态口令，审批重置密码和停用管理员的申请",
    ),
    "auditor": (
        "安全审计员",
        RoleKind.AUDITOR,
        ["audit.view_securityevent", "audit.view_accesslog", "audit.view_exportlog"],
        "只读查看安全日志、访问日志和导出记录",
    ),
}

# Delegated administration: Yongji's own three administrators, roles of the county (its unit),
# scoped to 本县（市、区）及以下, with the province's administrator permissions of their kind.
COUNTY_ADMIN_ROLES: dict[str, tuple[str, str, list[str], str]] = {
    f"yj-{code}": (
        f"永济市{name}",
        kind,
        codes,
        f"永济市本级：{description}（只管本县（市、区）的账户、角色、锁定和日志）",
    )
    for code, (name, kind, codes, description) in ADMIN_ROLES.items()
}

ROLES: dict[str, tuple[str, str, list[str], str]] = {
    "office": (
        "省校合作办",
        DataScope.COUNTY,
        _all_perms(),
        "管理全部数据：台账、基地、单位、人员、导入导出",
    ),
    "leader": (
        "市领导",
        DataScope.COUNTY,
        [p for p in _all_perms() if ".view_" in p and p != "core.view_personal_data"]
        # The second person who lets the office see full ID numbers and mobiles for a while.
        + ["cooperation.export_cooperation", "core.approve_personal_data"],
        "查看全部数据和看板，可导出；批准查看完整个人信息的申请",
    ),
    "base_lead": (
        "基地牵头部门",
        DataScope.UNIT_AND_BELOW,
        [
            "core.view_unit",
            "core.view_person",
            "cooperation.view_cooperation",
            "cooperation.add_cooperation",
            "cooperation.change_cooperation",
            "cooperation.export_cooperation",
            "cooperation.import_cooperation",
            "cooperation.view_base",
            "cooperation.change_base",
            "cooperation.view_activity",
            "cooperation.add_activity",
            "cooperation.view_secondment",
            "supervision.view_workplan",
            "supervision.change_workplan",
            "supervision.view_milestone",
            "supervision.add_milestone",
            "supervision.change_milestone",
        ],
        "本部门及所牵头基地的合作、节点任务",
    ),
    "town": (
        "镇（街道）",
        DataScope.UNIT_AND_BELOW,
        [
            "core.view_unit",
            "core.add_unit",
            "core.change_unit",
            "core.view_person",
            "core.add_person",
            "core.change_person",
            "cooperation.view_cooperation",
            "cooperation.add_cooperation",
            "cooperation.change_cooperation",
            "cooperation.export_cooperation",
            "cooperation.import_cooperation",
            "cooperation.view_activity",
            "cooperation.view_secondment",
        ],
        "本镇（街道）及所辖村、企业的合作",
    ),
    "enterprise": (
        "企业",
        DataScope.UNIT,
        [
            "core.view_unit",
            "cooperation.view_cooperation",
            "cooperation.add_cooperation",
            "cooperation.change_cooperation",
            "cooperation.export_cooperation",
        ],
        "本企业的合作",
    ),
}


def _roles(result: DemoResult, county: Unit) -> dict[str, Role]:
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    roles = {}
    specs: list[tuple[str, str, str, str, list[str], str, Unit | None]] = [
        (code, name, scope, RoleKind.BUSINESS, codes, description, None)
        for code, (name, scope, codes, description) in ROLES.items()
    ]
    specs += [
        (code, name, DataScope.ALL, kind, codes, description, None)
        for code, (name, kind, codes, description) in ADMIN_ROLES.items()
    ]
    specs += [
        (code, name, DataScope.COUNTY, kind, codes, description, county)
        for code, (name, kind, codes, description) in COUNTY_ADMIN_ROLES.items()
    ]
    for code, name, scope, kind, codes, description, unit in specs:
        strict = kind != RoleKind.BUSINESS or code == "leader"
        role, created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "data_scope": scope,
                "kind": kind,
                "description": description,
                "requires_otp": strict,
                "password_max_age_days": 90 if strict else None,
                "unit": unit,
            },
        )
        if created:
            role.permissions.set([perms[c] for c in codes])
            result.add("roles")
        roles[code] = role
    return roles


# Reference subset ----------------------------------------------------------------------------


def _universities(result: DemoResult) -> dict[str, University]:
    lines = (DATA / "universities.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    existing = {u.name: u for u in University.objects.filter(name__in=[r["name"] for r in rows])}
    for row in rows:
        if row["name"] in existing:
            continue
        full, initials = pinyin_keys(row["name"])
        existing[row["name"]] = University.objects.create(
            code=row["code"],
            name=row["name"],
            english_name=row["english_name"],
            country=row["country"],
            province=row["province"],
            city=row["city"],
            authority=row["authority"],
            level=row["level"],
            category=UniversityCategory.REGULAR
            if row["country"] == "中国"
            else UniversityCategory.FOREIGN,
            is_985=row["is_985"] == "1",
            is_211=row["is_211"] == "1",
            is_dfc=row["is_dfc"] == "1",
            pinyin=full,
            initials=initials,
        )
        result.add("universities")
    load_aliases()
    extra = {"山西运城农业职业技术学院": "运城农业职业技术学院", "瓦赫宁根大学": "Wageningen"}
    for name, alias in extra.items():
        UniversityAlias.objects.get_or_create(university=existing[name], alias=alias)
    return {row["name"]: existing[row["name"]] for row in rows}  # in the file's order


# Units and people ----------------------------------------------------------------------------


def _unit(result: DemoResult, name: str, kind: str, parent: Unit | None, **fields: object) -> Unit:
    unit = Unit.objects.filter(parent=parent, name=name).first()
    if unit is None:
        unit = core_services.unit_create(actor=None, parent=parent, name=name, kind=kind, **fields)
        result.add("units")
    return unit


def _units(result: DemoResult, industries: dict[str, LocalIndustry]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    province = _unit(result, yongji.PROVINCE[0], UnitKind.PROVINCE, None, code=yongji.PROVINCE[1])
    city = _unit(result, yongji.CITY[0], UnitKind.CITY, province, code=yongji.CITY[1])
    county = _unit(result, yongji.COUNTY[0], UnitKind.COUNTY, city, code=yongji.COUNTY[1])
    units[county.name] = county
    for order, (name, short) in enumerate(yongji.DEPARTMENTS):
        units[name] = _unit(
            result, name, UnitKind.DEPARTMENT, county, short_name=short, sort_order=order
        )
    units[yongji.ZONE] = _unit(
        result, yongji.ZONE, UnitKind.ZONE, county, short_name="经开区", sort_order=50
    )
    towns: dict[str, Unit] = {}
    for order, (name, kind, code, _villages_of_case) in enumerate(yongji.TOWNS):
        towns[code] = units[name] = _unit(
            result, name, kind, county, code=code, sort_order=100 + order
        )
    villages = villages_create(result, towns)
    missing = [v for *_, case in yongji.TOWNS for v in case if v not in villages]
    if missing:
        raise AssertionError(f"demo villages not in the statistical list: {missing}")
    units.update(villages)
    for order, enterprise in enumerate(yongji.ENTERPRISES):
        units[enterprise.name] = _unit(
            result,
            enterprise.name,
            UnitKind.ENTERPRISE,
            units[enterprise.parent],
            local_industry=industries.get(enterprise.industry),
            is_leading=enterprise.leading,
            sort_order=200 + order,
        )
    for order, name in enumerate(yongji.HOSPITALS):
        units[name] = _unit(result, name, UnitKind.HOSPITAL, county, sort_order=300 + order)
    return units


class People:
    """Fictional people with valid-looking (check digit correct) ID numbers and mobiles."""

    def __init__(self, result: DemoResult) -> None:
        self.random = random.Random(140881)
        self.result = result
        self.used: set[str] = set(Person.objects.values_list("name", flat=True))

    def _name(self) -> str:
        while True:
            name = self.random.choice(yongji.SURNAMES) + self.random.choice(yongji.GIVEN)
            if name not in self.used:
                self.used.add(name)
                return name

    def get(
        self, *, key: str, unit: Unit, position: str, degree: str = "", title: str = ""
    ) -> Person:
        """The person filed under ``key`` (kept in ``position`` + unit), created once."""
        existing = Person.objects.filter(unit=unit, position=position).first()
        if existing is not None:
            return existing
        del key
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.random.randrange(0, 365 * 30))
        first17 = f"140881{birth:%Y%m%d}{self.random.randrange(0, 999):03d}"
        person = core_services.person_create(
            actor=None,
            name=self._name(),
            id_number=first17 + check_digit(first17),
            mobile=f"13{self.random.randrange(5, 10)}{self.random.randrange(0, 10**8):08d}",
            unit=unit,
            position=position,
            degree=degree,
            title=title,
        )
        self.result.add("people")
        return person


# Bases, plans and milestones -----------------------------------------------------------------

MILESTONES = (
    ("制定基地工作方案并组建落实专班", dt.date(2021, 3, 31), "印发工作方案"),
    ("走访对接合作高校", dt.date(2021, 6, 30), "形成对接清单"),
    ("签订合作协议", dt.date(2021, 9, 30), "签约项目清单"),
    ("推动项目落地见效", dt.date(2021, 12, 31), "落地项目清单"),
)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan_document(base: Base, lead: str, adopted_on: dt.date) -> bytes:
    """The base's work plan as a Word file (A4, the fonts of 公文): aims and milestones."""
    leader = base.leader.position if base.leader else "分管领导"
    body: tuple[Block, ...] = (
        Paragraph.of(
            f"为深入推进省校合作，建设{base.name}，明确由{lead}牵头，{leader}负责，"
            "组建落实专班，制定本方案。"
        ),
        Heading.of(1, "工作目标"),
        Paragraph.of(base.description or "推动校地合作项目签约落地。"),
        Heading.of(1, "时间节点"),
        Table.of(
            ("节点任务", "完成时限", "预期成果"),
            [(title, chinese_date(due), deliverable) for title, due, deliverable in MILESTONES],
        ),
    )
    plan = Document(Kind.PLAIN, f"{base.name}工作方案", body, signature=lead, signed_on=adopted_on)
    return render_docx(plan)


def _bases(
    result: DemoResult, units: dict[str, Unit], leaders: dict[str, Person], people: People
) -> dict[str, Base]:
    bases: dict[str, Base] = {}
    county = units[yongji.COUNTY[0]]
    for order, (code, name, lead, leader_key, description) in enumerate(yongji.BASES):
        base = Base.objects.filter(code=code).first()
        if base is None:
            base = coop_services.base_create(
                actor=None,
                code=code,
                name=name,
                county=county,
                lead_department=units[lead],
                leader=leaders[leader_key],
                description=description,
                sort_order=order,
            )
            result.add("bases")
            members = [
                (people.get(key=f"{code}-head", unit=units[lead], position="主要负责人"), "专班组长"),
                (people.get(key=f"{code}-deputy", unit=units[lead], position="分管负责人"), "专班副组长"),
                (people.get(key=f"{code}-clerk", unit=units[lead], position=f"{name}联络员"), "联络员"),
            ]  # fmt: skip
            coop_services.task_force_set(actor=None, base=base, members=members)
        bases[code] = base
        if not WorkPlan.objects.filter(base=base).exists():
            adopted_on = dt.date(2021, 3, 10 + order)
            plan_services.work_plan_create(
                actor=None,
                base=base,
                title=f"{name}工作方案",
                adopted_on=adopted_on,
                summary=f"明确{name}的目标任务、责任分工和时间节点。",
                document=SimpleUploadedFile(
                    f"{code}-工作方案.docx",
                    _plan_document(base, lead, adopted_on),
                    content_type=DOCX,
                ),
            )
        if not Milestone.objects.filter(base=base).exists():
            for index, (title, due, deliverable) in enumerate(MILESTONES):
                late = index == 3 and order % 4 == 3  # three bases still short of the last one
                status = MilestoneStatus.IN_PROGRESS if late else MilestoneStatus.DONE
                plan_services.milestone_create(
                    actor=None,
                    base=base,
                    title=title,
                    owner_unit=units[lead],
                    due_date=due,
                    deliverable=deliverable,
                    status=status,
                    done_date=None if late else due - dt.timedelta(days=3 + order),
                    sort_order=index,
                )
                result.add("milestones")
    return bases


# Cooperations --------------------------------------------------------------------------------


@dataclass
class Spec:
    title: str
    parties: tuple[str, ...]
    universities: tuple[str, ...]
    kind: str
    channel: str
    industry: str
    base: str
    stage: str = ""
    participants: int = 0
    online: bool = False
    description: str = ""
    coverage: bool = False


TOPICS = {
    "research": "关键技术联合攻关",
    "transfer": "科技成果转化",
    "expert_team": "专家工作站",
    "internship": "实习实训基地",
    "training": "人才培训",
    "talent": "人才引进",
}
ENTERPRISE_KINDS = ("research", "transfer", "expert_team", "internship", "talent", "research")
CHANNELS = ("invite", "find", "find", "attract", "gather", "gather", "invite", "other")


def _plan(universities: Iterable[str]) -> list[Spec]:
    """The 120 cooperations: the case's own, then one for every unit still without a partner,
    then more for the enterprises; every university of the demo list takes part."""
    rng = random.Random(2021)
    specs = [
        Spec(c.title, c.parties, c.universities, c.kind, c.channel, c.industry, c.base, c.stage,
             c.participants, c.online, c.description)
        for c in yongji.CASE_COOPERATIONS
    ]  # fmt: skip
    unused = [u for u in universities if not any(u in s.universities for s in specs)]
    titles = {s.title for s in specs}

    def pick(candidates: Iterable[str]) -> str:
        pool = list(candidates)
        for u in unused:
            if u in pool:
                unused.remove(u)
                return u
        if unused:
            return unused.pop(0)
        return pool[rng.randrange(len(pool))]

    def add(party: str, uni: str, kind: str, industry: str, base: str, coverage: bool) -> None:
        title = f"{party}与{uni}{TOPICS[kind]}"
        suffix = 2
        while title in titles:
            title = f"{party}与{uni}{TOPICS[kind]}（{suffix}）"
            suffix += 1
        titles.add(title)
        specs.append(
            Spec(title, (party,), (uni,), kind, CHANNELS[rng.randrange(len(CHANNELS))],
                 industry, base, coverage=coverage)
        )  # fmt: skip

    covered = {p for s in specs for p in s.parties}
    enterprises = [e for e in yongji.ENTERPRISES if e.leading]
    for e in enterprises:
        if e.name not in covered:
            add(e.name, pick(yongji.INDUSTRY_UNIVERSITIES[e.industry]), "research", e.industry,
                yongji.INDUSTRY_BASE[e.industry], True)  # fmt: skip
    for name, _short in yongji.DEPARTMENTS:
        if name not in covered:
            topic, kind = yongji.DEPARTMENT_TOPICS[name]
            del topic
            add(name, pick(yongji.PUBLIC_UNIVERSITIES), kind, "",
                yongji.DEPARTMENT_BASE.get(name, ""), True)  # fmt: skip
    for town, _kind, _code, villages in yongji.TOWNS:
        for unit in (town, *villages):
            if unit not in covered:
                add(unit, pick(yongji.PUBLIC_UNIVERSITIES), "training", "", "YJ-B10", True)
    index = 0
    while len(specs) < yongji.TOTAL:
        e = enterprises[index % len(enterprises)]
        kind = ENTERPRISE_KINDS[(index // len(enterprises)) % len(ENTERPRISE_KINDS)]
        add(e.name, pick(yongji.INDUSTRY_UNIVERSITIES[e.industry]), kind, e.industry,
            yongji.INDUSTRY_BASE[e.industry], False)  # fmt: skip
        index += 1
    if unused:
        raise AssertionError(f"demo universities without a cooperation: {unused}")
    _assign_stages(specs, rng)
    return specs


def _assign_stages(specs: list[Spec], rng: random.Random) -> None:
    """Give the generated cooperations stages so that the totals are the case's."""
    fixed = [s for s in specs if s.stage]
    free = [s for s in specs if not s.stage]
    landed = yongji.LANDED - sum(s.stage == "landed" for s in fixed)
    agreement = yongji.AGREEMENTS - yongji.LANDED - sum(s.stage == "agreement" for s in fixed)
    # Dropped only where the party has another cooperation, so coverage stays whole.
    droppable = [s for s in free if not s.coverage][-yongji.DROPPED :]
    for s in droppable:
        s.stage = "dropped"
    rest = [s for s in free if not s.stage]
    stages = ["landed"] * landed + ["agreement"] * agreement
    stages += ["intention"] * (len(rest) - len(stages))
    rng.shuffle(stages)
    for s, stage in zip(rest, stages, strict=True):
        s.stage = stage


def _dates(rng: random.Random, stage: str) -> dict[str, object]:
    intention = dt.date(YEAR, 1, 4) + dt.timedelta(days=rng.randrange(0, 260))
    out: dict[str, object] = {"intention_date": intention}
    if stage in ("agreement", "landed"):
        agreement = min(
            intention + dt.timedelta(days=rng.randrange(10, 110)), dt.date(YEAR, 12, 10)
        )
        out["agreement_date"] = agreement
        if stage == "landed":
            out["landed_date"] = min(
                agreement + dt.timedelta(days=rng.randrange(15, 100)), dt.date(YEAR, 12, 28)
            )
    if stage == "dropped":
        out["dropped_date"] = intention + dt.timedelta(days=rng.randrange(30, 90))
        out["drop_reason"] = "企业调整发展方向，双方协商终止"
    return out


def _cooperations(
    result: DemoResult,
    units: dict[str, Unit],
    universities: dict[str, University],
    industries: dict[str, LocalIndustry],
    bases: dict[str, Base],
) -> dict[str, Cooperation]:
    office = units[yongji.OFFICE]
    rng = random.Random(881)
    cooperations: dict[str, Cooperation] = {}
    specs = _plan(u for u in universities if u not in ("山东大学", "北京大学", "中国人民大学"))
    existing = {c.title: c for c in Cooperation.objects.filter(owner_unit=office)}
    for spec in specs:
        dates = _dates(rng, spec.stage)
        planned = Decimal(rng.randrange(5, 300) * 10 if spec.industry else rng.randrange(0, 20) * 5)
        share = rng.randrange(60, 101)
        if spec.title in existing:
            cooperations[spec.title] = existing[spec.title]
            continue
        landed = (
            (planned * share / 100).quantize(Decimal(1)) if spec.stage == "landed" else Decimal(0)
        )
        data = coop_services.CooperationData(
            title=spec.title,
            owner_unit=office,
            parties=[units[p] for p in spec.parties],
            universities=[universities[u] for u in spec.universities],
            channel=spec.channel,
            kind=spec.kind,
            base=bases.get(spec.base),
            local_industry=industries.get(spec.industry),
            stage=spec.stage,
            planned_investment=planned,
            landed_investment=landed,
            participants=spec.participants,
            online=spec.online,
            description=spec.description,
            **dates,  # type: ignore[arg-type]
        )
        cooperations[spec.title] = coop_services.cooperation_create(actor=None, data=data)
        result.add("cooperations")
    return cooperations


def _participants(
    spec: yongji.Activity, units: dict[str, Unit], leaders: dict[str, Person]
) -> list[ParticipantData]:
    out = []
    for name, unit_name, title in spec.participants:
        if name.startswith("@"):
            leader = leaders[name[1:]]
            out.append(ParticipantData(name=leader.name, unit=leader.unit, title=leader.position))
        elif unit_name in units:
            out.append(ParticipantData(name=name, unit=units[unit_name], title=title))
        else:
            out.append(ParticipantData(name=name, organization=unit_name, title=title))
    return out


def _activities(
    result: DemoResult,
    units: dict[str, Unit],
    universities: dict[str, University],
    leaders: dict[str, Person],
    cooperations: dict[str, Cooperation],
) -> None:
    county = units[yongji.COUNTY[0]]
    for spec in yongji.ACTIVITIES:
        if Activity.objects.filter(title=spec.title, date=spec.date).exists():
            continue
        activity_create(
            actor=None,
            data=ActivityData(
                kind=spec.kind,
                title=spec.title,
                status=ActivityStatus.HELD,
                date=spec.date,
                organizer_unit=(
                    county if spec.kind == "standing_committee" else units[yongji.OFFICE]
                ),
                leader=leaders[spec.leader],
                location=spec.location,
                summary=spec.summary,
                minutes=spec.minutes,
                universities=[universities[u] for u in spec.universities],
                cooperations=[cooperations[t] for t in spec.cooperations],
                participants=_participants(spec, units, leaders),
            ),
        )
        result.add("activities")


def _secondee(result: DemoResult, universities: dict[str, University], people: People) -> Person:
    """The 武汉大学 associate professor (filed with the other people of the core demo)."""
    whu = universities["武汉大学"]
    home = Unit.objects.filter(university=whu).first() or _unit(
        result, whu.name, UnitKind.UNIVERSITY, None, university=whu
    )
    return people.get(
        key="whu", unit=home, position="武汉大学教师", degree=Degree.DOCTOR,
        title=yongji.SECONDMENT_PERSON_TITLE,
    )  # fmt: skip


def _secondment(
    result: DemoResult,
    units: dict[str, Unit],
    universities: dict[str, University],
    cooperations: dict[str, Cooperation],
    person: Person,
) -> None:
    """The associate professor's secondment to the development zone (the talent registry's
    entry of the secondee follows it)."""
    if not Secondment.all_objects.filter(person=person).exists():
        secondment_create(
            actor=None,
            data=SecondmentData(
                person=person,
                university=universities["武汉大学"],
                host_unit=units[yongji.ZONE],
                post=yongji.SECONDMENT_POST,
                start_date=dt.date(2021, 6, 1),
                end_date=dt.date(2022, 5, 31),
                cooperation=cooperations["开发区挂职合作"],
            ),
        )
        result.add("secondments")


def _users(result: DemoResult, units: dict[str, Unit], roles: dict[str, Role]) -> None:
    for username, unit_name, role_code, full_name in yongji.USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = core_services.user_create(
            username=username,
            password=yongji.DEMO_PASSWORD,
            unit=units[unit_name],
            roles=[roles[role_code]],
            full_name=full_name,
        )
        if roles[role_code].requires_otp:
            # Each account its own secret (django-otp draws 20 random bytes), printed by
            # ``yanzhen demo`` (demo_otp_secrets): no two accounts share a second factor.
            TOTPDevice.objects.create(user=user, name=yongji.DEMO_OTP_DEVICE, confirmed=True)
        result.add("users")


def demo_otp_secrets() -> list[tuple[str, str]]:
    """(user name, base32 secret) of the demo accounts' own devices, for an authenticator."""
    names = [username for username, *_ in yongji.USERS] + [u for u, *_ in portal.LOGINS]
    devices = TOTPDevice.objects.filter(
        user__username__in=names, name=yongji.DEMO_OTP_DEVICE, confirmed=True
    ).select_related("user")
    found = {d.user.username: base64.b32encode(d.bin_key).decode() for d in devices}
    return [(name, found[name]) for name in names if name in found]


@transaction.atomic
def load_demo(*, city: bool = True) -> DemoResult:
    """The Yongji case, and with ``city`` the other 12 counties of 运城市 and the login
    ``city`` (the suite's shared demo is Yongji's case alone; the city's tests load the rest)."""
    result = DemoResult()
    reference = load_reference(divisions=False)
    result.add("reference_rows", sum(r.created for r in reference.values()))
    industries = {i.code: i for i in LocalIndustry.objects.all()}
    universities = _universities(result)
    units = _units(result, industries)
    people = People(result)
    county = units[yongji.COUNTY[0]]
    leaders = {
        key: people.get(key=key, unit=county, position=position) for key, position in yongji.LEADERS
    }
    bases = _bases(result, units, leaders, people)
    province.load_base_types(result)
    cooperations = _cooperations(result, units, universities, industries, bases)
    _activities(result, units, universities, leaders, cooperations)
    _secondment(result, units, universities, cooperations, _secondee(result, universities, people))
    _users(result, units, _roles(result, county))
    # The parts of the other apps, each idempotent. The talent's records come before the
    # assessment, which computes its figures from them (the indicator sources).
    for part in (
        notifications,
        supervision,
        talent,
        assessment,
        demand,
        reviews,
        reporting,
        reports,
        signing,
        portal,
        halls,  # after the portal's logins
        events,  # the 云对接会, after the portal's logins
        calls,
    ):
        part.load(result)
    if city:  # the other counties of 运城市, after Yongji's case is complete
        province.load(result)
    return result
