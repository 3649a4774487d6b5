"""Reads of the cooperation ledger. Every selector takes the user and applies the data scope."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from yanzhen.cooperation.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ActivityStatus,
    ActivityTiming,
    Attachment,
    Base,
    BaseType,
    Channel,
    Cooperation,
    CooperationKind,
    CooperationLink,
    CooperationParty,
    CooperationUniversity,
    Secondment,
    StageChoices,
    StageEvent,
    TaskForceMember,
)
from yanzhen.cooperation.pending import REVIEW_KIND as REVIEW_KIND
from yanzhen.cooperation.pending import Pending as Pending
from yanzhen.cooperation.pending import pending_count as pending_count
from yanzhen.cooperation.pending import pending_of as pending_of
from yanzhen.cooperation.tally import stored_rows
from yanzhen.core.filters import Filters, choice, number, record, text, tristate
from yanzhen.core.filters import month as month_filter
from yanzhen.core.models import ApprovalRequest, RequestState, Unit
from yanzhen.core.registry import modules
from yanzhen.core.schemas import as_id
from yanzhen.core.scope import NOTHING, scope_of
from yanzhen.core.selectors import local_units, unit_qs
from yanzhen.engines import ledger
from yanzhen.engines.ledger import LAG_BUCKETS, WAIT_BUCKETS
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.models import Industry, LocalIndustry, University

if TYPE_CHECKING:
    from yanzhen.core.models import User
    from yanzhen.core.scope import AnyUser


def cooperation_qs(user: AnyUser, *, deleted: bool = False) -> QuerySet[Cooperation]:
    """The cooperations ``user`` may see: those linked to a unit in scope (owner, party or
    the base's lead department), or created by the user under a 仅本人 scope. Deleted ones
    only when asked (the recycle bin)."""
    scope = scope_of(user)
    base = (
        Cooperation.all_objects.filter(deleted_at__isnull=False)
        if deleted
        else Cooperation.objects.all()
    )
    if scope.everything:
        return base
    condition = NOTHING
    if scope.unit_q is not None:
        linked = CooperationLink.objects.filter(unit__in=scope.unit_ids()).values("cooperation_id")
        condition |= Q(pk__in=linked)
    if scope.self_only:
        condition |= Q(created_by_id=scope.user_id)
    return base.filter(condition)


def cooperation_get(user: AnyUser, pk: int) -> Cooperation:
    qs = cooperation_qs(user).select_related(
        "owner_unit", "base", "local_industry", "industry", "created_by", "updated_by"
    )
    return get_object_or_404(qs, pk=pk)


def cooperation_detail(user: AnyUser, pk: int) -> Cooperation:
    """A cooperation with what its pages show of it: its parties and universities, its
    attachments, and the activities and secondments it came with."""
    qs = cooperation_qs(user).select_related(
        "owner_unit", "base", "local_industry", "industry", "created_by", "updated_by"
    )
    secondments = Secondment.objects.select_related("person", "university")
    return get_object_or_404(
        qs.prefetch_related(
            "parties",
            "universities",
            "attachments",
            "activities",
            Prefetch("secondments", queryset=secondments),
        ),
        pk=pk,
    )


def cooperation_trash(user: AnyUser) -> QuerySet[Cooperation]:
    """The deleted cooperations ``user`` may see, restorable until they are purged."""
    return (
        cooperation_qs(user, deleted=True)
        .select_related("owner_unit", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def deleted_cooperation_get(user: AnyUser, pk: int) -> Cooperation:
    return get_object_or_404(cooperation_qs(user, deleted=True), pk=pk)


SUGGESTED_UNITS = 2000


def suggested_unit_names(user: AnyUser) -> list[str]:
    """The names the parties field suggests: the local units of the user's scope, in their
    order, while they are at most ``SUGGESTED_UNITS`` (a county has a few hundred); none
    beyond (270,000 nationally, where sorting them cost 0.7 s on SQLite for names no one
    would scroll through). Typed names are checked either way."""
    units = local_units(user)
    if units.order_by()[SUGGESTED_UNITS : SUGGESTED_UNITS + 1].exists():
        return []
    return list(units.values_list("name", flat=True))


@dataclass(frozen=True)
class CooperationRefs:
    """The records an API body names by key or code, found within the user's scope: None
    (or left out of the dicts) where there is none."""

    owner: Unit | None
    parties: dict[int, Unit]
    universities: dict[int, University]
    base: Base | None
    local_industry: LocalIndustry | None
    industry: Industry | None


def cooperation_refs(
    *,
    user: User,
    owner_unit_id: int,
    party_ids: Sequence[int],
    university_ids: Sequence[int],
    base_id: int | None,
    kept_base_id: int | None = None,
    local_industry: str | None = None,
    industry: str | None = None,
) -> CooperationRefs:
    """The records of a cooperation written with keys and codes. ``kept_base_id`` is the
    base the cooperation has now: accepted as it stands, in scope or not (the services
    decide who may change it)."""
    base = None
    if base_id is not None:
        bases = Base.objects.all() if base_id == kept_base_id else base_qs(user)
        base = bases.filter(pk=base_id).first()
    return CooperationRefs(
        owner=unit_qs(user).filter(pk=owner_unit_id).first(),
        parties=local_units(user).in_bulk(party_ids),
        universities=University.objects.in_bulk(university_ids),
        base=base,
        local_industry=(
            LocalIndustry.objects.filter(code=local_industry).first() if local_industry else None
        ),
        industry=Industry.objects.filter(code=industry).first() if industry else None,
    )


PIPELINE_CHOICES = [
    (s.value, STAGE_LABELS[s]) for s in (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)
]


def industry_choices(user: AnyUser) -> list[tuple[str, str]]:
    """The local industries a list filters by, and "未归类" (``none``: no industry)."""
    return [*LocalIndustry.objects.values_list("code", "name"), ("none", "未归类")]


@dataclass(frozen=True)
class CooperationFilters(Filters):
    """The filters of the ledger list; every dashboard figure links to a combination.
    ``base`` is a base's key or ``none`` (no base), chosen in a picker of the user's bases
    (``forms.CooperationFilterForm``); the hidden ones are set by links."""

    q: str = text("搜索")
    reached: str = choice("达到阶段", PIPELINE_CHOICES)
    stage: str = choice("当前阶段", StageChoices)
    year: int | None = number("年份", low=1900, high=2100)
    month: dt.date | None = month_filter("月份", hidden=True)
    channel: str = choice("对接渠道", Channel)
    kind: str = choice("合作类型", CooperationKind)
    industry: str = choice("本地产业", industry_choices)
    base: str = text("所属基地", max_length=20)
    university: int | None = record("合作高校", hidden=True)
    unit: int | None = record("本地合作方", hidden=True)
    waiting: str = choice("等待时长（月）", [(k, k) for k, _, _ in WAIT_BUCKETS], hidden=True)
    lag: str = choice("签约用时（天）", [(k, k) for k, _, _ in LAG_BUCKETS], hidden=True)
    online: bool | None = tristate("云对接/云签约")
    review: str = choice("审核", [("pending", "待审核")])


# The orders the API's ``sort`` names (the pages sort by their columns' headers).
SORTS = {
    "": ("-intention_date", "-id"),
    "intention_date": ("intention_date", "id"),
    "-agreement_date": ("-agreement_date", "-id"),
    "-landed_date": ("-landed_date", "-id"),
    "code": ("code",),
    "-planned_investment": ("-planned_investment", "-id"),
}


def _date_field(filters: CooperationFilters) -> str:
    if filters.reached in (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED):
        return f"{filters.reached}_date"
    if filters.stage == Stage.DROPPED:
        return "dropped_date"
    return "intention_date"


def _month_range(today: dt.date, months_back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _intention_by(
    qs: QuerySet[Cooperation], date_field: str, last: dt.date
) -> QuerySet[Cooperation]:
    """State that a cooperation whose ``date_field`` falls by ``last`` had its intention by then.

    The stage rules (``engines.stages``) keep every later date on or after the intention
    date, so this selects the same rows; it lets the database walk the list's order
    (newest intention first) from ``last`` instead of through every newer intention, which
    PostgreSQL otherwise does for ``LIMIT 20``, taking it for cheap.
    """
    if date_field == "intention_date":
        return qs
    return qs.filter(intention_date__lte=last)


def apply_filters(
    qs: QuerySet[Cooperation], filters: CooperationFilters, *, today: dt.date
) -> QuerySet[Cooperation]:
    date_field = _date_field(filters)
    if filters.reached:
        # A stage is reached once approved: the list of a figure holds exactly its records.
        qs = qs.filter(**{f"{date_field}__isnull": False}, approved=True)
    if filters.stage:
        qs = qs.filter(stage=filters.stage, approved=True)  # the approved stage (figures)
    if filters.month is not None or filters.lag:
        qs = qs.filter(approved=True)
    if filters.year is not None:
        qs = qs.filter(**{f"{date_field}__year": filters.year})
        qs = _intention_by(qs, date_field, dt.date(filters.year, 12, 31))
    if filters.month is not None:
        first = filters.month
        qs = qs.filter(**{f"{date_field}__range": (first, _month_end(first))})
        qs = _intention_by(qs, date_field, _month_end(first))
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry == "none":
        qs = qs.filter(local_industry__isnull=True)
    elif filters.industry:
        qs = qs.filter(local_industry__code=filters.industry)
    if filters.base == "none":
        qs = qs.filter(base__isnull=True)
    elif filters.base:
        qs = qs.filter(base_id=as_id(filters.base) or 0)  # not a key: no base has it
    if filters.university is not None:
        qs = qs.filter(
            pk__in=CooperationUniversity.objects.filter(university_id=filters.university).values(
                "cooperation_id"
            )
        )
    if filters.unit is not None:
        qs = qs.filter(
            pk__in=CooperationParty.objects.filter(unit_id=filters.unit).values("cooperation_id")
        )
    if filters.waiting:
        bucket = {key: (low, high) for key, low, high in WAIT_BUCKETS}[filters.waiting]
        open_field = "agreement_date" if filters.stage == Stage.AGREEMENT else "intention_date"
        low, high = bucket
        qs = qs.filter(**{f"{open_field}__lte": _month_end(_month_range(today, low))})
        if high is not None:
            qs = qs.filter(**{f"{open_field}__gte": _month_range(today, high)})
    if filters.lag:
        low, high = {key: (lo, hi) for key, lo, hi in LAG_BUCKETS}[filters.lag]
        qs = qs.annotate(
            sign_lag=ExpressionWrapper(
                F("agreement_date") - F("intention_date"), output_field=DurationField()
            )
        ).filter(agreement_date__isnull=False, sign_lag__gte=dt.timedelta(days=low))
        if high is not None:
            qs = qs.filter(sign_lag__lte=dt.timedelta(days=high))
    if filters.online is not None:
        qs = qs.filter(online=filters.online)
    if filters.review == "pending":
        waiting = ApprovalRequest.objects.filter(kind=REVIEW_KIND, state=RequestState.REQUESTED)
        qs = qs.filter(pk__in=waiting.values("target_id"))
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(code__icontains=text)
            | Q(
                pk__in=CooperationUniversity.objects.filter(
                    Q(university__name__icontains=text)
                    | Q(university__aliases__alias__icontains=text)
                ).values("cooperation_id")
            )
            | Q(
                pk__in=CooperationParty.objects.filter(unit__name__icontains=text).values(
                    "cooperation_id"
                )
            )
        )
    return qs.order_by(*SORTS[""])


def cooperation_list(
    *, user: AnyUser, filters: CooperationFilters, today: dt.date, order: str = ""
) -> QuerySet[Cooperation]:
    """The filtered cooperations ``user`` may see, ready to show (no query per row), newest
    intention first or in one of the ``SORTS``."""
    qs = apply_filters(cooperation_qs(user), filters, today=today).order_by(*SORTS[order])
    waiting = ApprovalRequest.objects.filter(
        kind=REVIEW_KIND, state=RequestState.REQUESTED, target_id=OuterRef("pk")
    )
    qs = qs.annotate(review_pending=Exists(waiting))
    return qs.select_related("owner_unit", "base", "local_industry", "industry").prefetch_related(
        Prefetch("universities", queryset=University.objects.only("pk", "name")),
        "parties",
    )


def stage_events(cooperation: Cooperation) -> QuerySet[StageEvent]:
    return cooperation.stage_events.select_related("created_by").order_by("created_at", "id")


def attachment_get(user: AnyUser, pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.filter(cooperation__in=cooperation_qs(user)), pk=pk)


def stage_event_get(user: AnyUser, pk: int) -> StageEvent:
    return get_object_or_404(StageEvent.objects.filter(cooperation__in=cooperation_qs(user)), pk=pk)


# Bases ---------------------------------------------------------------------------------------


def base_qs(user: AnyUser) -> QuerySet[Base]:
    """Bases whose lead department or county is in scope.

    For a user below everything, the bases of either condition are read as a union of two
    index lookups: as one ``OR`` of two subqueries, PostgreSQL guesses three bases in four
    match and plans for it (on the benchmark's 33,600 bases, a county's 12 cost a scan of
    the 280,000 units joined to all of them: 80 ms a list, 5 ms as a union)."""
    scope = scope_of(user)
    if scope.everything:
        return Base.objects.all()
    led = Base.objects.filter(scope.q("lead_department")).order_by().values("pk")
    located = Base.objects.filter(scope.q("county", None)).order_by().values("pk")
    return Base.objects.filter(pk__in=led.union(located))


def base_type_choices(user: AnyUser) -> list[tuple[str, str]]:
    """The province's kinds of base a list filters by, and "未定类型" (``none``)."""
    return [*BaseType.objects.values_list("code", "name"), ("none", "未定类型")]


@dataclass(frozen=True)
class BaseFilters(Filters):
    q: str = text("搜索")
    base_type: str = choice("基地类型", base_type_choices)
    county: int | None = record("所属县（市、区）", hidden=True)


@dataclass(frozen=True)
class BaseRow:
    """A base of a list, with its figures (:func:`base_figures`)."""

    base: Base
    figures: dict[str, int]


class BaseRows(Sequence[BaseRow]):
    """The bases of a list with their figures, counted for the rows taken only: a page's,
    or an export's a chunk at a time (a few queries a chunk, none a base)."""

    chunk = 500

    def __init__(self, user: AnyUser, bases: QuerySet[Base]) -> None:
        self.user = user
        self.bases = bases

    def __len__(self) -> int:
        return self.bases.count()

    @overload
    def __getitem__(self, index: int) -> BaseRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[BaseRow]: ...

    def __getitem__(self, index: int | slice) -> BaseRow | list[BaseRow]:
        if isinstance(index, slice):
            return self._rows(list(self.bases[index]))
        return self._rows([self.bases[index]])[0]

    def __iter__(self) -> Iterator[BaseRow]:
        found = self.bases.iterator(chunk_size=self.chunk)
        while chunk := list(itertools.islice(found, self.chunk)):
            yield from self._rows(chunk)

    def _rows(self, bases: list[Base]) -> list[BaseRow]:
        figures = base_figures(user=self.user, bases=bases)
        return [BaseRow(b, figures[b.pk]) for b in bases]


def base_list(
    *, user: AnyUser, q: str = "", base_type: str = "", county: int | None = None
) -> QuerySet[Base]:
    """The bases ``user`` sees, in their order, searched by name or lead department, of a
    kind (``none``: without one) and of a county."""
    qs = base_qs(user).select_related("leader", "lead_department", "county", "base_type")
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(lead_department__name__icontains=q))
    if base_type == "none":
        qs = qs.filter(base_type__isnull=True)
    elif base_type:
        qs = qs.filter(base_type__code=base_type)
    if county is not None:
        qs = qs.filter(county_id=county)
    return qs.order_by("sort_order", "id")


