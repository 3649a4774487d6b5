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
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.contrib.auth.models import AnonymousUser

from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.trail import AccessAction, audit_trail

if TYPE_CHECKING:
    from django.http import HttpRequest

    from yanzhen.core.models import User

PERSONAL_DATA_PERMISSION = "core.view_personal_data"
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


def pii(user: User | AnonymousUser, value: str, kind: Kind) -> str:
    """``value`` as ``user`` may see it (exports asked for unmasked by a user who may)."""
    if may_see_personal_data(user):
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
    if kind is not None and may_see_personal_data(request.user):
        audit_trail().access_logged(
            request=request,
            action=AccessAction.REVEAL,
            record_type="person" if person_id is not None else record_type,
            record_id=person_id if person_id is not None else record_id,
            field=FIELDS[kind],
        )
        return (kind,)
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
    when asked with ``?reveal=pii`` by a user who may (see :func:`api_pii`)."""

    revealed: bool

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
    ``core.view_personal_data``; counted in the export quota (the same counter as the
    exports of ``core.listing``: a revealed response is logged as an export), beyond which it
    is refused (429 ``rate_limited``). The caller logs the response with
    :meth:`ApiPii.logged`."""
    if request.GET.get("reveal", "") != REVEAL_PARAMETER:
        return MASKED
    user = request.user
    if not user.is_authenticated or not may_see_personal_data(user):
        raise ForbiddenError(REVEAL_FORBIDDEN)
    if audit_trail().exports_in_last_hour(user) >= EXPORTS_PER_HOUR:
        raise DomainError(
            "rate_limited",
            f"查看完整个人信息与导出合计每小时最多 {EXPORTS_PER_HOUR} 次，请一小时后再试",
            status=429,
        )
    return ApiPii(revealed=True)
