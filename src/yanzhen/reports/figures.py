"""The catalogue of named figures: each a named, parameterised computation over the records a
user may see, for a period and a scope unit.

A figure returns its value, its definition in Chinese, and the records behind it (a queryset
in the user's data scope), so that a page links each figure to exactly its records and an
issued briefing can freeze their ids and versions. The same catalogue is what the briefing
templates may name (:func:`template_catalogue`).

Figures with a period (``时期``) take ``本期`` (the default), ``上年`` (the same period a year
earlier) or ``上期`` (the period just before, as long as this one); ``同比增长`` and
``环比增长`` take the name of another figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Model, Q, QuerySet, Sum
from django.urls import reverse

from yanzhen.college.models import BrandStore, Course, CourseCategory, Major
from yanzhen.college.selectors import college_qs
from yanzhen.cooperation.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Base,
    Cooperation,
    CooperationKind,
    CooperationLink,
    CooperationTally,
    CooperationUniversity,
    FollowUp,
    Secondment,
)
from yanzhen.cooperation.selectors import (
    activity_qs,
    base_qs,
    cooperation_qs,
    secondment_qs,
)
from yanzhen.cooperation.tally import stored_rows
from yanzhen.core.models import Degree, Unit, UnitClosure
from yanzhen.core.scope import scope_of
from yanzhen.engines import ledger
from yanzhen.engines.briefing_template import Catalogue, FigureRef, Kind, Param, Value
from yanzhen.engines.briefing_template import Figure as TemplateFigure
from yanzhen.engines.ledger import TallyValue
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import University
from yanzhen.reports import followups
from yanzhen.talent.models import RECRUITMENT_CHANNELS, Talent, TalentType
from yanzhen.talent.selectors import talent_qs

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser


class FigureError(ValueError):
    """A figure that cannot be computed as asked (an unknown name or parameter)."""


# Periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included: a year, a quarter, a month or any range."""

    start: dt.date
    end: dt.date

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        ends = (self.start.month, self.start.day, self.end.month, self.end.day)
        if ends == (1, 1, 12, 31) and self.start.year == self.end.year:
            return self.start.year
        return None

    @property
    def label(self) -> str:
        if self.year is not None:
            return f"{self.year}年"
        return f"{_day(self.start)}至{_day(self.end)}"

    def year_before(self) -> Period:
        return Period(_years_back(self.start), _years_back(self.end))

    def previous(self) -> Period:
        """The period just before, as long as this one (a month before a month, a year before
        a year)."""
        months = _whole_months(self)
        if months:
            start = _add_months(self.start, -months)
            return Period(start, _add_months(self.start, 0) - dt.timedelta(days=1))
        days = (self.end - self.start).days + 1
        return Period(self.start - dt.timedelta(days=days), self.start - dt.timedelta(days=1))

    def as_query(self) -> dict[str, str]:
        if self.year is not None:
            return {"year": str(self.year)}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _years_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _whole_months(period: Period) -> int:
    """How many whole calendar months the period spans, or 0 when it does not."""
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        return 0
    after = period.end + dt.timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


# The context a figure is computed in -------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    user: AnyUser
    period: Period
    unit: Unit | None = None

    def units(self) -> QuerySet[UnitClosure, Any]:
        """The scope unit and every unit below it (ids)."""
        assert self.unit is not None
        return UnitClosure.objects.filter(ancestor_id=self.unit.pk).values("descendant_id")


@dataclass(frozen=True)
class Result:
    """A figure's value, what it means, and the records behind it."""

    key: str
    name: str
    value: Value
    definition: str
    records: QuerySet[Any] | None
    period: Period

    @property
    def model_label(self) -> str:
        return self.records.model._meta.label_lower if self.records is not None else ""

    def record_ids(self) -> list[int]:
        """The ids of the records behind the figure, in id order."""
        if self.records is None:
            return []
        return list(self.records.order_by("pk").values_list("pk", flat=True))

    def record_versions(self) -> list[tuple[int, str]]:
        """``(id, version)`` of every record behind the figure, by id: the model's version
        number where it keeps one, otherwise the time of its last change."""
        if self.records is None:
            return []
        model = self.records.model
        fields = {f.name for f in model._meta.concrete_fields}
        field = "version" if "version" in fields else "updated_at" if "updated_at" in fields else ""
        if not field:
            return [(pk, "") for pk in self.records.order_by("pk").values_list("pk", flat=True)]
        return [
            (pk, v.isoformat() if isinstance(v, dt.datetime) else str(v))
            for pk, v in self.records.order_by("pk").values_list("pk", field)
        ]


