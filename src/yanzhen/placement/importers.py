"""The placement registers for the one import flow (``core.importing``):

``interns`` — the applicants of a placement programme (实习实训/选调/医学毕业生 …) with their
ranked choices of the programme's hosts. Natural key: 项目名称 + 编号.

``host-rankings`` — each host's rank or score of an applicant. Natural key: 项目名称 + 接收单位 +
申请人编号. Rows not in the file leave the host's other rankings as they are.

A programme is named by its name among the programmes the user may see (or, on the
programme's own page, fixed by the page: its sheets have no 项目名称 column); a host by its unit's
name or short name within the programme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from yanzhen.core.import_kit import Item, Lookups, ServiceRegister, degree_choices, invalid, plain
from yanzhen.core.models import Gender, User
from yanzhen.engines import idcard
from yanzhen.engines.tabular import Choice, FieldSpec, Record
from yanzhen.placement.models import Host, HostRanking, PlacementApplicant, Preference, Programme
from yanzhen.placement.selectors import programme_qs
from yanzhen.placement.services import programmes as services
from yanzhen.reference.models import Discipline
from yanzhen.talent.services.common import person_for

PROGRAMME = FieldSpec("programme", "项目名称", required=True,
                      synonyms=("分配项目", "项目", "实习项目", "批次"))  # fmt: skip
INTERN_COMPARED = ("university", "discipline", "degree")


def intern_specs() -> tuple[FieldSpec, ...]:
    genders = tuple(Choice(v, str(lbl), (f"{lbl}性",)) for v, lbl in Gender.choices)
    return (
        PROGRAMME,
        FieldSpec("code", "编号", required=True, synonyms=("申请人编号", "学号", "报名号")),
        FieldSpec("name", "姓名", required=True, synonyms=("学生姓名", "申请人")),
        FieldSpec("gender", "性别", "choice", choices=genders),
        FieldSpec("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码")),
        FieldSpec("mobile", "手机号", synonyms=("手机号码", "联系电话")),
        FieldSpec("university", "所在高校", synonyms=("学校", "院校", "所在院校", "高校")),
        FieldSpec("degree", "学位", "choice", choices=degree_choices(),
                  synonyms=("学历", "在读学历")),
        FieldSpec("discipline", "学科代码", synonyms=("学科", "专业类")),
        FieldSpec("preferences", "志愿单位", "list",
                  synonyms=("志愿", "意向单位", "实习意向单位", "志愿顺序")),
    )  # fmt: skip


def ranking_specs() -> tuple[FieldSpec, ...]:
    return (
        PROGRAMME,
        FieldSpec("host", "接收单位", required=True, synonyms=("实习单位", "用人单位", "单位")),
        FieldSpec("code", "申请人编号", required=True, synonyms=("编号", "学号", "报名号")),
        FieldSpec("rank", "排名", "int", synonyms=("名次", "顺位")),
        FieldSpec("score", "评分", "decimal", synonyms=("得分", "分数", "面试成绩")),
        FieldSpec("basis", "依据", synonyms=("说明", "评价依据")),
    )  # fmt: skip


def _programmes(ctx: Lookups) -> None:
    programmes = {p.name: p for p in programme_qs(ctx.user)}
    hosts: dict[int, dict[str, Host]] = defaultdict(dict)
    for host in Host.objects.filter(programme__in=programmes.values()).select_related("unit"):
        hosts[host.programme_id][host.unit.name] = host
        if host.unit.short_name:
            hosts[host.programme_id].setdefault(host.unit.short_name, host)
    ctx.extra["programmes"], ctx.extra["hosts"] = programmes, hosts


def _programme(ctx: Lookups, values: Mapping[str, object], errors: dict[str, str]) -> Programme:
    given = values["programme"]
    if isinstance(given, Programme):  # fixed by the programme's own page
        name = given.name
        found: Programme | None = next(
            (p for p in ctx.extra["programmes"].values() if p.pk == given.pk), None
        )
    else:
        name = str(given).strip()
        found = ctx.extra["programmes"].get(name)
    if found is None:
        errors["programme"] = f"找不到分配项目“{name}”（或不在您的数据范围内）"
    return found  # type: ignore[return-value]  # with an error: never used


class InternRegister(ServiceRegister[Item, PlacementApplicant]):
    name = "interns"
    title = "实习实训申请人"
    permission = "placement.add_placementapplicant"
    model = PlacementApplicant
    university_fields = ("university",)
    compared = INTERN_COMPARED
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "code"}
    duplicate_message = "与第{row}行编号重复"

    def specs(self) -> tuple[FieldSpec, ...]:
        return intern_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        _programmes(ctx)
        ctx.extra["disciplines"] = {d.code: d for d in Discipline.objects.all()}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        programme = _programme(ctx, values, errors)
        choices: list[Host] = []
        if programme is not None:
            hosts = ctx.extra["hosts"].get(programme.pk, {})
            unknown = [str(n) for n in values["preferences"] if str(n) not in hosts]  # type: ignore[attr-defined]
            if unknown:
                errors["preferences"] = f"“{'、'.join(unknown)}”不是本项目的接收单位"
            choices = [hosts[str(n)] for n in values["preferences"] if str(n) in hosts]  # type: ignore[attr-defined]
        university = ctx.university(values["university"], errors, "university", notes)
        discipline = None
        if code := plain(values["discipline"]):
            discipline = ctx.extra["disciplines"].get(code)
            if discipline is None:
                errors["discipline"] = f"学科代码“{code}”不存在"
        number = idcard.normalize_id_number(plain(values["id_number"]))
        if number and (problem := idcard.check_id_number(number)):
            errors["id_number"] = problem
        if errors:
            raise invalid(errors)
        return {
            "programme": programme,
            "code": plain(values["code"]),
            "name": str(values["name"]).strip(),
            "gender": str(values["gender"]),
            "id_number": number,
            "mobile": plain(values["mobile"]),
            "university": university,
            "discipline": discipline,
            "degree": str(values["degree"]),
            "preferences": choices,
        }

    def key(self, item: Item) -> Hashable:
        return (item["programme"].pk, item["code"])

    def keys_of(self, obj: PlacementApplicant) -> Iterable[Hashable]:
        yield (obj.programme_id, obj.code)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[PlacementApplicant]:
        found = list(
            PlacementApplicant.objects.filter(
                programme__in={i["programme"].pk for i in items},
                code__in={i["code"] for i in items},
            )
        )
        choices: dict[int, list[int]] = defaultdict(list)
        for applicant, host in (
            Preference.objects.filter(applicant__in=found)
            .order_by("rank")
            .values_list("applicant_id", "host_id")
        ):
            choices[applicant].append(host)
        ctx.relations = dict(choices)
        return found

    def unchanged(self, context: Any, obj: PlacementApplicant, item: Item) -> bool:
        ctx: Lookups = context
        wanted = [h.pk for h in item["preferences"]]
        return super().unchanged(context, obj, item) and ctx.relations.get(obj.pk, []) == wanted

    def create(self, *, user: User, item: Item) -> PlacementApplicant:
        programme: Programme = item["programme"]
        person = person_for(
            actor=user,
            unit=programme.owner_unit,
            name=item["name"],
            id_number=item["id_number"],
            mobile=item["mobile"],
            gender=item["gender"],
            degree=item["degree"],
        )
        return services.placement_applicant_create(
            actor=user,
            programme=programme,
            code=item["code"],
            person=person,
            preferences=item["preferences"],
            university=item["university"],
            discipline=item["discipline"],
            degree=item["degree"],
        )

    def update(self, *, user: User, obj: PlacementApplicant, item: Item) -> PlacementApplicant:
        fields = {k: item[k] for k in (*INTERN_COMPARED, "preferences") if k in item}
        return services.placement_applicant_update(actor=user, applicant=obj, **fields)

    def remove(self, *, user: User, obj: PlacementApplicant) -> None:
        services.placement_applicant_delete(actor=user, applicant=obj)


class HostRankingRegister(ServiceRegister[Item, HostRanking]):
    name = "host-rankings"
    title = "接收单位排名"
    permission = "placement.change_programme"
    model = HostRanking
    compared = ("rank", "score", "basis")
    field_columns: ClassVar[Mapping[str, str]] = {"__duplicate__": "code"}
    duplicate_message = "与第{row}行是同一单位对同一申请人的排名"

    def specs(self) -> tuple[FieldSpec, ...]:
        return ranking_specs()

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        _programmes(ctx)
        applicants = PlacementApplicant.objects.filter(
            programme__in=ctx.extra["programmes"].values()
        )
        ctx.extra["applicants"] = {(a.programme_id, a.code): a for a in applicants}

    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        ctx: Lookups = context
        errors: dict[str, str] = {}
        programme = _programme(ctx, values, errors)
        host = applicant = None
        if programme is not None:
            name = str(values["host"]).strip()
            host = ctx.extra["hosts"].get(programme.pk, {}).get(name)
            if host is None:
                errors["host"] = f"“{name}”不是本项目的接收单位"
            code = plain(values["code"])
            applicant = ctx.extra["applicants"].get((programme.pk, code))
            if applicant is None:
                errors["code"] = f"没有编号为“{code}”的申请人"
        rank, score = values["rank"], values["score"]
        if rank is None and score is None:
            errors["rank"] = "排名和评分至少填一项"
        if errors:
            raise invalid(errors)
        return {
            "host": host,
            "applicant": applicant,
            "rank": rank,
            "score": None if score is None else Decimal(str(score)).quantize(Decimal("0.01")),
            "basis": str(values["basis"]).strip(),
        }

    def key(self, item: Item) -> Hashable:
        return (item["host"].pk, item["applicant"].pk)

    def keys_of(self, obj: HostRanking) -> Iterable[Hashable]:
        yield (obj.host_id, obj.applicant_id)

    def candidates(self, ctx: Lookups, items: Sequence[Item]) -> Iterable[HostRanking]:
        return HostRanking.objects.filter(host__in={i["host"].pk for i in items})

    def _put(self, user: User, item: Item, existing: HostRanking | None) -> HostRanking:
        entry = services.RankingEntry(
            applicant=item["applicant"], rank=item["rank"], score=item["score"],
            basis=item["basis"],
        )  # fmt: skip
        return services.host_ranking_put(
            actor=user, host=item["host"], entry=entry, existing=existing
        )

    def create(self, *, user: User, item: Item) -> HostRanking:
        return self._put(user, item, None)

    def update(self, *, user: User, obj: HostRanking, item: Item) -> HostRanking:
        return self._put(user, item, obj)

    def remove(self, *, user: User, obj: HostRanking) -> None:
        services.host_ranking_remove(actor=user, ranking=obj)


REGISTERS = (InternRegister(), HostRankingRegister())
