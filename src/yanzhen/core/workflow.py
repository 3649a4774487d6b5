"""A small approval workflow: an act that one person may not do alone is *requested*, and a
second person *approves* it (then it takes effect) or *refuses* it.

::

    requested ──approve──▶ approved   (the kind's effect applied in the same transaction)
        │
        └──────refuse────▶ refused

Rules, the same for every kind of request:

* the approver is never the requester, nor the account the request is about;
* only a holder of the kind's permission (``RequestKind.decide_perm``) decides;
* a request is decided once; at most one request per kind and record is open at a time;
* each step (requested, approved, refused) is written to the security log, in the same
  transaction as the change it records.

A domain declares what it needs approved as a :class:`RequestKind` and registers it once
(at import of its services); it then calls :func:`request_submit` where it would have acted,
and the kind's ``apply`` runs when the request is approved. The first use is the reset of an
account's password and the disabling of an administrator (``accounts/services.py``); a later
issue generalises the same model to other records (reports to check, agreements to sign).

Reads (:func:`request_list`, :func:`request_get`) apply the data scope of the reader through
the unit of the record concerned, like every selector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, User
from yanzhen.core.scope import everywhere_accounts, scope_of
from yanzhen.core.trail import audit_trail

REASON_MAX = 200
# The account standing for anonymous submitters (the portal's registrations) in the review
# inbox: inactive, without password or role, and in no administrator's account list.
ANONYMOUS_REQUESTER = "portal-registrations"


def anonymous_requester() -> User:
    """The account that requests the reviews of anonymous submissions (created when first
    needed; it cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=ANONYMOUS_REQUESTER, defaults={"full_name": "门户注册", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass(frozen=True)
class RequestKind:
    """One kind of act that needs a second person.

    ``apply(approval, approver, request)`` makes the act happen once approved (it runs inside
    the approving transaction: if it raises, nothing is approved). ``event_kind`` is the
    security-log kind of the request's steps (``core.trail.EventKind``). The payload is
    dropped once the request is decided, unless the kind keeps it (``keep_payload``: what
    was asked for, holding no secret, that the approved request goes on granting)."""

    code: str
    label: str
    decide_perm: str
    event_kind: str
    apply: Callable[[ApprovalRequest, User, HttpRequest | None], None]
    keep_payload: bool = False


_KINDS: dict[str, RequestKind] = {}


def register(kind: RequestKind) -> RequestKind:
    """Make ``kind`` known (idempotent for the same code)."""
    _KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> RequestKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise DomainError("unknown_kind", _("未知的申请类型“%(code)s”") % {"code": code}) from None


def kinds_decided_with(permission: str) -> list[str]:
    """The codes of the kinds a holder of ``permission`` decides (the pages of one decider)."""
    return sorted(code for code, kind in _KINDS.items() if kind.decide_perm == permission)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind is not None else code


def _log(
    kind: RequestKind,
    approval: ApprovalRequest,
    *,
    actor: User,
    request: HttpRequest | None,
) -> None:
    detail: dict[str, Any] = {
        "request": approval.pk,
        "request_kind": approval.kind,
        "state": approval.state,
        "target": approval.target_label,
        "requester": approval.requester.username,
    }
    if approval.approver is not None:
        detail["approver"] = approval.approver.username
    audit_trail().record(kind.event_kind, request=request, user=actor, detail=detail)


def _target_user_id(approval: ApprovalRequest) -> int | None:
    user_type = ContentType.objects.get_for_model(User)
    return int(approval.target_id) if approval.target_type_id == user_type.pk else None


@transaction.atomic
def request_submit(
    *,
    kind: RequestKind,
    target: models.Model,
    requester: User,
    reason: str,
    unit: Unit | None,
    payload: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Ask for ``kind`` on ``target``; ``unit`` is the unit the target belongs to (the data
    scope of readers of the request)."""
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("请填写申请理由"), {"reason": _("请填写申请理由")})
    if len(reason) > REASON_MAX:
        message = _("申请理由不能超过%(n)s字") % {"n": REASON_MAX}
        raise DomainError("reason_too_long", message, {"reason": message})
    if _KINDS.get(kind.code) is not kind:
        raise DomainError("unknown_kind", _("未登记的申请类型“%(code)s”") % {"code": kind.code})
    target_type = ContentType.objects.get_for_model(target)  # a lazy request.user too
    open_request = ApprovalRequest.objects.filter(
        kind=kind.code,
        target_type=target_type,
        target_id=target.pk,
        state=RequestState.REQUESTED,
    )
    duplicate = _("“%(target)s”已有一项待审批的%(label)s申请") % {
        "target": target,
        "label": kind.label,
    }
    if open_request.exists():
        raise DomainError("duplicate_request", duplicate, {"__all__": duplicate})
    approval = ApprovalRequest(
        kind=kind.code,
        target_type=target_type,
        target_id=target.pk,
        target_label=str(getattr(target, "username", None) or target)[:150],
        unit=unit,
        requester=requester,
        reason=reason,
        payload=dict(payload or {}),
    )
    try:
        with transaction.atomic():
            approval.save(force_insert=True)
    except IntegrityError as error:  # a second request raced this one
        raise DomainError("duplicate_request", duplicate, {"__all__": duplicate}) from error
    _log(kind, approval, actor=requester, request=request)
    return approval


def _decide(
    *,
    approval: ApprovalRequest,
    approver: User,
    state: str,
    note: str,
    request: HttpRequest | None,
) -> ApprovalRequest:
    kind = kind_of(approval.kind)
    locked = ApprovalRequest.objects.select_for_update().select_related("requester")
    current = locked.get(pk=approval.pk)
    if current.state != RequestState.REQUESTED:
        message = _("该申请的状态为“%(state)s”，不能再次审批") % {
            "state": current.get_state_display()
        }
        raise DomainError("already_decided", message, {"__all__": message}, status=409)
    if not approver.has_perm(kind.decide_perm):
        raise DomainError("forbidden", _("没有审批此类申请的权限"), status=403)
    if current.requester_id == approver.pk:
        message = _("不能审批自己提出的申请")
        raise DomainError("self_approval", message, {"__all__": message}, status=403)
    if _target_user_id(current) == approver.pk:
        message = _("不能审批与自己账户有关的申请")
        raise DomainError("own_account", message, {"__all__": message}, status=403)
    note = note.strip()
    if len(note) > REASON_MAX:
        message = _("审批意见不能超过%(n)s字") % {"n": REASON_MAX}
        raise DomainError("note_too_long", message, {"note": message})
    current.state = state
    current.approver = approver
    current.decided_at = timezone.now()
    current.decision_note = note
    if state == RequestState.APPROVED:
        kind.apply(current, approver, request)
    if not kind.keep_payload:
        current.payload = {}  # what was needed to apply it is not kept
    current.save(update_fields=["state", "approver", "decided_at", "decision_note", "payload"])
    _log(kind, current, actor=approver, request=request)
    return current


@transaction.atomic
def request_approve(
    *,
    approval: ApprovalRequest,
    approver: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Approve and apply the request (all or nothing)."""
    return _decide(
        approval=approval,
        approver=approver,
        state=RequestState.APPROVED,
        note=note,
        request=request,
    )


@transaction.atomic
def request_refuse(
    *,
    approval: ApprovalRequest,
    approver: User,
    note: str,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Refuse the request; a refusal says why."""
    if not note.strip():
        message = _("拒绝时请填写审批意见")
        raise DomainError("note_required", message, {"note": message})
    return _decide(
        approval=approval, approver=approver, state=RequestState.REFUSED, note=note, request=request
    )


# Reads ---------------------------------------------------------------------------------------


def request_qs(user: User) -> QuerySet[ApprovalRequest]:
    """Requests about records of the reader's scope, and the reader's own requests; for a
    reader of a narrower scope (a county's administrator) none about the province's accounts
    (of scope everything), wherever their unit sits."""
    scope = scope_of(user)
    if scope.everything:
        return ApprovalRequest.objects.all()
    qs = ApprovalRequest.objects.filter(scope.q("unit", None) | models.Q(requester=user))
    return qs.exclude(
        target_type=ContentType.objects.get_for_model(User),
        target_id__in=everywhere_accounts().values("pk"),
    )


def request_list(
    *, user: User, state: str = "", kinds: Collection[str] | None = None
) -> QuerySet[ApprovalRequest]:
    """The requests the user may read, in ``state`` (any by default), of the given ``kinds``
    (every kind by default)."""
    qs = _requests(user, kinds)
    if state:
        qs = qs.filter(state=state)
    return qs


def _requests(user: User, kinds: Collection[str] | None) -> QuerySet[ApprovalRequest]:
    qs = request_qs(user).select_related("requester", "approver", "unit")
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.order_by("-requested_at", "-id")


def request_get(user: User, pk: int, *, kinds: Collection[str] | None = None) -> ApprovalRequest:
    return get_object_or_404(_requests(user, kinds), pk=pk)


def pending_for_target(target: models.Model) -> QuerySet[ApprovalRequest]:
    """The open requests about ``target`` (shown beside it)."""
    return ApprovalRequest.objects.filter(
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        state=RequestState.REQUESTED,
    ).select_related("requester")


# The review workflow ---------------------------------------------------------------------------
#
# A *flow* is a kind of request whose record one unit submits and another decides::
#
#     (submitted) requested ──approve──▶ approved   (the flow's ``apply`` in the same transaction)
#                     │  ▲
#                     │  └──resubmit── returned    (a new request: the record's history keeps both)
#                     └─────return───▶ returned    (a comment, and comments per field)
#
# Who decides is a permission plus a relation to the submitter's unit (``Flow.reviewer``: the
# county office above it, the lead department of a base, or the unit itself for four eyes).
# A unit never approves what it submitted upward (403 ``self_approval``); inside one unit the
# approver is another holder of the permission, never the author.


COMMENT_MAX = 200


@dataclass(frozen=True)
class Flow:
    """One kind of record that a unit submits and a reviewer decides.

    * ``reviewer(target, submitted_unit)`` — the unit whose holders of ``permission`` decide
      (the relation to the record's unit); the submitter's own unit means four eyes in it;
    * ``conditions(target, payload)`` — what is missing, as ``{field: message in Chinese}``,
      checked at submit and again before approval (evidence, required fields);
    * ``apply(approval, approver)`` — the record takes effect on approval;
    * ``on_return(approval, approver)`` — the record goes back to its author;
    * ``title(target)``, ``url(target)`` — what the inbox shows and where it links;
    * ``deadline_days`` — the days a reviewer has (None: no deadline);
    * ``notify_decision`` — tell the author of the decision (``review.decided``); off for a
      flow whose ``apply``/``on_return`` tell it in the flow's own terms.
    """

    code: str
    label: str
    model: type[models.Model]
    permission: str
    reviewer: Callable[[Any, Unit | None], Unit | None]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    conditions: Callable[[Any, Mapping[str, Any]], dict[str, str]] = lambda _t, _p: {}
    apply: Callable[[ApprovalRequest, User], None] = lambda _a, _u: None
    on_return: Callable[[ApprovalRequest, User], None] = lambda _a, _u: None
    deadline_days: int | None = 7
    notify_decision: bool = True


_FLOWS: dict[str, Flow] = {}


def register_flow(flow: Flow) -> Flow:
    """Make ``flow`` known: its requests are listed in the review inbox (idempotent)."""
    _FLOWS[flow.code] = flow
    return flow


def flows() -> list[Flow]:
    return sorted(_FLOWS.values(), key=lambda f: f.code)


def flow_of(code: str) -> Flow:
    try:
        return _FLOWS[code]
    except KeyError:
        raise DomainError("unknown_kind", _("未知的审核类型“%(code)s”") % {"code": code}) from None


def _conditions_error(problems: Mapping[str, str]) -> DomainError:
    message = "；".join(dict.fromkeys(problems.values()))
    return DomainError("conditions", message, dict(problems), status=422)


def _notify(**kwargs: Any) -> None:
    # Core declares the port; the notifications app installs itself (core imports no app).
    from yanzhen.core.notify import notifier

    notifier().notify(**kwargs)


def deciders(flow: Flow, approval: ApprovalRequest) -> list[User]:
    """The active users who may decide ``approval``: holders of the flow's permission in the
    reviewing unit, never the author."""
    if approval.reviewer_unit_id is None:
        return []
    users = User.objects.filter(unit_id=approval.reviewer_unit_id, is_active=True).exclude(
        pk=approval.requester_id
    )
    return [u for u in users.order_by("pk") if u.has_perm(flow.permission)]


def _log_review(
    flow: Flow, approval: ApprovalRequest, *, actor: User, request: HttpRequest | None
) -> None:
    detail: dict[str, Any] = {
        "request": approval.pk,
        "request_kind": approval.kind,
        "state": approval.state,
        "target": approval.target_label,
        "requester": approval.requester.username,
    }
    if approval.approver is not None:
        detail["approver"] = approval.approver.username
    audit_trail().record("review", request=request, user=actor, detail=detail)


@transaction.atomic
def review_submit(
    *,
    flow: Flow,
    target: models.Model,
    actor: User,
    unit: Unit | None,
    payload: Mapping[str, Any] | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Submit ``target`` (of ``unit``, the submitting unit) for review: checks the flow's
    conditions, opens the request and tells the deciders. A record has at most one open
    request per flow (409 ``duplicate_request``)."""
    if _FLOWS.get(flow.code) is not flow:
        raise DomainError("unknown_kind", _("未登记的审核类型“%(code)s”") % {"code": flow.code})
    problems = flow.conditions(target, payload or {})
    if problems:
        raise _conditions_error(problems)
    reviewer = flow.reviewer(target, unit)
    if reviewer is None:
        message = _("未设置审核单位：请县合作办在县级设置中指定")
        raise DomainError("no_reviewer", message, {"__all__": message})
    target_type = ContentType.objects.get_for_model(target)
    open_request = ApprovalRequest.objects.filter(
        kind=flow.code, target_type=target_type, target_id=target.pk, state=RequestState.REQUESTED
    )
    duplicate = _("“%(target)s”已有一项待审核的%(label)s") % {"target": target, "label": flow.label}
    if open_request.exists():
        raise DomainError("duplicate_request", duplicate, {"__all__": duplicate}, status=409)
    today = timezone.localdate()
    approval = ApprovalRequest(
        kind=flow.code,
        target_type=target_type,
        target_id=target.pk,
        target_label=str(target)[:150],
        unit=unit,
        submitted_unit=unit,
        reviewer_unit=reviewer,
        requester=actor,
        reason=(note.strip() or flow.label)[:REASON_MAX],
        payload=dict(payload or {}),
        title=flow.title(target)[:200],
        url=flow.url(target)[:300],
        deadline=(
            today + dt.timedelta(days=flow.deadline_days)
            if flow.deadline_days is not None
            else None
        ),
    )
    try:
        with transaction.atomic():
            approval.save(force_insert=True)
    except IntegrityError as error:  # a second submission raced this one
        raise DomainError(
            "duplicate_request", duplicate, {"__all__": duplicate}, status=409
        ) from error
    _log_review(flow, approval, actor=actor, request=request)
    _notify(
        event="review.requested",
        about=approval,
        title=_("待审核：%(label)s %(title)s") % {"label": flow.label, "title": approval.title},
        body=_("%(unit)s报送，请审核。") % {"unit": unit or actor},
        url=approval.url,
        users=deciders(flow, approval),
        actor=actor,
    )
    return approval


def _check_decider(flow: Flow, approval: ApprovalRequest, approver: User) -> None:
    upward = approval.reviewer_unit_id != approval.submitted_unit_id
    own = approval.requester_id == approver.pk or (
        upward
        and approval.submitted_unit_id is not None
        and approver.unit_id == approval.submitted_unit_id
    )
    if own:
        message = _("不能审核本人或本单位报送的事项")
        raise DomainError("self_approval", message, {"__all__": message}, status=403)
    if not approver.has_perm(flow.permission) or approver.unit_id != approval.reviewer_unit_id:
        raise DomainError("forbidden", _("没有审核此事项的权限"), status=403)


@transaction.atomic
def review_decide(
    *,
    approval: ApprovalRequest,
    approver: User,
    decision: str,
    comment: str = "",
    field_comments: Mapping[str, str] | None = None,
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """Approve (``decision="approve"``: the flow's conditions hold and its ``apply`` runs) or
    return (``"return"``: a comment is required) a request. Decided once (409)."""
    flow = flow_of(approval.kind)
    current = (
        ApprovalRequest.objects.select_for_update().select_related("requester").get(pk=approval.pk)
    )
    if decision not in ("approve", "return"):
        message = _("审核结果须为“通过”或“退回”")
        raise DomainError("invalid", message, {"decision": message})
    if current.state != RequestState.REQUESTED:
        message = _("该事项已审核（%(state)s），不能再次审核") % {
            "state": current.get_state_display()
        }
        raise DomainError("already_decided", message, {"__all__": message}, status=409)
    _check_decider(flow, current, approver)
    comment = comment.strip()
    if decision == "return" and not comment:
        message = _("退回时请填写审核意见")
        raise DomainError("comment_required", message, {"comment": message}, status=422)
    if len(comment) > COMMENT_MAX:
        message = _("审核意见不能超过%(n)s字") % {"n": COMMENT_MAX}
        raise DomainError("comment_too_long", message, {"comment": message})
    notes = {str(k)[:50]: str(v).strip()[:COMMENT_MAX] for k, v in (field_comments or {}).items()}
    current.approver = approver
    current.decided_at = timezone.now()
    current.decision_note = comment
    current.field_comments = {k: v for k, v in notes.items() if v}
    target = current.target_type.get_object_for_this_type(pk=current.target_id)
    if decision == "approve":
        problems = flow.conditions(target, current.payload)
        if problems:
            raise _conditions_error(problems)
        current.state = RequestState.APPROVED
        flow.apply(current, approver)
    else:
        current.state = RequestState.RETURNED
        flow.on_return(current, approver)
    current.save(
        update_fields=["state", "approver", "decided_at", "decision_note", "field_comments"]
    )
    _log_review(flow, current, actor=approver, request=request)
    if not flow.notify_decision:
        return current
    _notify(
        event="review.decided",
        about=current,
        occasion=current.state,
        title=_("%(label)s%(state)s：%(title)s")
        % {"label": flow.label, "state": current.get_state_display(), "title": current.title},
        body=comment,
        url=current.url,
        users=[current.requester],
        actor=approver,
    )
    return current


def review_bulk_approve(
    *,
    approvals: Collection[ApprovalRequest],
    approver: User,
    comment: str = "",
    request: HttpRequest | None = None,
) -> list[ApprovalRequest]:
    """Approve several requests with one comment: all or nothing (the first error is
    raised naming the record)."""
    with transaction.atomic():
        done = []
        for approval in approvals:
            try:
                done.append(
                    review_decide(
                        approval=approval,
                        approver=approver,
                        decision="approve",
                        comment=comment,
                        request=request,
                    )
                )
            except DomainError as error:
                message = f"“{approval.title or approval.target_label}”：{error.message}"
                raise DomainError(
                    error.code, message, {"__all__": message}, status=error.status
                ) from error
        return done


def reviews_for(target: models.Model, *, flow: Flow | None = None) -> QuerySet[ApprovalRequest]:
    """The record's reviews, oldest first (its history of submissions and decisions)."""
    qs = ApprovalRequest.objects.filter(
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk
    ).select_related("requester", "approver", "submitted_unit", "reviewer_unit")
    if flow is not None:
        qs = qs.filter(kind=flow.code)
    return qs.order_by("requested_at", "id")


def inbox_qs(user: User) -> QuerySet[ApprovalRequest]:
    """The open requests ``user`` may decide: of a flow whose permission they hold, for
    their unit to review, not their own nor submitted by their unit upward."""
    codes = [f.code for f in _FLOWS.values() if user.has_perm(f.permission)]
    if not codes or user.unit_id is None:
        return ApprovalRequest.objects.none()
    qs = ApprovalRequest.objects.filter(
        state=RequestState.REQUESTED, kind__in=codes, reviewer_unit_id=user.unit_id
    ).exclude(requester=user)
    upward = ~models.Q(reviewer_unit_id=models.F("submitted_unit_id"))
    return qs.exclude(upward & models.Q(submitted_unit_id=user.unit_id))


def inbox_count(user: User) -> int:
    return inbox_qs(user).count()


# Deadlines --------------------------------------------------------------------------------------
#
# A review still open after its deadline (``ApprovalRequest.deadline``, the flow's
# ``deadline_days`` after submission) is overdue: the inbox marks it (filter 已超期) and the
# daily job ``yanzhen remind_reviews`` tells its deciders, once per review and day.

REVIEW_OVERDUE = "review.overdue"


def is_overdue(approval: ApprovalRequest, today: dt.date | None = None) -> bool:
    """Whether the open ``approval`` is past its deadline (the deadline day itself is not)."""
    today = today or timezone.localdate()
    return (
        approval.state == RequestState.REQUESTED
        and approval.deadline is not None
        and approval.deadline < today
    )


def overdue_q(today: dt.date | None = None) -> models.Q:
    """The open requests past their deadline (for ``filter``)."""
    return models.Q(state=RequestState.REQUESTED, deadline__lt=today or timezone.localdate())


def review_remind_overdue(*, today: dt.date | None = None) -> int:
    """Tell the deciders of every overdue review of a registered flow (once per review,
    decider and day: run twice on a day, the second run tells nobody). Returns how many
    notifications were written."""
    # Core declares the port; the notifications app installs itself (core imports no app).
    from yanzhen.core.notify import notifier

    today = today or timezone.localdate()
    overdue = (
        ApprovalRequest.objects.filter(overdue_q(today), kind__in=list(_FLOWS))
        .select_related("submitted_unit", "requester")
        .order_by("deadline", "id")
    )
    written = 0
    for approval in overdue:
        flow = _FLOWS[approval.kind]
        assert approval.deadline is not None
        days = (today - approval.deadline).days
        sent = notifier().notify(
            event=REVIEW_OVERDUE,
            about=approval,
            occasion=today.isoformat(),
            title=_("审核已超期：%(label)s %(title)s")
            % {"label": flow.label, "title": approval.title},
            body=_("审核期限为%(deadline)s，已超期%(days)s天，请尽快审核。")
            % {"deadline": approval.deadline.isoformat(), "days": days},
            url=approval.url,
            users=deciders(flow, approval),
        )
        written += len(sent) if isinstance(sent, list) else 0
    return written
