"""Masking of personal data (ID numbers, mobiles), and the access log of records that hold it.

One rule everywhere — pages (``{% pii_value value "id" %}``), edit forms, API schemas, exports,
print views, history (GB/T 35273 7.2, check G24):

* an 18-digit ID keeps its first 4 and last 4 characters: ``1408**********123X`` (the last 4
  are the sequence and check digit: nothing of the date of birth);
* a 15-digit legacy ID keeps its first 4 and last **3**: ``1408********123`` (its last 4 would
  hold the last digit of the day of birth);
* a mobile keeps 3 + 4: ``138****5678``;
* anything else (an invalid value of another length) is all stars, nothing of it shown.

Full values are shown only to holders of ``core.view_personal_data`` who ask for them, and
every such reveal leaves one access-log row (without the value).

Second person (GB/T 22239 level 3 ★, check G25): the permission alone no longer unmasks. The
holder asks for it (:func:`pii_access_request`: a reason and a purpose — the export of a named
list, the API's ``?reveal=pii``, or reveals on the pages); another user holding
``core.approve_personal_data`` approves or refuses it (``core.workflow``: never the requester).
The approval grants the requester that purpose for ``YANZHEN_PII_GRANT_HOURS`` hours
(:func:`active_grant`); each use still counts in the export quota where it did, and its
access-log row names the approval. ``YANZHEN_PII_APPROVAL = False`` (a small deployment with
one person at the desk) turns the second person off: a deviation from level 3.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from yanzhen.core import workflow
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import ApprovalRequest, RequestState, User
from yanzhen.core.trail import AccessAction, audit_trail

if TYPE_CHECKING:
    from django.http import HttpRequest

PERSONAL_DATA_PERMISSION = "core.view_personal_data"
APPROVE_PERMISSION = "core.approve_personal_data"
Kind = Literal["id", "mobile"]
KINDS: tuple[Kind, ...] = ("id", "mobile")
FIELDS: dict[Kind, str] = {"id": "id_number", "mobile": "mobile"}
# Exports and API reads with full values, together, per user and hour (``core.listing``).
EXPORTS_PER_HOUR = 20


def mask_id_number(value: str) -> str:
    number = (value or "").strip().upper().replace(" ", "")
    if not number:
        return ""
    if len(number) == 18:
        return number[:4] + "*" * 10 + number[-4:]
    if len(number) == 15:
        return number[:4] + "*" * 8 + number[-3:]
    return "*" * len(number)


def mask_mobile(value: str) -> str:
    number = (value or "").strip().replace(" ", "")
    if not number:
        return ""
    if len(number) == 11:
        return number[:3] + "****" + number[-4:]
    return "*" * len(number)


def mask(value: str, kind: Kind) -> str:
    return mask_id_number(value) if kind == "id" else mask_mobile(value)


# Runs of digits in free text that look like an ID number (15 or 18 characters) or a mobile.
_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9A-Za-z])"
)


def mask_in_text(text: str) -> str:
    """``text`` with every ID number or mobile in it masked (e.g. a search typed in a filter)."""

    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        return mask_mobile(found) if len(found) == 11 else mask_id_number(found)

    return _IN_TEXT.sub(one, text)


def may_see_personal_data(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


def pii(
    user: User | AnonymousUser,
    value: str,
    kind: Kind,
    *,
    purpose: str = "page",
    list_title: str = "",
) -> str:
    """``value`` as ``user`` may see it now for ``purpose``: full only with the permission and
    a second person's approval in force (:func:`unmasking`); the caller logs the access."""
    if isinstance(user, User) and unmasking(user, purpose=purpose, list_title=list_title).allowed:
        return value
    return mask(value, kind)


def record_opened(
    request: HttpRequest,
    *,
    record_type: str,
    record_id: int,
    person_id: int | None = None,
) -> tuple[Kind, ...]:
    """Note that the user opened a record holding personal data: **one** access-log row per
    request, without any personal data in it (G16).

    A user who may see personal data asks for one full value with ``?reveal=id|mobile``: the
    row is then the reveal (of the person ``person_id``, or of the record itself) and the kind
    revealed is returned; otherwise the row is the opening, and nothing is revealed."""
    asked = request.GET.get("reveal", "")
    kind: Kind | None = "id" if asked == "id" else "mobile" if asked == "mobile" else None
    user = request.user
    if kind is not None and isinstance(user, User) and may_see_personal_data(user):
        decision = unmasking(user, purpose=Purpose.PAGE)
        if decision.allowed:
            audit_trail().access_logged(
                request=request,
                action=AccessAction.REVEAL,
                record_type="person" if person_id is not None else record_type,
                record_id=person_id if person_id is not None else record_id,
                field=FIELDS[kind],
                approval_id=decision.approval_id,
            )
            return (kind,)
        # Shown masked, with why and where to ask.
        messages.warning(
            request,
            format_html('{} <a href="{}">{}</a>', decision.message, decision.ask_url, "申请批准"),
            fail_silently=True,
        )
    audit_trail().access_logged(
        request=request, action=AccessAction.OPEN, record_type=record_type, record_id=record_id
    )
    return ()


