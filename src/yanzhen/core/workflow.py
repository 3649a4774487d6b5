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
from yanzhen.core.scope import scope_of
from yanzhen.core.trail import audit_trail

REASON_MAX = 200


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
    """Requests about records of the reader's scope, and the reader's own requests."""
    scope = scope_of(user)
    if scope.everything:
        return ApprovalRequest.objects.all()
    return ApprovalRequest.objects.filter(scope.q("unit", None) | models.Q(requester=user))


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