def base_rows(*, user: AnyUser, filters: BaseFilters) -> BaseRows:
    """The list of bases: each with its task force and its figures."""
    members = TaskForceMember.objects.select_related("person")
    bases = base_list(
        user=user, q=filters.q, base_type=filters.base_type, county=filters.county
    ).prefetch_related(Prefetch("members", members))
    return BaseRows(user, bases)


@dataclass(frozen=True)
class BaseTypeRollup:
    """A kind of base across the counties ``user`` sees: its bases, per county, and the
    pipeline of their cooperations."""

    base_type: BaseType | None
    bases: int
    counties: dict[int, int]  # county id → bases of the kind there
    figures: dict[str, int]


def base_type_rollup(*, user: AnyUser) -> list[BaseTypeRollup]:
    """Per kind of base of the catalogue (and the bases without one, when any): how many of
    the user's bases are of the kind, in which counties, and the approved cooperations of
    those bases that reached each stage. A handful of queries whatever the number of bases."""
    bases = base_qs(user).order_by()
    per_county: dict[int | None, dict[int, int]] = defaultdict(dict)
    for type_id, county_id, n in (
        bases.values_list("base_type_id", "county_id").annotate(n=Count("id")).order_by()
    ):
        per_county[type_id][county_id] = n
    reached: dict[str, str] = {
        Stage.INTENTION: "intention_date",
        Stage.AGREEMENT: "agreement_date",
        Stage.LANDED: "landed_date",
    }
    figures: dict[int | None, dict[str, int]] = defaultdict(dict)
    coops = cooperation_qs(user).filter(approved=True, base__in=bases.values("pk")).order_by()
    for stage, date_field in reached.items():
        for type_id, n in (
            coops.filter(**{f"{date_field}__isnull": False})
            .values_list("base__base_type_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            figures[type_id][stage] = n
    kinds: list[BaseType | None] = [*BaseType.objects.all()]
    if None in per_county:
        kinds.append(None)
    empty: dict[str, int] = {Stage.INTENTION: 0, Stage.AGREEMENT: 0, Stage.LANDED: 0}
    return [
        BaseTypeRollup(
            base_type=kind,
            bases=sum(per_county[key].values()),
            counties=dict(per_county[key]),
            figures={**empty, **figures[key]},
        )
        for kind in kinds
        for key in [kind.pk if kind is not None else None]
    ]


def base_choices(*, user: AnyUser, q: str = "") -> QuerySet[Base]:
    """The user's bases as choices of a form: names and counties only, in their order,
    searched by base, lead department or county name."""
    qs = base_qs(user).select_related("county").only("id", "name", "county__name")
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(lead_department__name__icontains=q)
            | Q(county__name__icontains=q)
        )
    return qs.order_by("sort_order", "id")


def base_get(user: AnyUser, pk: int) -> Base:
    return get_object_or_404(
        base_qs(user).select_related("leader", "lead_department", "county", "base_type"), pk=pk
    )


def task_force(base: Base) -> list[TaskForceMember]:
    """The members of the task force of ``base``, in their order."""
    return list(base.members.select_related("person", "person__unit"))


def base_figures(*, user: AnyUser, bases: Sequence[Base]) -> dict[int, dict[str, int]]:
    """Per base: the task force's size and the pipeline counts (``intention``, ``agreement``,
    ``landed``), and the figures the apps built on the bases add (their ``bases.figures``,
    see ``core.registry``: the supervision's ``milestones``, ``overdue`` and ``done``)."""
    ids = [b.pk for b in bases]
    out: dict[int, dict[str, int]] = {
        pk: {"members": 0, Stage.INTENTION: 0, Stage.AGREEMENT: 0, Stage.LANDED: 0} for pk in ids
    }
    visible = base_qs(user).filter(pk__in=ids)
    for pk, members in visible.annotate(m=Count("members", distinct=True)).values_list("pk", "m"):
        out[pk]["members"] = members
    for (_dimension, key, stage, _year), value in stored_rows(
        dimension=ledger.BASE, key__in=[str(pk) for pk in ids]
    ).items():
        out[int(key)][stage] += value.count
    for _app, module in modules("bases"):
        for pk, figures in module.figures(user=user, bases=bases).items():
            out[pk].update(figures)
    return out


def base_page(*, user: User, base: Base) -> dict[str, object]:
    """What the apps built on the bases show on a base's page (their ``bases.page``: the
    supervision's work plan and milestones), as template context."""
    context: dict[str, object] = {}
    for _app, module in modules("bases"):
        context.update(module.page(user=user, base=base))
    return context


# Activities and secondments ------------------------------------------------------------------


def activity_qs(user: AnyUser, *, deleted: bool = False) -> QuerySet[Activity]:
    """The activities organised by a unit in scope; deleted ones only when asked (the trash)."""
    base = (
        Activity.all_objects.filter(deleted_at__isnull=False) if deleted else Activity.objects.all()
    )
    return base.filter(scope_of(user).q("organizer_unit"))


@dataclass(frozen=True)
class ActivityFilters(Filters):
    """The filters of the activity list (each dashboard figure of activities is one)."""

    q: str = text("搜索")
    timing: str = choice("进度", ActivityTiming)
    kind: str = choice("活动类型", ActivityKind)
    year: int | None = number("年份", low=1900, high=2100)


def timing_of(today: dt.date) -> Case:
    """Where an activity stands on ``today`` (:class:`ActivityTiming`), as an expression."""
    return Case(
        When(status=ActivityStatus.HELD, then=Value(ActivityTiming.HELD)),
        When(status=ActivityStatus.CANCELLED, then=Value(ActivityTiming.CANCELLED)),
        When(date__lt=today, then=Value(ActivityTiming.OVERDUE)),
        default=Value(ActivityTiming.UPCOMING),
        output_field=CharField(),
    )


def timing_q(timing: str, today: dt.date) -> Q:
    """The activities whose timing on ``today`` is ``timing`` (all for "")."""
    conditions: dict[str, Q] = {
        ActivityTiming.UPCOMING: Q(status=ActivityStatus.PLANNED, date__gte=today),
        ActivityTiming.OVERDUE: Q(status=ActivityStatus.PLANNED, date__lt=today),
        ActivityTiming.HELD: Q(status=ActivityStatus.HELD),
        ActivityTiming.CANCELLED: Q(status=ActivityStatus.CANCELLED),
    }
    return conditions.get(timing, Q())


def activity_list(*, user: AnyUser, filters: ActivityFilters, today: dt.date) -> QuerySet[Activity]:
    """The filtered activities ``user`` may see, each with its ``timing`` on ``today``, the
    latest first (the upcoming ones on top), ready to show (no query per row)."""
    qs = activity_qs(user).filter(timing_q(filters.timing, today))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year is not None:
        qs = qs.filter(date__year=filters.year)
    if text := filters.q.strip():
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(location__icontains=text)
            | Q(pk__in=Activity.universities.through.objects.filter(
                university__name__icontains=text
            ).values("activity_id"))
        )  # fmt: skip
    return (
        qs.annotate(timing=timing_of(today))
        .select_related("organizer_unit", "leader")
        .prefetch_related(Prefetch("universities", queryset=University.objects.only("pk", "name")))
        .order_by("-date", "-id")
    )


