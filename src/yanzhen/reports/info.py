"""信息报送: towns, departments and bases submit 工作信息 (title, text, photos, date); the office
edits it, adopts (采用) it into a 工作简报 issue or returns it with a comment, and records the
county's outgoing 专报 (which issue, to whom, when). Adoptions per unit are the assessment's
indicator source ``reports.info_adopted`` (``reports.indicators``).

Writes (``info_*``, ``outgoing_report_create``) and reads (``info_list``, ``info_get``, …) in the
reader's data scope."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import Filters, choice, day, flag, record, text
from yanzhen.core.models import Unit, UnitClosure, User, check_version
from yanzhen.core.scope import scope_of
from yanzhen.reports.models import (
    Briefing,
    BriefingKind,
    InfoState,
    OutgoingReport,
    WorkInfo,
    WorkInfoPhoto,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

MB = 1024 * 1024
TITLE_MAX, TEXT_MAX, COMMENT_MAX = 100, 5000, 500
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


def photo_limits() -> tuple[int, int, int]:
    """Photos per item, bytes per photo, pixels per photo (settings ``YANZHEN_INFO_PHOTO_*``)."""
    return (
        int(getattr(settings, "YANZHEN_INFO_PHOTO_MAX_COUNT", 9)),
        int(getattr(settings, "YANZHEN_INFO_PHOTO_MAX_BYTES", 5 * MB)),
        int(getattr(settings, "YANZHEN_INFO_PHOTO_MAX_PIXELS", 40_000_000)),
    )


def _error(code: str, field: str, message: str, status: int = 400) -> DomainError:
    return DomainError(code, message, {field: message}, status=status)


@dataclass(frozen=True)
class Photo:
    """An uploaded photo: its file name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedPhoto:
    name: str
    data: bytes
    suffix: str
    width: int
    height: int