# The API -------------------------------------------------------------------------------------

REVEAL_PARAMETER = "pii"
REVEAL_FORBIDDEN = "无权查看完整的身份证号和手机号（需要“查看完整个人信息”权限）"


@dataclass(frozen=True)
class ApiPii:
    """How one API request shows personal data: masked for everyone by default; full only
    when asked with ``?reveal=pii`` by a user who may (see :func:`api_pii`), under the
    approval ``approval_id`` (None when the second person is turned off)."""

    revealed: bool
    approval_id: int | None = None

    def __call__(self, value: str, kind: Kind) -> str:
        return (value or "") if self.revealed else mask(value or "", kind)

    def logged(
        self,
        request: HttpRequest,
        *,
        record_type: str,
        record_id: int,
        title: str,
        rows: int,
        payload: Sequence[Any],
    ) -> None:
        """After a revealed response is built: one access-log row for the request
        (``record_type`` #``record_id``; for a list, the page) and one export-log row (list,
        filter, row count, SHA-256 of the data), neither holding any personal data. Nothing
        for a masked response."""
        if not self.revealed:
            return
        trail = audit_trail()
        trail.access_logged(
            request=request,
            action=AccessAction.REVEAL,
            record_type=record_type,
            record_id=record_id,
            field="id_number,mobile",
            approval_id=self.approval_id,
        )
        content = json.dumps(
            [_plain(item) for item in payload], ensure_ascii=False, sort_keys=True, default=str
        ).encode()
        trail.export_logged(
            request=request,
            title=f"接口：{title}",
            filters={k: mask_in_text(str(v)) for k, v in request.GET.items()},
            fmt="api",
            rows=rows,
            content=content,
            unmasked=True,
        )


MASKED = ApiPii(revealed=False)


def _plain(item: Any) -> Any:
    dump = getattr(item, "model_dump", None)
    return dump(mode="json") if callable(dump) else item


def api_pii(request: HttpRequest) -> ApiPii:
    """``?reveal=pii`` on an API read: refused (403 ``forbidden``) without
    ``core.view_personal_data``, and (403 ``approval_required``) without a second person's
    approval for the API (:func:`active_grant`); counted in the export quota (the same
    counter as the exports of ``core.listing``: a revealed response is logged as an export),
    beyond which it is refused (429 ``rate_limited``). The caller logs the response with
    :meth:`ApiPii.logged`."""
    if request.GET.get("reveal", "") != REVEAL_PARAMETER:
        return MASKED
    user = request.user
    if not user.is_authenticated or not may_see_personal_data(user):
        raise ForbiddenError(REVEAL_FORBIDDEN)
    decision = unmasking(user, purpose=Purpose.API)
    if not decision.allowed:
        raise DomainError(decision.code, decision.message, status=403)
    if audit_trail().exports_in_last_hour(user) >= EXPORTS_PER_HOUR:
        raise DomainError(
            "rate_limited",
            f"查看完整个人信息与导出合计每小时最多 {EXPORTS_PER_HOUR} 次，请一小时后再试",
            status=429,
        )
    return ApiPii(revealed=True, approval_id=decision.approval_id)


# The second person (G25, level 3 ★) ----------------------------------------------------------


class Purpose(models.TextChoices):
    """What full values are asked for; an approval grants that purpose only."""

    EXPORT = "export", "导出名单"
    API = "api", "接口查看"
    PAGE = "page", "页面查看"


PURPOSE_LABELS: dict[str, str] = dict(Purpose.choices)
LIST_TITLE_MAX = 100


def _grant_applied(approval: ApprovalRequest, approver: User, request: HttpRequest | None) -> None:
    """Nothing changes when approved: the approved request is the grant, read by
    :func:`active_grant` until it expires."""


PII_ACCESS = workflow.register(
    workflow.RequestKind(
        code="core.personal_data",
        label="查看/导出完整个人信息",
        decide_perm=APPROVE_PERMISSION,
        event_kind="role_change",  # a right granted for a while (audit.models.EventKind)
        apply=_grant_applied,
        keep_payload=True,  # the purpose and the list: what the approval grants
    )
)


def approval_needed() -> bool:
    """Whether full values need a second person's approval (``YANZHEN_PII_APPROVAL``)."""
    return bool(getattr(settings, "YANZHEN_PII_APPROVAL", True))


def grant_hours() -> int:
    return int(getattr(settings, "YANZHEN_PII_GRANT_HOURS", 8))


