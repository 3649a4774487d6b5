"""Writes of the portal's halls: an enterprise's technology needs and a university's or an
expert's results (drafted, published by their organisation, hidden by the county's office: one
service each for both kinds, every step in the security log), and the notifications of a
publication to the best-matching parties (BM25 of the retrieval engine over what each party
offers or asks; once per recipient and record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yanzhen.audit.services import record
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.middleware import current_request
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.core.trail import EventKind
from yanzhen.demand.models import Expert, NeedStatus, TalentNeed
from yanzhen.engines.retrieval import BM25Index, default_tokenizer
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.portal.hall_selectors import (
    approved_organisations,
    is_participant,
    result_text,
    tech_need_text,
)
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


# Publication (one service each for publishing and hiding, for needs and results alike) --------

Publication = TechNeed | Result
_NOUN = {TechNeed: "技术难题", Result: "成果"}
_OWNER = {TechNeed: "本企业", Result: "本机构"}


def publication_label(item: Publication) -> str:
    """``portal.techneed:12``: the record a security-log row names."""
    return f"{item._meta.label_lower}:{item.pk}"


def log_portal(actor: User, action: str, item: models.Model, **detail: object) -> None:
    """The security-log row of a publication's or a negotiation's step."""
    record(
        EventKind.PORTAL,
        request=current_request(),
        user=actor,
        detail={"action": action, "record": f"{item._meta.label_lower}:{item.pk}", **detail},
    )


def publication_publish(*, actor: User, item: Publication) -> int:
    """Publish a draft of the actor's organisation: a need tells the best-matching experts' and
    universities' accounts, a result the best-matching enterprises. Returns how many were
    told (users for a need, enterprises for a result); the step is in the security log."""
    noun = _NOUN[type(item)]
    if item.owner_id != actor.unit_id:
        raise ForbiddenError(f"只能发布{_OWNER[type(item)]}的{noun}")
    if item.state != HallState.DRAFT:
        raise DomainError("state", "只有草稿可以发布", {"state": "状态不是草稿"}, status=409)
    with transaction.atomic():
        item.state = HallState.PUBLISHED
        item.published_at = timezone.now()
        item.save(update_fields=["state", "published_at"])
        if isinstance(item, TechNeed):
            recipients = matching_accounts(item)
            notify(
                event=Event.HALL_NEED,
                about=item,
                title=f"匹配的技术难题：{item.title}",
                body=f"{item.enterprise.name}发布了技术难题“{item.title}”（{item.field}）。",
                url=reverse("portal:tech_need_detail", args=[item.pk]),
                users=recipients,
                actor=actor,
            )
            told = len(recipients)
        else:
            enterprises = matching_enterprises(item)
            notify(
                event=Event.HALL_RESULT,
                about=item,
                title=f"匹配的科技成果：{item.title}",
                body=f"{item.organisation.name}发布了科技成果“{item.title}”。",
                url=reverse("portal:result_detail", args=[item.pk]),
                units=enterprises,
                actor=actor,
            )
            told = len(enterprises)
        log_portal(actor, "publish", item, title=item.title, notified=told)
    return told


def _office_sees(actor: User, item: Publication) -> bool:
    """Whether ``item`` belongs to the actor's county as its office sees it: a need of an
    enterprise in the actor's scope, a result of an organisation its county approved."""
    if isinstance(item, TechNeed):
        return TechNeed.objects.filter(scope_of(actor).q("enterprise", None), pk=item.pk).exists()
    approved = approved_organisations(actor).values("unit_id")
    return Result.objects.filter(organisation_id__in=approved, pk=item.pk).exists()


def may_hide(actor: User, item: Publication) -> bool:
    """Whether the actor (its county's office) may hide ``item`` now."""
    return (
        item.state == HallState.PUBLISHED
        and actor.has_perm(REVIEW_PERMISSION)
        and not is_participant(actor)
        and _office_sees(actor, item)
    )


def publication_hide(*, actor: User, item: Publication) -> None:
    """The county office hides a published need or result of its county from the hall (in
    the security log)."""
    noun = _NOUN[type(item)]
    if (
        not actor.has_perm(REVIEW_PERMISSION)
        or is_participant(actor)
        or not _office_sees(actor, item)
    ):
        raise ForbiddenError(f"只有本县的合作办可以隐藏{noun}")
    if item.state != HallState.PUBLISHED:
        message = f"只有已发布的{noun}可以隐藏"
        raise DomainError("state", message, {"state": "状态不是已发布"}, status=409)
    with transaction.atomic():
        item.state = HallState.HIDDEN
        item.save(update_fields=["state"])
        log_portal(actor, "hide", item, title=item.title)


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