def activity_timings(*, user: AnyUser, today: dt.date) -> dict[str, int]:
    """How many of ``user``'s activities are upcoming, overdue, held and cancelled."""
    counted = (
        activity_qs(user)
        .annotate(timing=timing_of(today))
        .order_by()
        .values("timing")
        .annotate(n=Count("pk"))
    )
    found = {row["timing"]: row["n"] for row in counted}
    return {timing: found.get(timing, 0) for timing in ActivityTiming.values}


@dataclass(frozen=True)
class TrashFilters(Filters):
    """The filters of a trash (deleted activities or secondments)."""

    q: str = text("搜索")


def deleted_activity_list(*, user: AnyUser, filters: TrashFilters) -> QuerySet[Activity]:
    """The deleted activities ``user`` may see, restorable until they are purged, the last
    deleted first."""
    qs = activity_qs(user, deleted=True)
    if text := filters.q.strip():
        qs = qs.filter(Q(title__icontains=text) | Q(location__icontains=text))
    return qs.select_related("organizer_unit", "deleted_by").order_by("-deleted_at", "-id")


def deleted_activity_get(user: AnyUser, pk: int) -> Activity:
    return get_object_or_404(activity_qs(user, deleted=True), pk=pk)


def activity_get(user: AnyUser, pk: int) -> Activity:
    return get_object_or_404(
        activity_qs(user).select_related("organizer_unit", "leader", "created_by", "updated_by"),
        pk=pk,
    )


