"""Writes of the portal's matchmaking: an expression of interest (意向) in a published
technology need (by a university's or an expert's account) or result (by an enterprise) opens a
negotiation thread; the two parties post messages (with a bounded attachment) and move its
status (洽谈中 → 已达成意向 / 已关闭); each message notifies the other side; the county office
turns an agreed thread into a cooperation (意向 stage) of its ledger through the ledger's own
service (review where the county's workflow says so). Every step is in the security log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.models import Channel, Cooperation, CooperationKind
from yanzhen.cooperation.services import CooperationData, cooperation_create
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.uploads import check_upload
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.portal.hall_selectors import is_participant
from yanzhen.portal.hall_services import log_portal
from yanzhen.portal.models import (
    HallState,
    OutsideAccount,
    PartyKind,
    Result,
    TechNeed,
    Thread,
    ThreadMessage,
    ThreadStatus,
)
from yanzhen.portal.thread_selectors import thread_qs

# How a page starts a thread: the message and its attachment.
Starter = Callable[[str, "UploadedFile[bytes] | None"], Thread]
BODY_MAX = 5000
ATTACHMENT_NAME_MAX = 100
ADD_COOPERATION = "cooperation.add_cooperation"
# The status a party may move a thread to, from each status.
MOVES: dict[str, frozenset[str]] = {
    ThreadStatus.OPEN: frozenset({ThreadStatus.AGREED, ThreadStatus.CLOSED}),
    ThreadStatus.AGREED: frozenset({ThreadStatus.OPEN, ThreadStatus.CLOSED}),
    ThreadStatus.CLOSED: frozenset({ThreadStatus.OPEN}),
}


def _invalid(field: str, message: str, status: int = 422) -> DomainError:
    return DomainError("invalid", message, {field: message}, status=status)


def side_of(actor: User, thread: Thread) -> Unit | None:
    """The party the actor speaks for in ``thread`` (its enterprise or its university), or
    None for anyone else (the county office reads, it does not negotiate)."""
    if actor.unit_id is None or not is_participant(actor):
        return None
    if actor.unit_id == thread.enterprise_id:
        return thread.enterprise
    if actor.unit_id == thread.organisation_id:
        return thread.organisation
    return None


def _body(body: str) -> str:
    text = body.strip()
    if not text:
        raise _invalid("body", "留言不能为空")
    if len(text) > BODY_MAX:
        raise _invalid("body", f"留言不能超过 {BODY_MAX} 字")
    return text


def _check_attachment(attachment: UploadedFile[bytes] | None) -> str:
    if attachment is None:
        return ""
    check_upload(attachment, field="attachment")
    name = PurePath(attachment.name or "附件").name
    if len(name) > ATTACHMENT_NAME_MAX:
        raise _invalid("attachment", f"附件文件名不能超过 {ATTACHMENT_NAME_MAX} 个字符")
    return name


def _add_message(
    *, actor: User, thread: Thread, side: Unit, body: str, attachment: UploadedFile[bytes] | None
) -> ThreadMessage:
    name = _check_attachment(attachment)
    message = ThreadMessage(thread=thread, author=actor, side=side, body=body)
    if attachment is not None:
        message.attachment.save(name, attachment, save=False)
        message.attachment_name = name
    message.save()
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=message.created_at, messages_count=F("messages_count") + 1
    )
    thread.refresh_from_db(fields=["last_message_at", "messages_count"])
    other = thread.organisation if side.pk == thread.enterprise_id else thread.enterprise
    notify(
        event=Event.THREAD_MESSAGE,
        about=thread,
        occasion=f"message:{message.pk}",
        title=f"对接洽谈新留言：{thread.subject}",
        body=f"{side.name}：{body[:100]}",
        url=reverse("portal:thread_detail", args=[thread.pk]),
        units=[other],
        actor=actor,
    )
    return message


def _may_start(actor: User, item: TechNeed | Result) -> bool:
    if isinstance(item, TechNeed):
        return OutsideAccount.objects.filter(
            user_id=actor.pk, kind__in=(PartyKind.UNIVERSITY, PartyKind.EXPERT)
        ).exists()
    unit = actor.unit
    return unit is not None and unit.kind == UnitKind.ENTERPRISE and is_participant(actor)


def interest_of(actor: User, item: TechNeed | Result) -> tuple[bool, Thread | None]:
    """Whether the actor may express interest in ``item`` now, and the thread its
    organisation already has about it."""
    if isinstance(item, TechNeed):
        own = Thread.objects.filter(need=item, organisation_id=actor.unit_id)
    else:
        own = Thread.objects.filter(result=item, enterprise_id=actor.unit_id)
    thread = own.first() if actor.unit_id is not None else None
    may = thread is None and item.state == HallState.PUBLISHED and _may_start(actor, item)
    return may, thread


@transaction.atomic
def thread_start(
    *,
    actor: User,
    body: str,
    need: TechNeed | None = None,
    result: Result | None = None,
    attachment: UploadedFile[bytes] | None = None,
) -> Thread:
    """Express interest in a published need (a university's or an expert's account) or
    result (an enterprise's user): the thread opens with the message, the other side is
    told. Once per need and organisation, per result and enterprise."""
    if (need is None) == (result is None):
        raise _invalid("source", "请选择一项技术难题或科技成果")
    item: TechNeed | Result = need if need is not None else result  # type: ignore[assignment]
    noun = "技术难题" if need is not None else "科技成果"
    unit = actor.unit
    if unit is None or not _may_start(actor, item):
        who = "高校（科研院所）或专家账户" if need is not None else "企业账户"
        raise ForbiddenError(f"只有{who}可以对{noun}表达意向")
    if need is not None:
        enterprise, organisation = need.enterprise, unit
    else:
        assert result is not None
        enterprise, organisation = unit, result.organisation
    if item.state != HallState.PUBLISHED:
        raise _invalid("source", f"只能对已发布的{noun}表达意向", status=409)
    text = _body(body)
    existing = (
        Thread.objects.filter(need=need, organisation=organisation)
        if need is not None
        else Thread.objects.filter(result=result, enterprise=enterprise)
    )
    if existing.exists():
        raise _invalid("source", f"本单位已对该{noun}表达过意向，请在原洽谈中继续", status=409)
    now = timezone.now()
    thread = Thread.objects.create(
        enterprise=enterprise,
        organisation=organisation,
        need=need,
        result=result,
        subject=item.title,
        started_by=actor,
        created_at=now,
        last_message_at=now,
    )
    _add_message(actor=actor, thread=thread, side=unit, body=text, attachment=attachment)
    log_portal(actor, "interest", thread, source=f"{item._meta.label_lower}:{item.pk}")
    return thread


@transaction.atomic
def message_post(
    *, actor: User, thread: Thread, body: str, attachment: UploadedFile[bytes] | None = None
) -> ThreadMessage:
    """A party's message in an open or agreed thread; the other side is told."""
    side = side_of(actor, thread)
    if side is None:
        raise ForbiddenError("只有洽谈双方可以留言")
    if thread.status == ThreadStatus.CLOSED:
        raise _invalid("status", "洽谈已关闭，不能留言", status=409)
    return _add_message(
        actor=actor, thread=thread, side=side, body=_body(body), attachment=attachment
    )


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, status: str) -> Thread:
    """A party moves the thread's status (in the security log)."""
    if side_of(actor, thread) is None:
        raise ForbiddenError("只有洽谈双方可以变更洽谈状态")
    if status not in ThreadStatus.values:
        raise _invalid("status", "状态不在可选范围内")
    if thread.cooperation_id is not None:
        raise _invalid("status", "已转入合作台账的洽谈不能再变更状态", status=409)
    if status not in MOVES[thread.status]:
        message = f"“{thread.get_status_display()}”的洽谈不能变更为“{ThreadStatus(status).label}”"
        raise _invalid("status", message, status=409)
    before = thread.status
    thread.status = status
    thread.save(update_fields=["status"])
    log_portal(actor, "status", thread, before=before, after=status)
    return thread