def records_hash(model_label: str, records: Sequence[tuple[int, str]]) -> str:
    """The SHA-256 of the records behind a figure (model, ids and versions)."""
    text = json.dumps([model_label, [list(r) for r in records]], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# The figures -----------------------------------------------------------------------------------

Records = Callable[[Context], QuerySet[Any]]


@dataclass(frozen=True)
class Definition:
    name: str
    kind: Kind
    definition: str
    records: Records
    dated: bool = True
    total: Callable[[QuerySet[Any]], Value] | None = None  # the value, when not the count
    list_url: Callable[[Context], str] | None = None  # the app's own filtered list
    group: str = ""
    # The value read from the stored tally of the whole ledger for a calendar year, when the
    # reader sees everything and no unit is chosen (the national figures: a handful of small
    # queries whatever the size of the ledger); equal to the value from the records.
    tallied: Callable[[int], Value] | None = None


def _cooperations(ctx: Context) -> QuerySet[Cooperation]:
    # Official figures count what the level above has checked: a lower unit's new entry
    # waiting for review counts nowhere (its stage and dates are the approved ones otherwise).
    qs = cooperation_qs(ctx.user).filter(approved=True)
    if ctx.unit is not None:
        qs = qs.filter(
            pk__in=CooperationLink.objects.filter(unit__in=ctx.units()).values("cooperation_id")
        )
    return qs


def _reached(stage: str) -> Records:
    def records(ctx: Context) -> QuerySet[Any]:
        return _cooperations(ctx).filter(
            **{f"{stage}_date__range": (ctx.period.start, ctx.period.end)}
        )

    return records


def _ledger(**params: str) -> Callable[[Context], str]:
    def url(ctx: Context) -> str:
        year = ctx.period.year
        if year is None:
            return ""
        query = {**params, "year": str(year)}
        if ctx.unit is not None:
            return ""  # the ledger filters by one party, not a unit and those below it
        return reverse("cooperation:cooperation_list") + "?" + urlencode(query)

    return url


def _universities(ctx: Context) -> QuerySet[University]:
    cooperations = _reached("intention")(ctx)
    return University.objects.filter(
        pk__in=CooperationUniversity.objects.filter(cooperation__in=cooperations).values(
            "university_id"
        )
    )


def _international(ctx: Context) -> QuerySet[Cooperation]:
    return _reached("intention")(ctx).filter(kind=CooperationKind.INTERNATIONAL)


def _participants(qs: QuerySet[Any]) -> Value:
    return int(qs.aggregate(n=Sum("participants"))["n"] or 0)


def _investment(qs: QuerySet[Any]) -> Value:
    total = Decimal(qs.aggregate(n=Sum("landed_investment"))["n"] or 0)
    # The same value on every database: PostgreSQL's sum keeps the column's two decimals
    # (56369.00), SQLite's does not (56369); a whole number is written without them.
    return total.quantize(Decimal(1)) if total == total.to_integral_value() else total


def _bases(ctx: Context) -> QuerySet[Base]:
    qs = base_qs(ctx.user)
    if ctx.unit is not None:
        units = ctx.units()
        qs = qs.filter(Q(lead_department__in=units) | Q(county__in=units))
    return qs


def _activities(kind: str) -> Records:
    def records(ctx: Context) -> QuerySet[Any]:
        qs: QuerySet[Activity] = activity_qs(ctx.user).filter(
            kind=kind,
            status=ActivityStatus.HELD,
            date__range=(ctx.period.start, ctx.period.end),
        )
        if ctx.unit is not None:
            qs = qs.filter(organizer_unit__in=ctx.units())
        return qs

    return records


def _secondments(ctx: Context) -> QuerySet[Secondment]:
    qs = secondment_qs(ctx.user).filter(start_date__range=(ctx.period.start, ctx.period.end))
    if ctx.unit is not None:
        qs = qs.filter(host_unit__in=ctx.units())
    return qs


def _talents(ctx: Context, **conditions: Any) -> QuerySet[Talent]:
    qs = talent_qs(ctx.user).filter(
        start_date__range=(ctx.period.start, ctx.period.end), **conditions
    )
    if ctx.unit is not None:
        qs = qs.filter(employer__in=ctx.units())
    return qs


def _talent(**conditions: Any) -> Records:
    return lambda ctx: _talents(ctx, **conditions)


def _talent_list(**params: str) -> Callable[[Context], str]:
    def url(ctx: Context) -> str:
        query = {
            **params,
            "start_from": ctx.period.start.isoformat(),
            "start_to": ctx.period.end.isoformat(),
        }
        if ctx.unit is not None:
            query |= {"unit": str(ctx.unit.pk), "sub": "1"}
        return reverse("talent:talent_list") + "?" + urlencode(query)

    return url


def _host_units(ctx: Context) -> QuerySet[Unit]:
    interns = _talents(ctx, talent_type=TalentType.INTERN)
    return Unit.objects.filter(pk__in=interns.values("employer_id"))


def _colleges(ctx: Context) -> QuerySet[Any]:
    qs = college_qs(ctx.user)
    if ctx.unit is not None:
        qs = qs.filter(owner_unit__in=ctx.units())
    return qs


def _majors(ctx: Context) -> QuerySet[Major]:
    return Major.objects.filter(college__in=_colleges(ctx))


def _categories(ctx: Context) -> QuerySet[CourseCategory]:
    return CourseCategory.objects.filter(major__college__in=_colleges(ctx))


def _courses(ctx: Context) -> QuerySet[Course]:
    return Course.objects.filter(category__major__college__in=_colleges(ctx))


def _stores(ctx: Context) -> QuerySet[BrandStore]:
    return BrandStore.objects.filter(
        brand__college__in=_colleges(ctx), is_active=True, opened_on__lte=ctx.period.end
    )


# The national figures from the stored tally (``cooperation.tally``, ``engines.ledger``) -------


def _tally(dimension: str, stage: str, key: str = "") -> Callable[[int], TallyValue]:
    def read(year: int) -> TallyValue:
        total = TallyValue()
        for value in stored_rows(dimension=dimension, key=key, stage=stage, year=year).values():
            total.add(value)
        return total

    return read


def _tally_count(dimension: str, stage: str, key: str = "") -> Callable[[int], Value]:
    return lambda year: _tally(dimension, stage, key)(year).count


def _tally_universities(year: int) -> Value:
    return CooperationTally.objects.filter(
        dimension=ledger.UNIVERSITY, stage=Stage.INTENTION, year=year, count__gt=0
    ).count()


def _tally_investment(year: int) -> Value:
    total = _tally(ledger.TOTAL, Stage.LANDED)(year).landed
    return total.quantize(Decimal(1)) if total == total.to_integral_value() else total


def _tally_students(year: int) -> Value:
    return _tally(ledger.KIND, Stage.INTENTION, CooperationKind.INTERNATIONAL)(year).participants


def national(ctx: Context) -> bool:
    """Whether the figures of ``ctx`` are those of the whole ledger for a calendar year."""
    return ctx.unit is None and ctx.period.year is not None and scope_of(ctx.user).everything


COOPERATION, TALENT, COLLEGE, WORK = "合作", "人才", "产业学院", "工作推进"


def _stage_count(name: str, definition: str, stage: Stage) -> Definition:
    """The cooperations that reached ``stage`` in the period (its date in the period)."""
    return Definition(
        name,
        Kind.COUNT,
        definition,
        _reached(stage.value),
        tallied=_tally_count(ledger.TOTAL, stage),
        list_url=_ledger(reached=stage.value),
        group=COOPERATION,
    )


def _type_count(name: str, definition: str, talent_type: TalentType) -> Definition:
    """The talents of ``talent_type`` who arrived in the period."""
    return Definition(
        name,
        Kind.COUNT,
        definition,
        _talent(talent_type=talent_type),
        list_url=_talent_list(talent_type=talent_type),
        group=TALENT,
    )


def _degree_count(name: str, definition: str, degree: Degree) -> Definition:
    """The recruited talents (the recruitment channels) with ``degree`` who arrived in the
    period."""
    return Definition(
        name,
        Kind.COUNT,
        definition,
        _talent(channel__in=RECRUITMENT_CHANNELS, degree=degree),
        list_url=_talent_list(group="recruited", degree=degree),
        group=TALENT,
    )


FIGURES: tuple[Definition, ...] = (
    Definition(
        "基地数",
        Kind.COUNT,
        "已建的合作基地（12大基地），不随时期变化",
        _bases,
        dated=False,
        list_url=lambda ctx: reverse("cooperation:base_list"),
        group=WORK,
    ),
    Definition(
        "合作高校数",
        Kind.COUNT,
        "期内有合作意向的高校（院所），每所计一次",
        _universities,
        tallied=_tally_universities,
        list_url=lambda ctx: (
            reverse("cooperation:partner_list") + f"?year={ctx.period.year}"
            if ctx.period.year is not None and ctx.unit is None
            else ""
        ),
        group=COOPERATION,
    ),
    _stage_count("合作意向数", "意向日期在期内的合作", Stage.INTENTION),
    _stage_count("签约数", "签约日期在期内的合作（签订合作协议）", Stage.AGREEMENT),
    _stage_count("落地数", "落地日期在期内的合作项目", Stage.LANDED),
    Definition(
        "落地投资",
        Kind.AMOUNT,
        "期内落地项目的落地投资合计（万元）",
        _reached("landed"),
        total=_investment,
        tallied=_tally_investment,
        list_url=_ledger(reached="landed"),
        group=COOPERATION,
    ),
    Definition(
        "云签约数",
        Kind.COUNT,
        "期内签约且以云对接、云签约方式达成的合作",
        lambda ctx: _reached("agreement")(ctx).filter(online=True),
        list_url=_ledger(reached="agreement", online="true"),
        group=COOPERATION,
    ),
    Definition(
        "国际合作数",
        Kind.COUNT,
        "意向日期在期内的国际合作",
        _international,
        tallied=_tally_count(ledger.KIND, Stage.INTENTION, CooperationKind.INTERNATIONAL),
        list_url=_ledger(reached="intention", kind=CooperationKind.INTERNATIONAL),
        group=COOPERATION,
    ),
    Definition(
        "国际合作学生数",
        Kind.COUNT,
        "期内国际合作的参与学生人数之和",
        _international,
        total=_participants,
        tallied=_tally_students,
        list_url=_ledger(reached="intention", kind=CooperationKind.INTERNATIONAL),
        group=COOPERATION,
    ),
    Definition(
        "常委会研究次数",
        Kind.COUNT,
        "期内已召开的常委会专题研究",
        _activities(ActivityKind.STANDING_COMMITTEE),
        group=WORK,
    ),
    Definition(
        "带队对接次数",
        Kind.COUNT,
        "期内领导带队赴高校对接（已成行）",
        _activities(ActivityKind.DELEGATION),
        group=WORK,
    ),
    Definition(
        "推介会次数",
        Kind.COUNT,
        "期内已举办的推介会",
        _activities(ActivityKind.PROMOTION),
        group=WORK,
    ),
    Definition(
        "挂职人数",
        Kind.COUNT,
        "期内开始挂职的高校人员",
        _secondments,
        list_url=lambda ctx: reverse("cooperation:secondment_list"),
        group=WORK,
    ),
    Definition(
        "人才数",
        Kind.COUNT,
        "期内到岗的引进人才（公开招聘、柔性引才、校园招聘）",
        _talent(channel__in=RECRUITMENT_CHANNELS),
        list_url=_talent_list(group="recruited"),
        group=TALENT,
    ),
    _degree_count("博士数", "期内到岗的引进人才中的博士研究生", Degree.DOCTOR),
    _degree_count("硕士数", "期内到岗的引进人才中的硕士研究生", Degree.MASTER),
    _type_count("选调生数", "期内到岗的选调生", TalentType.SELECTED_GRADUATE),
    _type_count("医学毕业生数", "期内到岗的医学毕业生", TalentType.MEDICAL_GRADUATE),
    _type_count("实习生数", "期内开始实习实训的大学生", TalentType.INTERN),
    Definition(
        "实习单位数",
        Kind.COUNT,
        "期内接收实习实训学生的单位，每个单位计一次",
        _host_units,
        group=TALENT,
    ),
    Definition(
        "专业数",
        Kind.COUNT,
        "产业学院现设的专业，不随时期变化",
        _majors,
        dated=False,
        group=COLLEGE,
    ),
    Definition(
        "类别数",
        Kind.COUNT,
        "产业学院各专业下现设的课程类别，不随时期变化",
        _categories,
        dated=False,
        group=COLLEGE,
    ),
    Definition(
        "课程数",
        Kind.COUNT,
        "产业学院现设的课程，不随时期变化",
        _courses,
        dated=False,
        group=COLLEGE,
    ),
    Definition(
        "门店数",
        Kind.COUNT,
        "产业学院品牌在期末营业中的连锁门店（期末前开业）",
        _stores,
        list_url=lambda ctx: reverse("talent:store_list"),
        group=COLLEGE,
    ),
)
FIGURES += tuple(
    Definition(name, kind, text, followups.follow_ups, total=followups.total(field, kind),
               list_url=followups.list_url, group=followups.GROUP)
    for name, kind, text, field in followups.FIGURES
)  # fmt: skip
BY_NAME = {f.name: f for f in FIGURES}
GROWTH = {"同比增长": "上年", "环比增长": "上期"}
THIS, YEAR_BEFORE, BEFORE = "本期", "上年", "上期"
PERIOD_WORDS = (THIS, "本年", YEAR_BEFORE, BEFORE)


def template_catalogue() -> Catalogue:
    """The catalogue the briefing templates name figures from."""
    figures = [
        TemplateFigure(
            f.name,
            f.kind,
            (Param("时期", PERIOD_WORDS),) if f.dated else (),
            f.definition,
        )
        for f in FIGURES
    ]
    figures += [
        TemplateFigure(
            name,
            Kind.PERCENT,
            (Param("指标", figures=True, required=True),),
            f"本期比{word}的增长率（上期为零时不计）",
        )
        for name, word in GROWTH.items()
    ]
    return Catalogue(figures)


def _shifted(ctx: Context, word: str) -> Context:
    if word in (THIS, "本年"):
        return ctx
    if word == YEAR_BEFORE:
        return replace(ctx, period=ctx.period.year_before())
    if word == BEFORE:
        return replace(ctx, period=ctx.period.previous())
    raise FigureError(f"时期“{word}”不可用，可用：{'、'.join(PERIOD_WORDS)}")


def compute(ref: FigureRef, ctx: Context) -> Result:
    """The figure ``ref`` names (``合作意向数``, ``合作意向数:上年``, ``同比增长:签约数``)."""
    if ref.name in GROWTH:
        if len(ref.args) != 1:
            raise FigureError(f"“{ref.name}”须写明指标，如“{ref.name}:签约数”")
        now = compute(FigureRef(ref.args[0]), ctx)
        before = compute(FigureRef(ref.args[0]), _shifted(ctx, GROWTH[ref.name]))
        value: Value = None
        a, b = now.value, before.value
        if isinstance(a, int | Decimal) and isinstance(b, int | Decimal) and b:
            value = (Decimal(a) - Decimal(b)) / Decimal(b)
        return Result(
            key=ref.key,
            name=ref.name,
            value=value,
            definition=f"{now.name}本期比{GROWTH[ref.name]}的增长率：{now.definition}",
            records=now.records,
            period=ctx.period,
        )
    definition = BY_NAME.get(ref.name)
    if definition is None:
        raise FigureError(f"未知的指标“{ref.name}”")
    if len(ref.args) > (1 if definition.dated else 0):
        raise FigureError(f"指标“{ref.name}”不接受参数“{'，'.join(ref.args)}”")
    shifted = _shifted(ctx, ref.args[0]) if ref.args else ctx
    records = definition.records(shifted)
    if definition.tallied is not None and shifted.period.year is not None and national(shifted):
        value = definition.tallied(shifted.period.year)
    else:
        value = definition.total(records) if definition.total else records.count()
    return Result(
        key=ref.key,
        name=ref.name,
        value=value,
        definition=definition.definition,
        records=records,
        period=shifted.period,
    )


def kind_of(name: str) -> Kind:
    """The kind of value the figure ``name`` has."""
    if name in GROWTH:
        return Kind.PERCENT
    definition = BY_NAME.get(name)
    if definition is None:
        raise FigureError(f"未知的指标“{name}”")
    return definition.kind


def list_url(name: str, ctx: Context) -> str:
    """The app's own list of a figure's records, where one shows exactly them ("" if none)."""
    definition = BY_NAME.get(name)
    if definition is None or definition.list_url is None:
        return ""
    return definition.list_url(ctx)


def records_url(key: str, ctx: Context) -> str:
    """The page that lists exactly the records behind the figure ``key`` (live)."""
    query = {"figure": key, **ctx.period.as_query()}
    if ctx.unit is not None:
        query["unit"] = str(ctx.unit.pk)
    return reverse("reports:figure_records") + "?" + urlencode(query)


def parse_key(key: str) -> FigureRef:
    """``合作意向数:上年`` → FigureRef."""
    name, _, args = key.replace("：", ":").partition(":")
    return FigureRef(name.strip(), tuple(a.strip() for a in args.split(",") if a.strip()))


def compute_all(refs: Iterable[FigureRef], ctx: Context) -> dict[str, Result]:
    return {ref.key: compute(ref, ctx) for ref in refs}


# How the records of each kind are shown (a label without personal data, and a link) ------------


def record_rows(model_label: str, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """``(id, label, url)`` of records by id, for the lists behind the figures. The caller has
    already limited ``ids`` to the user's scope."""
    from django.apps import apps  # the model is named by its label

    model: type[Model] = apps.get_model(model_label)
    objs = {o.pk: o for o in model._default_manager.filter(pk__in=list(ids))}
    out = []
    for pk in ids:
        obj = objs.get(pk)
        if obj is None:
            out.append((pk, "（记录已不在）", ""))
            continue
        label, url = _describe(obj)
        out.append((pk, label, url))
    return out


def _describe(obj: Model) -> tuple[str, str]:
    if isinstance(obj, Cooperation):
        url = reverse("cooperation:cooperation_detail", args=[obj.pk])
        return f"{obj.code} {obj.title}", url
    if isinstance(obj, Base):
        return f"{obj.code} {obj.name}", reverse("cooperation:base_detail", args=[obj.pk])
    if isinstance(obj, Activity):
        return f"{obj.date} {obj.title}", reverse("cooperation:activity_detail", args=[obj.pk])
    if isinstance(obj, Secondment):
        return f"挂职 {obj.post}", reverse("cooperation:secondment_detail", args=[obj.pk])
    if isinstance(obj, University):
        return obj.name, reverse("reference:university_detail", args=[obj.pk])
    if isinstance(obj, Talent):
        label = f"{obj.get_talent_type_display()} · {obj.start_date}"
        return label, reverse("talent:talent_detail", args=[obj.pk])
    if isinstance(obj, Unit):
        return obj.name, reverse("core:unit_detail", args=[obj.pk])
    if isinstance(obj, FollowUp):
        return followups.describe(obj)
    if isinstance(obj, Major):
        return obj.name, reverse("talent:college_detail", args=[obj.college_id])
    return str(obj), ""


def records_permission(key: str) -> str | None:
    """The permission to read the records behind the figure ``key`` (None: reference data,
    or a key that names no figure — the page's own 404 answers it)."""
    ref = parse_key(key)
    name = ref.args[0] if ref.name in GROWTH and ref.args else ref.name
    definition = BY_NAME.get(name)
    if definition is None:
        return None
    # The records' query is built, not run: only its model is read (nobody's scope needed).
    from django.contrib.auth.models import AnonymousUser

    nobody = Context(user=AnonymousUser(), period=Period.of_year(2000))
    model = definition.records(nobody).model._meta
    if model.app_label == "reference":
        return None
    return f"{model.app_label}.view_{model.model_name}"