def activity_attachment_get(user: AnyUser, pk: int) -> ActivityAttachment:
    """A file of an activity ``user`` may see (404 otherwise)."""
    return get_object_or_404(
        ActivityAttachment.objects.filter(activity__in=activity_qs(user)), pk=pk
    )


def secondment_qs(user: AnyUser, *, deleted: bool = False) -> QuerySet[Secondment]:
    """The secondments hosted by a unit in scope; deleted ones only when asked (the trash)."""
    base = (
        Secondment.all_objects.filter(deleted_at__isnull=False)
        if deleted
        else Secondment.objects.all()
    )
    return base.filter(scope_of(user).q("host_unit"))


@dataclass(frozen=True)
class SecondmentFilters(Filters):
    """The filters of the secondment list."""

    q: str = text("搜索")
    current: bool | None = tristate("在岗")
    year: int | None = number("开始年份", low=1900, high=2100)


def secondment_list(
    *, user: AnyUser, filters: SecondmentFilters, today: dt.date
) -> QuerySet[Secondment]:
    """The filtered secondments ``user`` may see, the latest first (no query per row)."""
    qs = secondment_qs(user).select_related("person", "university", "host_unit", "cooperation")
    if text := filters.q.strip():
        qs = qs.filter(
            Q(person__name__icontains=text)
            | Q(university__name__icontains=text)
            | Q(host_unit__name__icontains=text)
            | Q(post__icontains=text)
        )
    if filters.current is not None:
        on_post = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        qs = qs.filter(on_post) if filters.current else qs.exclude(on_post)
    if filters.year is not None:
        qs = qs.filter(start_date__year=filters.year)
    return qs.order_by("-start_date", "-id")