def grant_expires(approval: ApprovalRequest) -> dt.datetime | None:
    """When an approved request stops granting (None for one not approved)."""
    if approval.state != RequestState.APPROVED or approval.decided_at is None:
        return None
    return approval.decided_at + dt.timedelta(hours=grant_hours())


def _grants(user: User) -> QuerySet[ApprovalRequest]:
    since = timezone.now() - dt.timedelta(hours=grant_hours())
    return ApprovalRequest.objects.filter(
        kind=PII_ACCESS.code,
        requester=user,
        state=RequestState.APPROVED,
        decided_at__gt=since,
    )


def active_grant(user: User, *, purpose: str, list_title: str = "") -> ApprovalRequest | None:
    """The newest approval that lets ``user`` see full values for ``purpose`` now (for an
    export, of the list titled ``list_title``), or None."""
    qs = _grants(user).filter(payload__purpose=purpose)
    if purpose == Purpose.EXPORT:
        qs = qs.filter(payload__list=list_title)
    return qs.order_by("-decided_at", "-id").first()


def has_active_grant(user: User | AnonymousUser) -> bool:
    """Whether the user may see full values anywhere right now (any purpose)."""
    if not may_see_personal_data(user) or not isinstance(user, User):
        return False
    return not approval_needed() or _grants(user).exists()


def ask_url(purpose: str, list_title: str = "") -> str:
    """The request form, filled in for ``purpose`` (and the list of an export)."""
    query = {"purpose": purpose, **({"list_title": list_title} if list_title else {})}
    return f"{reverse('accounts:pii_request_create')}?{urlencode(query)}"


def approval_required_message(purpose: str, list_title: str = "") -> str:
    what = {
        Purpose.EXPORT: f"导出“{list_title}”的完整身份证号和手机号",
        Purpose.API: "通过接口查看完整身份证号和手机号",
        Purpose.PAGE: "在页面上显示完整身份证号和手机号",
    }[Purpose(purpose)]
    return f"{what}须经他人批准：请先提交申请，批准后{grant_hours()}小时内有效"


@dataclass(frozen=True)
class Unmasking:
    """Whether a user may see full values now for a purpose: under which approval (None when
    the second person is turned off), or why not (``code``, ``message``) and where to ask."""

    allowed: bool
    approval_id: int | None = None
    code: str = ""
    message: str = ""
    ask_url: str = ""


def unmasking(user: User, *, purpose: str, list_title: str = "") -> Unmasking:
    """The decision for every place that unmasks: the export of a list, the API, the pages."""
    if not may_see_personal_data(user):
        return Unmasking(False, code="forbidden", message=REVEAL_FORBIDDEN)
    if not approval_needed():
        return Unmasking(True)
    grant = active_grant(user, purpose=purpose, list_title=list_title)
    if grant is not None:
        return Unmasking(True, approval_id=grant.pk)
    return Unmasking(
        False,
        code="approval_required",
        message=approval_required_message(purpose, list_title),
        ask_url=ask_url(purpose, list_title),
    )


def pii_access_request(
    *,
    requester: User,
    purpose: str,
    reason: str,
    list_title: str = "",
    request: HttpRequest | None = None,
) -> ApprovalRequest:
    """A holder of ``core.view_personal_data`` asks to see full values for ``purpose`` (an
    export names its list), with a reason; another user holding
    ``core.approve_personal_data`` decides (``workflow.request_approve`` / ``_refuse``).
    One open request per requester at a time."""
    if not may_see_personal_data(requester):
        raise DomainError("forbidden", REVEAL_FORBIDDEN, status=403)
    if purpose not in PURPOSE_LABELS:
        message = "请选择用途"
        raise DomainError("purpose_required", message, {"purpose": message})
    list_title = list_title.strip() if purpose == Purpose.EXPORT else ""
    if purpose == Purpose.EXPORT and not list_title:
        message = "请填写要导出的名单"
        raise DomainError("list_required", message, {"list_title": message})
    if len(list_title) > LIST_TITLE_MAX:
        message = f"名单名称不能超过{LIST_TITLE_MAX}字"
        raise DomainError("list_too_long", message, {"list_title": message})
    return workflow.request_submit(
        kind=PII_ACCESS,
        target=requester,
        requester=requester,
        reason=reason,
        unit=requester.unit,
        payload={"purpose": purpose, "list": list_title},
        request=request,
    )


def pii_requests(user: User) -> QuerySet[ApprovalRequest]:
    """Requests for full values: an approver reads those of the users of its data scope (and
    its own); anyone else only its own (filtered: ``accounts.selectors.pii_request_list``)."""
    qs = workflow.request_list(user=user, kinds=[PII_ACCESS.code])
    if user.has_perm(APPROVE_PERMISSION):
        return qs
    return qs.filter(requester=user)


def pii_request_get(user: User, pk: int) -> ApprovalRequest:
    return get_object_or_404(pii_requests(user), pk=pk)