def check_photo(photo: Photo, *, number: int) -> CheckedPhoto:
    """A photo within bounds: JPEG or PNG, at most the bytes and pixels allowed, readable. The
    size and the pixels are checked before the image is decoded (no decompression bomb)."""
    _, max_bytes, max_pixels = photo_limits()
    where = f"第{number}张图片（{photo.name}）"
    if len(photo.data) > max_bytes:
        raise _error("photo", "photos", f"{where}过大：上限 {max_bytes / MB:g} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(photo.data)) as image:
                fmt, (width, height) = image.format or "", image.size
                if fmt not in IMAGE_FORMATS:
                    raise _error("photo", "photos", f"{where}须为 JPEG 或 PNG 格式")
                if width * height > max_pixels:
                    raise _error(
                        "photo",
                        "photos",
                        f"{where}像素过多：上限 {max_pixels // 1_000_000} 百万像素",
                    )
                image.verify()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as error:
        raise _error("photo", "photos", f"{where}无法识别或已损坏：{error}") from None
    return CheckedPhoto(photo.name[:200], photo.data, IMAGE_FORMATS[fmt], width, height)


def _check_photos(photos: Sequence[Photo], existing: int = 0) -> list[CheckedPhoto]:
    max_count, _, _ = photo_limits()
    if existing + len(photos) > max_count:
        raise _error("photo", "photos", f"图片过多：每条信息最多 {max_count} 张")
    return [check_photo(p, number=existing + i) for i, p in enumerate(photos, start=1)]


def _save_photos(info: WorkInfo, photos: list[CheckedPhoto]) -> None:
    for n, photo in enumerate(photos, start=info.photos.count() + 1):
        stored = WorkInfoPhoto(info=info, name=photo.name, width=photo.width, height=photo.height)
        stored.image.save(f"{n}{photo.suffix}", ContentFile(photo.data), save=False)
        stored.save()


@dataclass(frozen=True)
class InfoData:
    title: str
    text: str
    date: dt.date
    base: Base | None = None


def _validate(data: InfoData) -> None:
    title, body = data.title.strip(), data.text.strip()
    if not title:
        raise _error("required", "title", "请填写标题")
    if len(title) > TITLE_MAX:
        raise _error("too_long", "title", f"标题不能超过{TITLE_MAX}字")
    if not body:
        raise _error("required", "text", "请填写正文")
    if len(body) > TEXT_MAX:
        raise _error("too_long", "text", f"正文不能超过{TEXT_MAX}字")
    if not dt.date(1990, 1, 1) <= data.date <= timezone.localdate():
        raise _error("invalid", "date", "信息日期须在1990年1月1日至今天之间")


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise _error("forbidden", "__all__", "您没有此项权限", status=403)


def _check_base(actor: User, base: Base | None) -> None:
    if base is not None and not base_qs(actor).filter(pk=base.pk).exists():
        raise _error("out_of_scope", "base", "所选基地不在您的数据范围内", status=422)


@transaction.atomic
def info_submit(*, actor: User, data: InfoData, photos: Sequence[Photo] = ()) -> WorkInfo:
    """A unit's 工作信息 sent up to the office (the unit is the submitter's)."""
    _require(actor, "reports.add_workinfo")
    if actor.unit is None:
        raise _error("no_unit", "__all__", "您的账号未关联单位，不能报送信息", status=403)
    _validate(data)
    _check_base(actor, data.base)
    checked = _check_photos(photos)
    now = timezone.now()
    info = WorkInfo(
        unit=actor.unit,
        base=data.base,
        title=data.title.strip(),
        text=data.text.strip(),
        date=data.date,
        submitted_by=actor,
        submitted_at=now,
        created_by=actor,
        updated_by=actor,
    )
    info.full_clean()
    info.save()
    _save_photos(info, checked)
    return info


def may_edit(user: AnyUser, info: WorkInfo) -> bool:
    """The submitter edits what is not adopted (and sends a returned item up again); the office
    edits what waits for its decision."""
    if not isinstance(user, User) or info.state == InfoState.ADOPTED:
        return False
    if info.submitted_by_id == user.pk and user.has_perm("reports.add_workinfo"):
        return True
    return info.state == InfoState.SUBMITTED and user.has_perm("reports.adopt_workinfo")


@transaction.atomic
def info_update(
    *,
    actor: User,
    info: WorkInfo,
    data: InfoData,
    version: int | None,
    photos: Sequence[Photo] = (),
) -> WorkInfo:
    """Edit an item (the submitter or the office, see :func:`may_edit`); a returned item edited
    by its submitter is sent up again."""
    info = WorkInfo.objects.select_for_update().get(pk=info.pk)
    if not may_edit(actor, info):
        raise _error("not_editable", "__all__", "该信息已采用或您无权修改", status=403)
    check_version(info, version)
    _validate(data)
    _check_base(actor, data.base)
    checked = _check_photos(photos, existing=info.photos.count())
    info.title, info.text, info.date, info.base = (
        data.title.strip(),
        data.text.strip(),
        data.date,
        data.base,
    )
    info.updated_by = actor
    if info.state == InfoState.RETURNED and info.submitted_by_id == actor.pk:
        info.state = InfoState.SUBMITTED
        info.submitted_at = timezone.now()
    info.full_clean()
    info.save()
    _save_photos(info, checked)
    return info


def bulletins(user: AnyUser) -> QuerySet[Briefing]:
    """The 工作简报 issues an item may be adopted into (in the reader's scope)."""
    return (
        Briefing.objects.filter(scope_of(user).q("unit"), kind=BriefingKind.BULLETIN)
        .exclude(issue=None)
        .order_by("-issue")
    )


def briefings(user: AnyUser) -> QuerySet[Briefing]:
    """The briefings a 专报 may be recorded for (in the reader's scope)."""
    return Briefing.objects.filter(scope_of(user).q("unit")).order_by("-end", "-id")


def _decided(info: WorkInfo, actor: User, version: int | None) -> WorkInfo:
    locked = WorkInfo.objects.select_for_update().get(pk=info.pk)
    _require(actor, "reports.adopt_workinfo")
    if locked.state != InfoState.SUBMITTED:
        raise _error("decided", "__all__", "该信息已处理，不能再次采用或退回", status=409)
    if locked.submitted_by_id == actor.pk or locked.unit_id == actor.unit_id:
        message = "不能处理本单位报送的信息"
        raise _error("self_approval", "__all__", message, status=403)
    check_version(locked, version)
    return locked


def _tell(info: WorkInfo, actor: User, title: str) -> None:
    from yanzhen.notifications.services import notify  # notifications sit above reports' needs

    notify(
        event="info.decided",
        about=info,
        title=title,
        body=info.comment,
        url=reverse("reports:info_detail", args=[info.pk]),
        users=[info.submitted_by],
        occasion=f"{info.state}:{info.version}",
        actor=actor,
    )


@transaction.atomic
def info_adopt(
    *,
    actor: User,
    info: WorkInfo,
    briefing: Briefing,
    comment: str = "",
    version: int | None = None,
) -> WorkInfo:
    """采用: the item goes into the 工作简报 ``briefing``; its submitter is told."""
    if not bulletins(actor).filter(pk=briefing.pk).exists():
        raise _error("invalid", "briefing", "请选择本单位数据范围内的一期工作简报", status=422)
    if len(comment) > COMMENT_MAX:
        raise _error("too_long", "comment", f"意见不能超过{COMMENT_MAX}字")
    locked = _decided(info, actor, version)
    now = timezone.now()
    locked.state = InfoState.ADOPTED
    locked.briefing = briefing
    locked.comment = comment.strip()
    locked.decided_by, locked.decided_at = actor, now
    locked.adopted_on = timezone.localdate(now)
    locked.updated_by = actor
    locked.full_clean()
    locked.save()
    _tell(locked, actor, f"信息已采用：{locked.title}（{briefing.masthead}第{briefing.issue}期）")
    return locked


@transaction.atomic
def info_return(
    *, actor: User, info: WorkInfo, comment: str, version: int | None = None
) -> WorkInfo:
    """退回 with a comment (required); its submitter is told and may edit and send it again."""
    comment = comment.strip()
    if not comment:
        raise _error("required", "comment", "退回时请填写意见")
    if len(comment) > COMMENT_MAX:
        raise _error("too_long", "comment", f"意见不能超过{COMMENT_MAX}字")
    locked = _decided(info, actor, version)
    locked.state = InfoState.RETURNED
    locked.comment = comment
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.updated_by = actor
    locked.save()
    _tell(locked, actor, f"信息被退回：{locked.title}")
    return locked


@transaction.atomic
def outgoing_report_create(
    *,
    actor: User,
    briefing: Briefing,
    recipient: str,
    sent_on: dt.date,
    note: str = "",
) -> OutgoingReport:
    """Record a 专报 the county sent upward."""
    _require(actor, "reports.add_outgoingreport")
    if not briefings(actor).filter(pk=briefing.pk).exists():
        raise _error("invalid", "briefing", "请选择本单位数据范围内的简报", status=422)
    recipient = recipient.strip()
    if not recipient:
        raise _error("required", "recipient", "请填写报送对象")
    if len(recipient) > 200:
        raise _error("too_long", "recipient", "报送对象不能超过200字")
    if len(note) > 300:
        raise _error("too_long", "note", "备注不能超过300字")
    if not dt.date(1990, 1, 1) <= sent_on <= timezone.localdate():
        raise _error("invalid", "sent_on", "报送日期须在1990年1月1日至今天之间")
    report = OutgoingReport(
        unit=briefing.unit,
        briefing=briefing,
        recipient=recipient,
        sent_on=sent_on,
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    report.full_clean()
    report.save()
    return report


# Reads -----------------------------------------------------------------------------------------


def info_qs(user: AnyUser) -> QuerySet[WorkInfo]:
    return WorkInfo.objects.filter(scope_of(user).q("unit", "submitted_by"))


def _info_units(user: AnyUser) -> QuerySet[Unit]:
    return scope_of(user).units().order_by("sort_order", "pk")


@dataclass(frozen=True)
class InfoFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", InfoState)
    unit: int | None = record("报送单位", records=_info_units)
    sub: bool = flag("含下级单位", hidden=True)
    base: int | None = record("所属基地", hidden=True)
    briefing: int | None = record("采用期次", hidden=True)
    date_from: dt.date | None = day("信息日期自")
    date_to: dt.date | None = day("信息日期至")
    adopted_from: dt.date | None = day("采用日期自", hidden=True)
    adopted_to: dt.date | None = day("采用日期至", hidden=True)


def info_list_with_photos(*, user: AnyUser, filters: InfoFilters) -> QuerySet[WorkInfo]:
    """``info_list`` with each item's photos (what the API shows)."""
    return info_list(user=user, filters=filters).prefetch_related("photos")


def info_list(*, user: AnyUser, filters: InfoFilters) -> QuerySet[WorkInfo]:
    qs = info_qs(user).select_related("unit", "base", "briefing", "submitted_by")
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(text__icontains=filters.q))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.unit is not None:
        if filters.sub:
            below = UnitClosure.objects.filter(ancestor_id=filters.unit).values("descendant_id")
            qs = qs.filter(unit__in=below)
        else:
            qs = qs.filter(unit_id=filters.unit)
    if filters.base is not None:
        qs = qs.filter(base_id=filters.base)
    if filters.briefing is not None:
        qs = qs.filter(briefing_id=filters.briefing)
    if filters.date_from is not None:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.adopted_from is not None:
        qs = qs.filter(adopted_on__gte=filters.adopted_from)
    if filters.adopted_to is not None:
        qs = qs.filter(adopted_on__lte=filters.adopted_to)
    return qs.order_by("-date", "-id")


def info_get(user: AnyUser, pk: int) -> WorkInfo:
    return get_object_or_404(
        info_qs(user).select_related("unit", "base", "briefing", "submitted_by", "decided_by"),
        pk=pk,
    )


def photo_get(user: AnyUser, pk: int) -> WorkInfoPhoto:
    return get_object_or_404(WorkInfoPhoto.objects.filter(info__in=info_qs(user)), pk=pk)


def outgoing_qs(user: AnyUser) -> QuerySet[OutgoingReport]:
    return OutgoingReport.objects.filter(scope_of(user).q("unit"))


@dataclass(frozen=True)
class OutgoingFilters(Filters):
    q: str = text("报送对象")
    sent_from: dt.date | None = day("报送日期自")
    sent_to: dt.date | None = day("报送日期至")


def outgoing_list(*, user: AnyUser, filters: OutgoingFilters) -> QuerySet[OutgoingReport]:
    qs = outgoing_qs(user).select_related("unit", "briefing")
    if filters.q:
        qs = qs.filter(recipient__icontains=filters.q)
    if filters.sent_from is not None:
        qs = qs.filter(sent_on__gte=filters.sent_from)
    if filters.sent_to is not None:
        qs = qs.filter(sent_on__lte=filters.sent_to)
    return qs.order_by("-sent_on", "-id")