def deleted_secondment_list(*, user: AnyUser, filters: TrashFilters) -> QuerySet[Secondment]:
    """The deleted secondments ``user`` may see, restorable until they are purged, the last
    deleted first."""
    qs = secondment_qs(user, deleted=True)
    if text := filters.q.strip():
        qs = qs.filter(
            Q(person__name__icontains=text)
            | Q(university__name__icontains=text)
            | Q(host_unit__name__icontains=text)
            | Q(post__icontains=text)
        )
    return qs.select_related("person", "university", "host_unit", "deleted_by").order_by(
        "-deleted_at", "-id"
    )


def deleted_secondment_get(user: AnyUser, pk: int) -> Secondment:
    return get_object_or_404(secondment_qs(user, deleted=True), pk=pk)


def secondment_get(user: AnyUser, pk: int) -> Secondment:
    return get_object_or_404(
        secondment_qs(user).select_related(
            "person", "university", "host_unit", "created_by", "updated_by"
        ),
        pk=pk,
    )


def visible_cooperation_choices(user: AnyUser, q: str = "") -> QuerySet[Cooperation, Any]:
    """The user's cooperations as choices of a form (code and title), newest first,
    searched by code or title."""
    qs = cooperation_qs(user)
    if text := q.strip():
        qs = qs.filter(Q(code__icontains=text) | Q(title__icontains=text))
    return qs.order_by("-intention_date", "-id").only("pk", "code", "title")


@dataclass(frozen=True)
class PartnerFilters(Filters):
    year: int | None = number("年份", low=1900, high=2100)


def partner_list(*, user: AnyUser, filters: PartnerFilters) -> QuerySet[University]:
    """Universities of the cooperations ``user`` sees, with their counts by reached stage.

    The list holds exactly the universities the dashboard counts as 合作高校: those of a
    cooperation whose intention falls in the ``year`` filtered (any year when none).
    """
    year = filters.year
    visible = cooperation_qs(user).filter(approved=True)
    links = CooperationUniversity.objects.filter(cooperation__in=visible)

    def reached(stage: str) -> Q:
        condition = Q(cooperations__in=visible, **{f"cooperations__{stage}_date__isnull": False})
        if year is not None:
            condition &= Q(**{f"cooperations__{stage}_date__year": year})
        return condition

    return (
        University.objects.filter(pk__in=links.values("university_id"))
        .annotate(
            n_intention=Count("cooperations", filter=reached("intention"), distinct=True),
            n_agreement=Count("cooperations", filter=reached("agreement"), distinct=True),
            n_landed=Count("cooperations", filter=reached("landed"), distinct=True),
        )
        .filter(n_intention__gt=0)
        .order_by("-n_intention", "code", "name")
    )
