"""Hand scores and corrections (entries) of a period's values, and their review."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.assessment.models import Entry, EntryKind, Period, PeriodState, ScoreItem
from yanzhen.assessment.services.common import frozen, require_perm
from yanzhen.assessment.services.periods import apply_entries, rescore
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User
from yanzhen.core.services import require_unit_in_scope


@transaction.atomic
def entry_create(
    *,
    actor: User | None,
    item: ScoreItem,
    value: Decimal,
    reason: str,
    evidence: UploadedFile[bytes] | None = None,
) -> Entry:
    """A hand score (hand-scored indicators) or a correction (computed ones), with its reason;
    it counts at once and must be reviewed before the period is published."""
    period = item.score.period
    frozen(period)
    if period.state != PeriodState.REVIEW:
        raise DomainError("not_computed", _("请先计算考核结果，再评分或更正"))
    item.refresh_from_db(fields=["value", "status"])
    kind = EntryKind.MANUAL if item.manual else EntryKind.CORRECTION
    require_perm(
        actor, "assessment.add_entry" if kind == EntryKind.MANUAL else "assessment.correct_entry"
    )
    if actor is not None:
        score = item.score
        unit = score.unit if score.unit_id else score.base.lead_department  # type: ignore[union-attr]
        require_unit_in_scope(actor, unit, field="value", label=_("考核对象"))
    reason = reason.strip()
    if not reason:
        message = _("请填写评分依据") if kind == EntryKind.MANUAL else _("请填写更正理由")
        raise DomainError("invalid", message, {"reason": message})
    if value < 0:
        raise DomainError("invalid", _("指标值不能为负数"), {"value": _("不能为负数")})
    item.entries.filter(active=True).update(active=False)
    entry = Entry(
        item=item,
        kind=kind,
        value=value,
        previous=item.value,
        reason=reason[:300],
        entered_by=actor,
    )
    if evidence:  # None or False (a cleared field): no file
        entry.evidence.save(evidence.name or "evidence", evidence, save=False)
    entry.save()
    apply_entries(period)
    rescore(period, actor=actor)
    return entry


@transaction.atomic
def entry_review(*, actor: User | None, entry: Entry) -> Entry:
    """The reviewer approves a hand score or correction (never their own)."""
    require_perm(actor, "assessment.review_entry")
    frozen(entry.item.score.period)
    if not entry.active:
        raise DomainError("superseded", _("该条已被新的评分或更正取代"))
    if entry.reviewed_at is not None:
        raise DomainError("reviewed", _("该条已审核"))
    if actor is not None and entry.entered_by_id == actor.pk:
        raise DomainError("own_entry", _("不能审核自己填报的评分或更正"))
    entry.reviewed_by = actor
    entry.reviewed_at = timezone.now()
    entry.save(update_fields=["reviewed_by", "reviewed_at"])
    return entry


@transaction.atomic
def entries_review_all(*, actor: User, period: Period) -> int:
    """Approve every pending entry of the period that the reviewer did not enter."""
    require_perm(actor, "assessment.review_entry")
    frozen(period)
    pending = Entry.objects.filter(
        item__score__period=period, active=True, reviewed_at__isnull=True
    ).exclude(entered_by=actor)
    return pending.update(reviewed_by=actor, reviewed_at=timezone.now())