def may_convert(actor: User, thread: Thread) -> bool:
    """Whether the actor (its county's office) may turn ``thread`` into a cooperation now."""
    return (
        thread.status == ThreadStatus.AGREED
        and thread.cooperation_id is None
        and actor.has_perm(ADD_COOPERATION)
        and not is_participant(actor)
        and thread_qs(actor).filter(pk=thread.pk).exists()
    )


@transaction.atomic
def thread_to_cooperation(
    *, actor: User, thread: Thread, title: str, kind: str, intention_date: dt.date
) -> Cooperation:
    """The county office turns an agreed thread into a cooperation at the 意向 stage of its
    ledger (the ledger's service: a lower unit's entry waits for review), the enterprise as
    owner and party, the university as partner, found by 企业自主找, online."""
    in_scope = thread_qs(actor).filter(pk=thread.pk).exists()
    if not actor.has_perm(ADD_COOPERATION) or is_participant(actor) or not in_scope:
        raise ForbiddenError("只有企业所在县的合作办可以把洽谈转为合作")
    if thread.cooperation_id is not None:
        raise _invalid("status", "该洽谈已转入合作台账", status=409)
    if thread.status != ThreadStatus.AGREED:
        raise _invalid("status", "只有已达成意向的洽谈可以转为合作", status=409)
    if kind not in CooperationKind.values:
        raise _invalid("kind", "合作类型不在可选范围内")
    university = thread.organisation.university
    if university is None:
        raise _invalid("organisation", f"“{thread.organisation.name}”不在全国高校和科研院所名单中")
    cooperation = cooperation_create(
        actor=actor,
        data=CooperationData(
            title=title,
            owner_unit=thread.enterprise,
            parties=[thread.enterprise],
            universities=[university],
            channel=Channel.FIND,
            kind=kind,
            intention_date=intention_date,
            online=True,
            description=f"由对接门户洽谈“{thread.subject}”（第 {thread.pk} 号）转入。",
        ),
    )
    thread.cooperation = cooperation
    thread.save(update_fields=["cooperation"])
    log_portal(actor, "cooperation", thread, cooperation=cooperation.code)
    return cooperation
