"""Writes of the portal's halls: an enterprise's technology needs (drafted, published, hidden
by its county's office), a university's or an expert's results (drafted, published), and the
notifications of a publication to the best-matching parties (BM25 of the retrieval engine over
what each party offers or asks; once per recipient and record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.demand.models import Expert, NeedStatus, TalentNeed
from yanzhen.engines.retrieval import BM25Index, default_tokenizer
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.portal.hall_selectors import result_text, tech_need_text
from yanzhen.portal.models import (
    HallState,
    IpExpectation,
    Maturity,
    OutsideAccount,
    PartyKind,
    Result,
    ResultKind,
    TechNeed,
    TransferMode,
)
from yanzhen.portal.services import REVIEW_PERMISSION
from yanzhen.reference.models import Discipline

TOP_MATCHES = 5  # how many parties a publication notifies at most


@dataclass(frozen=True)
class TechNeedData:
    title: str
    problem: str
    field: str
    discipline_code: str
    budget_min: int
    budget_max: int
    deadline: dt.date
    ip_expectation: str


@dataclass(frozen=True)
class ResultData:
    title: str
    kind: str
    summary: str
    discipline_code: str
    maturity: str
    transfer_mode: str
    price_min: int
    price_max: int


def _discipline(code: str, errors: dict[str, str]) -> Discipline | None:
    if not code:
        return None
    found = Discipline.objects.filter(code=code).first()
    if found is None:
        errors["discipline_code"] = f"学科代码“{code}”不存在"
    return found


def _required(values: dict[str, tuple[str, str]], errors: dict[str, str]) -> None:
    for key, (label, value) in values.items():
        if not value.strip():
            errors[key] = f"{label}不能为空"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError("invalid", "；".join(errors.values()), errors, status=422)


def tech_need_create(*, actor: User, data: TechNeedData) -> TechNeed:
    """A draft technology need of the actor's enterprise."""
    unit = actor.unit
    if unit is None or unit.kind != UnitKind.ENTERPRISE:
        raise ForbiddenError("只有企业账户可以发布技术难题")
    errors: dict[str, str] = {}
    _required(
        {"title": ("难题名称", data.title), "problem": ("问题描述", data.problem),
         "field": ("技术领域", data.field)},
        errors,
    )  # fmt: skip
    discipline = _discipline(data.discipline_code, errors)
    if data.budget_min < 0 or data.budget_max < data.budget_min:
        errors["budget_max"] = "预算上限（万元）不能小于预算下限"
    if data.deadline < timezone.localdate():
        errors["deadline"] = "解决期限不能早于今天"
    if data.ip_expectation not in IpExpectation.values:
        errors["ip_expectation"] = "知识产权预期不在可选范围内"
    _raise(errors)
    return TechNeed.objects.create(
        enterprise=unit,
        title=data.title.strip(),
        problem=data.problem.strip(),
        field=data.field.strip(),
        discipline=discipline,
        budget_min=data.budget_min,
        budget_max=data.budget_max,
        deadline=data.deadline,
        ip_expectation=data.ip_expectation,
        created_by=actor,
    )


def tech_need_publish(*, actor: User, need: TechNeed) -> list[User]:
    """Publish a draft of the actor's enterprise; the best-matching experts and universities
    with portal accounts are told. Returns the users notified now."""
    if need.enterprise_id != actor.unit_id:
        raise ForbiddenError("只能发布本企业的技术难题")
    if need.state != HallState.DRAFT:
        raise DomainError("state", "只有草稿可以发布", {"state": "状态不是草稿"}, status=409)
    with transaction.atomic():
        need.state = HallState.PUBLISHED
        need.published_at = timezone.now()
        need.save(update_fields=["state", "published_at"])
        recipients = matching_accounts(need)
        notify(
            event=Event.HALL_NEED,
            about=need,
            title=f"匹配的技术难题：{need.title}",
            body=f"{need.enterprise.name}发布了技术难题“{need.title}”（{need.field}）。",
            url=reverse("portal:tech_need_detail", args=[need.pk]),
            users=recipients,
            actor=actor,
        )
    return recipients


def tech_need_hide(*, actor: User, need: TechNeed) -> None:
    """The county office hides a need of an enterprise in its scope from the hall."""
    scoped = TechNeed.objects.filter(scope_of(actor).q("enterprise", None), pk=need.pk)
    if not actor.has_perm(REVIEW_PERMISSION) or not scoped.exists():
        raise ForbiddenError("只有本县的合作办可以隐藏技术难题")
    if need.state != HallState.PUBLISHED:
        raise DomainError(
            "state", "只有已发布的难题可以隐藏", {"state": "状态不是已发布"}, status=409
        )
    need.state = HallState.HIDDEN
    need.save(update_fields=["state"])


