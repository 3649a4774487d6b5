"""Writes of the 揭榜挂帅 calls, one service per step of their lifecycle::

    draft ─submit─▶ review ─approve─▶ published ─close─▶ closed ─evaluators─▶ evaluation
      ▲               │return                                                    │publicise
      └───────────────┘                          agreement ◀─sign─ awarded ◀─award─ publicity

* a call is drafted by the county office for an enterprise of its county, or by an enterprise
  for itself, and reviewed by the county office in the shared review inbox (``core.workflow``:
  four eyes, never the author, never the submitting unit for an enterprise's call);
* universities and experts (portal accounts, staff sub-accounts included) apply until the
  deadline, one application per organisation, with a proposal and a bounded attachment;
* the office closes the applications and names the evaluators (experts' portal accounts);
  an evaluator scores each application per criterion, never one of their own organisation;
* the best-scored application is publicised for ``PUBLICITY_DAYS`` calendar days (the county's
  local days, ``Asia/Shanghai``), during which any signed-in party may object; the office
  answers every objection before the award;
* the award creates (or links) the cooperation of the enterprise with the winner's university
  in the ledger at 意向 (``cooperation.services``), the agreement moves it to 签约.

Every step is kept in the record's history (who, when, before → after) and notifies whoever
acts next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation import services as cooperation_services
from yanzhen.cooperation.models import Channel, Cooperation, CooperationKind
from yanzhen.core.counties import county_of, settings_for
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import ApprovalRequest, Unit, UnitKind, User
from yanzhen.core.uploads import check_upload
from yanzhen.core.workflow import Flow, register_flow, review_submit
from yanzhen.engines.stages import Stage
from yanzhen.notifications.events import Event
from yanzhen.notifications.selectors import holders
from yanzhen.notifications.services import notify
from yanzhen.portal.models import (
    Call,
    CallApplication,
    CallObjection,
    CallScore,
    CallState,
    OutsideAccount,
    PartyKind,
)

MANAGE_PERMISSION = "portal.manage_call"
REVIEW_PERMISSION = "portal.review_call"
PUBLICITY_DAYS = 7
PROPOSAL_MAX = 5000
TEXT_MAX = 1000
CRITERIA_MAX = 10


@dataclass(frozen=True)
class CallData:
    enterprise: Unit
    title: str
    problem: str
    field: str
    budget_min: int
    budget_max: int
    deadline: dt.date
    criteria: Sequence[tuple[str, int]] = ()


def _raise(errors: Mapping[str, str], status: int = 422) -> None:
    if errors:
        raise DomainError("invalid", "；".join(errors.values()), dict(errors), status=status)


def _state_error(call: Call, *allowed: CallState) -> DomainError:
    names = "、".join(str(s.label) for s in allowed)
    message = f"榜单当前状态为“{call.get_state_display()}”，此操作只能在“{names}”时进行"
    return DomainError("state", message, {"state": message}, status=409)


def _require_state(call: Call, *allowed: CallState) -> None:
    if call.state not in allowed:
        raise _state_error(call, *allowed)


def _save(call: Call, actor: User, *fields: str) -> None:
    call._history_user = actor  # type: ignore[attr-defined]
    call.save(update_fields=list(fields))


def _url(call: Call) -> str:
    return reverse("portal:call_detail", args=[call.pk])


def _office_users(call: Call) -> list[User]:
    county_settings = settings_for(call.county)
    if county_settings is None or county_settings.office is None:
        return []
    return holders(MANAGE_PERMISSION, unit=county_settings.office)


def _applicants(call: Call) -> list[User]:
    """The accounts of the applying organisations (each organisation's active accounts)."""
    organisations = call.applications.values("organisation_id")
    return list(User.objects.filter(unit_id__in=organisations, is_active=True).order_by("pk"))


def _tell(
    call: Call, occasion: str, title: str, body: str, users: Sequence[User], actor: User
) -> None:
    notify(
        event=Event.CALL_STEP,
        about=call,
        occasion=occasion,
        title=title,
        body=body,
        url=_url(call),
        users=users,
        actor=actor,
    )


def is_office_manager(user: User, call: Call) -> bool:
    """Whether ``user`` manages ``call``: a holder of the permission in its county's office."""
    county_settings = settings_for(call.county)
    return (
        county_settings is not None
        and county_settings.office_id is not None
        and user.unit_id == county_settings.office_id
        and user.has_perm(MANAGE_PERMISSION)
    )


def _require_manager(user: User, call: Call) -> None:
    if not is_office_manager(user, call):
        raise ForbiddenError("只有本县合作办可以办理揭榜挂帅")


# Draft and review ------------------------------------------------------------------------------


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """Criteria written one a line as ``名称：分值`` (or ``名称:分值``); the scores add to 100."""
    criteria: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, points = line.replace("：", ":").rpartition(":")
        if not sep or not name.strip() or not points.strip().isdigit():
            message = f"第{number}行应为“名称：分值”，如“技术方案：40”"
            raise DomainError("invalid", message, {"criteria": message}, status=422)
        criteria.append((name.strip()[:30], int(points.strip())))
    return criteria


def _check_data(data: CallData) -> list[dict[str, object]]:
    errors: dict[str, str] = {}
    for key, label, value, limit in (
        ("title", "榜单名称", data.title, 100),
        ("problem", "攻关任务", data.problem, TEXT_MAX * 5),
        ("field", "技术领域", data.field, 50),
    ):
        if not value.strip():
            errors[key] = f"{label}不能为空"
        elif len(value.strip()) > limit:
            errors[key] = f"{label}不能超过{limit}字"
    if data.budget_min < 0 or data.budget_max < data.budget_min:
        errors["budget_max"] = "悬赏金额上限（万元）不能小于下限"
    if data.deadline <= timezone.localdate():
        errors["deadline"] = "揭榜截止日期应晚于今天"
    criteria = list(data.criteria)
    if criteria:
        names = [n for n, _ in criteria]
        if len(criteria) > CRITERIA_MAX:
            errors["criteria"] = f"评审指标最多{CRITERIA_MAX}项"
        elif len(set(names)) != len(names):
            errors["criteria"] = "评审指标名称不能重复"
        elif any(p <= 0 for _, p in criteria) or sum(p for _, p in criteria) != 100:
            errors["criteria"] = "评审指标的分值应为正数，合计100分"
    _raise(errors)
    if not criteria:
        return [{"name": "技术方案", "max": 40}, {"name": "团队实力", "max": 30},
                {"name": "经费预算", "max": 15}, {"name": "进度安排", "max": 15}]  # fmt: skip
    return [{"name": n, "max": p} for n, p in criteria]


def call_create(*, actor: User, data: CallData) -> Call:
    """A draft call: by the county office for an enterprise of its county (``manage_call``),
    or by an enterprise's user for the enterprise itself."""
    enterprise = data.enterprise
    if enterprise.kind != UnitKind.ENTERPRISE:
        _raise({"enterprise": "出题单位应为企业"})
    county = county_of(enterprise)
    county_settings = settings_for(enterprise)
    if county is None or county_settings is None or county_settings.office_id is None:
        _raise({"enterprise": "该企业所在县尚未设置合作办，不能发布揭榜挂帅"})
    own = actor.unit_id == enterprise.pk
    office = (
        actor.has_perm(MANAGE_PERMISSION)
        and county_settings is not None
        and actor.unit_id == county_settings.office_id
    )
    if not own and not office:
        raise ForbiddenError("只有本企业或本县合作办可以发布该企业的揭榜挂帅")
    criteria = _check_data(data)
    assert county is not None
    call = Call(
        county=county,
        enterprise=enterprise,
        title=data.title.strip(),
        problem=data.problem.strip(),
        field=data.field.strip(),
        budget_min=data.budget_min,
        budget_max=data.budget_max,
        deadline=data.deadline,
        criteria=criteria,
        created_by=actor,
    )
    call._history_user = actor  # type: ignore[attr-defined]
    call.save()
    return call


def _may_submit(actor: User, call: Call) -> bool:
    return actor.unit_id == call.enterprise_id or is_office_manager(actor, call)


@transaction.atomic
def call_submit(*, actor: User, call: Call) -> ApprovalRequest:
    """Send a draft to the county office's review (the deciders are told by the workflow)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not _may_submit(actor, call):
        raise ForbiddenError("只有出题企业或本县合作办可以报送该榜单")
    _require_state(call, CallState.DRAFT)
    approval = review_submit(
        flow=CALL_FLOW, target=call, actor=actor, unit=actor.unit, note="揭榜挂帅发布审核"
    )
    call.state = CallState.REVIEW
    _save(call, actor, "state")
    return approval


def _reviewer(call: Call, _unit: Unit | None) -> Unit | None:
    county_settings = settings_for(call.county)
    return county_settings.office if county_settings is not None else None


def _conditions(call: Call, _payload: object) -> dict[str, str]:
    if call.state not in (CallState.DRAFT, CallState.REVIEW):
        return {"state": "榜单已发布或已处理"}
    if call.deadline <= timezone.localdate():
        return {"deadline": "揭榜截止日期已过，请退回修改"}
    return {}


def _published(approval: ApprovalRequest, approver: User) -> None:
    """The approval publishes the call: the universities' and experts' accounts are told."""
    call = Call.objects.select_for_update().select_related("enterprise").get(pk=approval.target_id)
    call.state = CallState.PUBLISHED
    call.published_at = timezone.now()
    _save(call, approver, "state", "published_at")
    accounts = OutsideAccount.objects.filter(
        kind__in=(PartyKind.UNIVERSITY, PartyKind.EXPERT), user__is_active=True
    ).select_related("user")
    _tell(
        call,
        "published",
        f"揭榜挂帅：{call.title}",
        f"{call.enterprise.name}发布揭榜挂帅榜单“{call.title}”，"
        f"揭榜截止日期{call.deadline.isoformat()}，欢迎申报。",
        [a.user for a in accounts.order_by("pk")],
        approver,
    )


def _returned(approval: ApprovalRequest, approver: User) -> None:
    call = Call.objects.select_for_update().get(pk=approval.target_id)
    call.state = CallState.DRAFT
    _save(call, approver, "state")


CALL_FLOW = register_flow(
    Flow(
        code="portal.call",
        label="揭榜挂帅发布",
        model=Call,
        permission=REVIEW_PERMISSION,
        reviewer=_reviewer,
        title=lambda c: f"揭榜挂帅：{c.title}",
        url=_url,
        conditions=_conditions,
        apply=_published,
        on_return=_returned,
    )
)


# Applications ----------------------------------------------------------------------------------


def applicant_account(user: User) -> OutsideAccount | None:
    """The portal account that may apply for its organisation (a university's or an
    expert's, staff sub-accounts included)."""
    account = OutsideAccount.objects.filter(user_id=user.pk).select_related("organisation").first()
    if account is None or account.kind not in (PartyKind.UNIVERSITY, PartyKind.EXPERT):
        return None
    return account


def accepting(call: Call) -> bool:
    """Whether ``call`` takes applications now (published, before the end of its deadline)."""
    return call.state == CallState.PUBLISHED and timezone.localdate() <= call.deadline


@transaction.atomic
def application_create(
    *, actor: User, call: Call, proposal: str, attachment: UploadedFile[bytes] | None
) -> CallApplication:
    """Apply to ``call`` for the actor's organisation (once per organisation); the office is
    told."""
    account = applicant_account(actor)
    if account is None:
        raise ForbiddenError("只有高校（科研院所）或专家账户可以揭榜")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not accepting(call):
        message = "该榜单不在揭榜期内（已截止或未发布）"
        raise DomainError("closed", message, {"__all__": message}, status=409)
    errors: dict[str, str] = {}
    text = proposal.strip()
    if not text:
        errors["proposal"] = "揭榜方案不能为空"
    elif len(text) > PROPOSAL_MAX:
        errors["proposal"] = f"揭榜方案不能超过{PROPOSAL_MAX}字"
    if attachment is not None:
        try:
            check_upload(attachment, field="attachment")
        except DomainError as error:
            errors["attachment"] = error.message
    _raise(errors)
    organisation = account.organisation
    taken = f"{organisation.name}已申报该榜单（每个机构申报一次）"
    if CallApplication.objects.filter(call=call, organisation=organisation).exists():
        raise DomainError("duplicate", taken, {"__all__": taken}, status=409)
    application = CallApplication(
        call=call, organisation=organisation, applicant=actor, proposal=text
    )
    if attachment is not None:
        application.attachment.save(attachment.name or "attachment", attachment, save=False)
    application._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second application raced this one
        raise DomainError("duplicate", taken, {"__all__": taken}, status=409) from error
    _tell(
        call,
        f"applied:{organisation.pk}",
        f"揭榜申报：{call.title}",
        f"{organisation.name}申报了榜单“{call.title}”。",
        _office_users(call),
        actor,
    )
    return application


@transaction.atomic
def call_close(*, actor: User, call: Call) -> Call:
    """Close the applications after the deadline; the applicants are told that the
    evaluation follows."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require_manager(actor, call)
    _require_state(call, CallState.PUBLISHED)
    if timezone.localdate() <= call.deadline:
        message = f"揭榜截止日期（{call.deadline.isoformat()}）之后才能截止申报"
        raise DomainError("too_early", message, {"__all__": message}, status=409)
    call.state = CallState.CLOSED
    call.closed_at = timezone.now()
    _save(call, actor, "state", "closed_at")
    _tell(
        call,
        "closed",
        f"揭榜截止：{call.title}",
        "申报已截止，进入专家评审。",
        _applicants(call),
        actor,
    )
    return call


# Evaluation ------------------------------------------------------------------------------------


def evaluator_candidates() -> list[User]:
    """The experts' portal accounts that may be named evaluators."""
    accounts = OutsideAccount.objects.filter(kind=PartyKind.EXPERT, user__is_active=True)
    return [a.user for a in accounts.select_related("user").order_by("pk")]


@transaction.atomic
def call_evaluate(*, actor: User, call: Call, evaluators: Sequence[User]) -> Call:
    """Name the evaluators (experts' portal accounts) and open the evaluation; they are told."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require_manager(actor, call)
    _require_state(call, CallState.CLOSED)
    allowed = {u.pk for u in evaluator_candidates()}
    if not evaluators:
        _raise({"evaluators": "请至少选择一位评审专家"})
    if any(u.pk not in allowed for u in evaluators):
        _raise({"evaluators": "评审专家应为门户的专家账户"})
    if not call.applications.exists():
        message = "该榜单没有申报，无需评审"
        raise DomainError("empty", message, {"__all__": message}, status=409)
    call.evaluators.set(evaluators)
    call.state = CallState.EVALUATION
    _save(call, actor, "state")
    _tell(
        call,
        "evaluation",
        f"揭榜评审：{call.title}",
        "请对榜单的申报逐项评分（本机构的申报不参与评审）。",
        list(evaluators),
        actor,
    )
    return call


def may_score(user: User, application: CallApplication) -> bool:
    """Whether ``user`` evaluates ``application``: named for its call, and not of the
    applying organisation."""
    return (
        application.call.evaluators.filter(pk=user.pk).exists()
        and user.unit_id != application.organisation_id
    )


@transaction.atomic
def score_set(
    *, actor: User, application: CallApplication, scores: Mapping[str, int], comment: str = ""
) -> CallScore:
    """An evaluator's scores of one application, every criterion between 0 and its maximum
    (scored again, the scores are replaced while the evaluation lasts); the last score due
    tells the office that the results may be publicised."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if not call.evaluators.filter(pk=actor.pk).exists():
        raise ForbiddenError("您不是该榜单的评审专家")
    if actor.unit_id == application.organisation_id:
        raise ForbiddenError("不能评审本机构的申报")
    _require_state(call, CallState.EVALUATION)
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for criterion in call.criteria:
        name, top = str(criterion["name"]), int(criterion["max"])
        value = scores.get(name)
        if value is None:
            errors[name] = f"请为“{name}”评分"
        elif not 0 <= value <= top:
            errors[name] = f"“{name}”的得分应在0到{top}之间"
        else:
            clean[name] = int(value)
    unknown = sorted(set(scores) - {str(c["name"]) for c in call.criteria})
    if unknown:
        errors["scores"] = f"没有评审指标“{unknown[0]}”"
    if len(comment.strip()) > 500:
        errors["comment"] = "评审意见不能超过500字"
    _raise(errors)
    score = CallScore.objects.filter(application=application, evaluator=actor).first()
    if score is None:
        score = CallScore(application=application, evaluator=actor)
    score.scores = clean
    score.total = sum(clean.values())
    score.comment = comment.strip()
    score.scored_at = timezone.now()
    score._history_user = actor  # type: ignore[attr-defined]
    score.save()
    if not missing_scores(call):
        _tell(
            call,
            "scored",
            f"评审完成：{call.title}",
            "评审专家均已评分，请公示评审结果。",
            _office_users(call),
            actor,
        )
    return score


def missing_scores(call: Call) -> list[tuple[User, CallApplication]]:
    """The (evaluator, application) pairs still to be scored (own organisation excluded)."""
    done = set(
        CallScore.objects.filter(application__call=call).values_list(
            "evaluator_id", "application_id"
        )
    )
    applications = list(call.applications.select_related("organisation").order_by("pk"))
    return [
        (user, application)
        for user in call.evaluators.order_by("pk")
        for application in applications
        if user.unit_id != application.organisation_id and (user.pk, application.pk) not in done
    ]


def ranking(call: Call) -> list[tuple[CallApplication, float, int]]:
    """The applications with their average total and number of scores, best first (ties:
    the earlier application)."""
    applications = list(call.applications.select_related("organisation").prefetch_related("scores"))
    rows = []
    for application in applications:
        totals = [s.total for s in application.scores.all()]
        average = round(sum(totals) / len(totals), 2) if totals else 0.0
        rows.append((application, average, len(totals)))
    rows.sort(key=lambda r: (-r[1], r[0].submitted_at, r[0].pk))
    return rows


def publicity_end(start: dt.datetime) -> dt.datetime:
    """The end of a 公示 that starts at ``start``: midnight (local time) after the seventh
    calendar day, the start day counting as the first."""
    last = timezone.localtime(start).date() + dt.timedelta(days=PUBLICITY_DAYS)
    return timezone.make_aware(dt.datetime.combine(last, dt.time.min))


@transaction.atomic
def call_publicise(*, actor: User, call: Call) -> Call:
    """Close the evaluation once every score is in: the best-scored application is
    publicised for ``PUBLICITY_DAYS`` days; the applicants are told (they may object)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require_manager(actor, call)
    _require_state(call, CallState.EVALUATION)
    missing = missing_scores(call)
    if missing:
        user, application = missing[0]
        message = (
            f"评审尚未完成：还有{len(missing)}项未评分"
            f"（如{user.full_name or user.username}对{application.organisation.name}）"
        )
        raise DomainError("incomplete", message, {"__all__": message}, status=409)
    best = ranking(call)
    if not best or best[0][2] == 0:
        message = "没有得到评分的申报，不能公示"
        raise DomainError("incomplete", message, {"__all__": message}, status=409)
    call.winner = best[0][0]
    call.publicity_start = timezone.now()
    call.publicity_end = publicity_end(call.publicity_start)
    call.state = CallState.PUBLICITY
    _save(call, actor, "winner", "publicity_start", "publicity_end", "state")
    end = timezone.localtime(call.publicity_end) - dt.timedelta(days=1)
    _tell(
        call,
        "publicity",
        f"揭榜结果公示：{call.title}",
        f"拟揭榜单位：{call.winner.organisation.name}。公示期至{end.date().isoformat()}，"
        "如有异议请在公示期内提出。",
        _applicants(call),
        actor,
    )
    return call


def in_publicity(call: Call) -> bool:
    return (
        call.state == CallState.PUBLICITY
        and call.publicity_end is not None
        and timezone.now() < call.publicity_end
    )


@transaction.atomic
def objection_create(*, actor: User, call: Call, text: str) -> CallObjection:
    """An objection during the 公示 (any signed-in party who sees the call); the office is
    told and must answer it before the award."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not in_publicity(call):
        message = "只能在公示期内提出异议"
        raise DomainError("closed", message, {"__all__": message}, status=409)
    text = text.strip()
    if not text:
        _raise({"text": "异议内容不能为空"})
    if len(text) > TEXT_MAX:
        _raise({"text": f"异议内容不能超过{TEXT_MAX}字"})
    objection = CallObjection(call=call, author=actor, text=text)
    objection._history_user = actor  # type: ignore[attr-defined]
    objection.save()
    _tell(
        call,
        f"objection:{objection.pk}",
        f"公示异议：{call.title}",
        "公示期内收到异议，请答复（答复后方可确定揭榜）。",
        _office_users(call),
        actor,
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: CallObjection, answer: str) -> CallObjection:
    """The office answers an objection (once); the objector is told."""
    objection = (
        CallObjection.objects.select_for_update().select_related("call").get(pk=objection.pk)
    )
    call = objection.call
    _require_manager(actor, call)
    if objection.answered_at is not None:
        message = "该异议已答复"
        raise DomainError("answered", message, {"__all__": message}, status=409)
    answer = answer.strip()
    if not answer:
        _raise({"answer": "答复不能为空"})
    if len(answer) > TEXT_MAX:
        _raise({"answer": f"答复不能超过{TEXT_MAX}字"})
    objection.answer = answer
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection._history_user = actor  # type: ignore[attr-defined]
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    _tell(
        call,
        f"answered:{objection.pk}",
        f"异议已答复：{call.title}",
        answer[:200],
        [objection.author],
        actor,
    )
    return objection


def linkable_cooperations(call: Call) -> list[Cooperation]:
    """The ledger's cooperations the award may link instead of creating one: of the call's
    enterprise with the winner's university, not dropped."""
    if call.winner is None or call.winner.organisation.university_id is None:
        return []
    return list(
        Cooperation.objects.filter(
            parties=call.enterprise,
            universities=call.winner.organisation.university_id,
        )
        .exclude(stage=Stage.DROPPED)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def call_award(*, actor: User, call: Call, cooperation: Cooperation | None = None) -> Call:
    """Award the call after its 公示, every objection answered: the cooperation of the
    enterprise with the winner's university is created in the ledger at 意向 (or the given
    one of ``linkable_cooperations`` is linked); the winner and the other applicants are told."""
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("enterprise", "winner")
        .get(pk=call.pk)
    )
    _require_manager(actor, call)
    _require_state(call, CallState.PUBLICITY)
    if call.publicity_end is None or timezone.now() < call.publicity_end:
        end = timezone.localtime(call.publicity_end or timezone.now()) - dt.timedelta(days=1)
        message = f"公示期至{end.date().isoformat()}，公示期满后才能确定揭榜"
        raise DomainError("publicity", message, {"__all__": message}, status=409)
    open_objections = call.objections.filter(answered_at__isnull=True).count()
    if open_objections:
        message = f"还有{open_objections}项异议未答复"
        raise DomainError("objections", message, {"__all__": message}, status=409)
    winner = call.winner
    assert winner is not None
    university = winner.organisation.university
    if university is None:
        message = f"{winner.organisation.name}不在高校（科研院所）名单中，不能登记合作"
        raise DomainError("university", message, {"__all__": message}, status=409)
    if cooperation is not None:
        if cooperation.pk not in {c.pk for c in linkable_cooperations(call)}:
            _raise({"cooperation": "所选合作不是该企业与揭榜高校的合作"})
    else:
        cooperation = cooperation_services.cooperation_create(
            actor=actor,
            data=cooperation_services.CooperationData(
                title=call.title,
                owner_unit=call.enterprise,
                parties=[call.enterprise],
                universities=[university],
                channel=Channel.FIND,
                kind=CooperationKind.RESEARCH,
                intention_date=timezone.localdate(),
                online=True,
                description=f"揭榜挂帅“{call.title}”揭榜：{winner.organisation.name}",
            ),
        )
    call.cooperation = cooperation
    call.state = CallState.AWARDED
    call.awarded_at = timezone.now()
    _save(call, actor, "cooperation", "state", "awarded_at")
    _tell(
        call,
        "awarded",
        f"揭榜结果：{call.title}",
        f"揭榜单位：{winner.organisation.name}。请与{call.enterprise.name}商签合作协议。",
        [*_applicants(call), *User.objects.filter(unit=call.enterprise, is_active=True)],
        actor,
    )
    return call


@transaction.atomic
def call_agreement(*, actor: User, call: Call, date: dt.date) -> Call:
    """The agreement is signed: the call's cooperation moves to 签约 on ``date`` (already at
    签约 or beyond, it stays); the enterprise and the winner are told."""
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("winner", "enterprise")
        .get(pk=call.pk)
    )
    _require_manager(actor, call)
    _require_state(call, CallState.AWARDED)
    cooperation = call.cooperation
    assert cooperation is not None
    if cooperation.stage == Stage.INTENTION:
        cooperation_services.cooperation_move(
            actor=actor,
            cooperation=cooperation,
            target=Stage.AGREEMENT,
            date=date,
            reason=f"揭榜挂帅“{call.title}”签约",
        )
    call.state = CallState.AGREEMENT
    _save(call, actor, "state")
    assert call.winner is not None
    _tell(
        call,
        "agreement",
        f"揭榜挂帅签约：{call.title}",
        f"{call.enterprise.name}与{call.winner.organisation.name}已签约。",
        [
            *User.objects.filter(unit_id=call.winner.organisation_id, is_active=True),
            *User.objects.filter(unit=call.enterprise, is_active=True),
        ],
        actor,
    )
    return call


def may_object(user: User, call: Call) -> bool:
    """Whether ``user`` is offered to object (any signed-in party during the 公示)."""
    return user.is_authenticated and in_publicity(call)