def result_create(*, actor: User, data: ResultData) -> Result:
    """A draft result of the actor's university or institute (an outside account)."""
    account = OutsideAccount.objects.filter(user=actor).select_related("organisation").first()
    if account is None or account.kind not in (PartyKind.UNIVERSITY, PartyKind.EXPERT):
        raise ForbiddenError("只有高校（科研院所）或专家账户可以发布成果")
    errors: dict[str, str] = {}
    _required({"title": ("成果名称", data.title), "summary": ("成果简介", data.summary)}, errors)
    discipline = _discipline(data.discipline_code, errors)
    for key, label, value, choices in (
        ("kind", "成果类型", data.kind, ResultKind.values),
        ("maturity", "成熟度", data.maturity, Maturity.values),
        ("transfer_mode", "转化方式", data.transfer_mode, TransferMode.values),
    ):
        if value not in choices:
            errors[key] = f"{label}不在可选范围内"
    if data.price_min < 0 or data.price_max < data.price_min:
        errors["price_max"] = "价格上限（万元）不能小于价格下限"
    _raise(errors)
    return Result.objects.create(
        organisation=account.organisation,
        title=data.title.strip(),
        kind=data.kind,
        summary=data.summary.strip(),
        discipline=discipline,
        maturity=data.maturity,
        transfer_mode=data.transfer_mode,
        price_min=data.price_min,
        price_max=data.price_max,
        created_by=actor,
    )


def result_publish(*, actor: User, result: Result) -> list[Unit]:
    """Publish a draft of the actor's organisation; the best-matching enterprises are told.
    Returns the enterprises notified."""
    if result.organisation_id != actor.unit_id:
        raise ForbiddenError("只能发布本机构的成果")
    if result.state != HallState.DRAFT:
        raise DomainError("state", "只有草稿可以发布", {"state": "状态不是草稿"}, status=409)
    with transaction.atomic():
        result.state = HallState.PUBLISHED
        result.published_at = timezone.now()
        result.save(update_fields=["state", "published_at"])
        enterprises = matching_enterprises(result)
        notify(
            event=Event.HALL_RESULT,
            about=result,
            title=f"匹配的科技成果：{result.title}",
            body=f"{result.organisation.name}发布了科技成果“{result.title}”。",
            url=reverse("portal:result_detail", args=[result.pk]),
            units=enterprises,
            actor=actor,
        )
    return enterprises


# Matching ---------------------------------------------------------------------------------------


def _best(texts: list[str], query: str) -> list[int]:
    tokenizer = default_tokenizer()
    words = tokenizer.tokens(query)
    if not texts or not words:
        return []
    index = BM25Index.build(tokenizer.tokenize_many(texts))
    return [hit.doc for hit in index.top(words, k=TOP_MATCHES)]


def _expert_text(expert: Expert) -> str:
    disciplines = " ".join(d.name for d in expert.disciplines.all())
    return f"{disciplines} {expert.directions}"


def matching_accounts(need: TechNeed) -> list[User]:
    """The university and expert accounts that best match ``need``: an expert account by its
    expert record (same name at its university), a university account by its experts and its
    published results."""
    accounts = list(
        OutsideAccount.objects.filter(
            kind__in=(PartyKind.UNIVERSITY, PartyKind.EXPERT), user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("pk")
    )
    texts: list[str] = []
    for account in accounts:
        university = account.organisation.university_id
        if university is None:
            texts.append("")
            continue
        experts = Expert.objects.filter(university_id=university).prefetch_related("disciplines")
        if account.kind == PartyKind.EXPERT:
            experts = experts.filter(name=account.user.full_name)
        parts = [_expert_text(e) for e in experts]
        if account.kind == PartyKind.UNIVERSITY:
            published = Result.objects.filter(
                organisation=account.organisation, state=HallState.PUBLISHED
            ).select_related("organisation", "discipline")
            parts += [result_text(r) for r in published]
        texts.append(" ".join(parts))
    return [accounts[i].user for i in _best(texts, tech_need_text(need))]


def matching_enterprises(result: Result) -> list[Unit]:
    """The enterprises whose open talent needs and published technology needs best match
    ``result``."""
    asking = Q(
        pk__in=TalentNeed.objects.filter(status=NeedStatus.OPEN).values("enterprise_id")
    ) | Q(pk__in=TechNeed.objects.filter(state=HallState.PUBLISHED).values("enterprise_id"))
    enterprises = list(Unit.objects.filter(asking, kind=UnitKind.ENTERPRISE).order_by("pk"))
    texts: list[str] = []
    for unit in enterprises:
        talents = (
            TalentNeed.objects.filter(enterprise=unit, status=NeedStatus.OPEN)
            .select_related("enterprise")
            .prefetch_related("disciplines")
        )
        techs = TechNeed.objects.filter(enterprise=unit, state=HallState.PUBLISHED).select_related(
            "enterprise", "discipline"
        )
        parts = [
            f"{n.position} {n.majors} {' '.join(d.name for d in n.disciplines.all())}"
            for n in talents
        ]
        parts += [tech_need_text(n) for n in techs]
        texts.append(" ".join(parts))
    return [enterprises[i] for i in _best(texts, result_text(result))]
