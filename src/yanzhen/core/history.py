"""The change history of records (django-simple-history) with who (account and unit), when
(with its offset), from which address, what (before → after), and reverting to a version.

Models declare ``history = audited_history()``. Each write through a service leaves exactly one
history row, in the same transaction; a revert is itself a change, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from yanzhen.core.errors import DomainError

ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
REVERT_PREFIX = "还原到"
# Fields never shown in a diff (derived or internal).
HIDDEN = {"updated_at", "updated_by", "initials", "cooperation_count", "id_number_hash"}
PII_FIELDS = {"id_number": "id", "mobile": "mobile"}


class AuditedHistory(models.Model):
    """Extra columns of every history table: the author's unit and address."""

    history_ip = models.CharField("IP地址", max_length=45, blank=True)
    history_unit_id = models.BigIntegerField("操作单位编号", null=True, blank=True)
    history_unit_name = models.CharField("操作单位", max_length=100, blank=True)

    class Meta:
        abstract = True


def audited_history(**kwargs: Any) -> HistoricalRecords:
    kwargs.setdefault("bases", [AuditedHistory])
    return HistoricalRecords(**kwargs)


def history_attrs(user: Any) -> dict[str, Any]:
    """The address of the request being served and the unit of ``user``."""
    from yanzhen.audit.services import client_ip

    request = getattr(HistoricalRecords.context, "request", None)
    attrs: dict[str, Any] = {"history_ip": client_ip(request)}
    unit = getattr(user, "unit", None) if user is not None else None
    if unit is not None:
        attrs.update(history_unit_id=unit.pk, history_unit_name=unit.name[:100])
    return attrs


@receiver(pre_create_historical_record)
def _fill(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if not isinstance(history_instance, AuditedHistory):
        return
    for name, value in history_attrs(getattr(history_instance, "history_user", None)).items():
        setattr(history_instance, name, value)


def bulk_history(
    model: type[models.Model],
    objs: list[Any],
    *,
    actor: Any,
    update: bool = False,
    reason: str = "",
) -> None:
    """One history row per object of a bulk write (``bulk_create``, ``bulk_update``, an
    ``UPDATE`` of many rows), with the same who/where as single writes: simple-history's bulk
    path sends no signal, so the author's unit and address are passed as attributes."""
    if not objs:
        return
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        objs,
        update=update,
        default_user=actor,
        default_change_reason=reason,
        custom_historical_attrs=history_attrs(actor),
    )


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    id: int
    date: Any
    user: str
    unit: str
    ip: str
    action: str
    reason: str
    changes: tuple[Change, ...]


def _show(value: Any, field: str, may_see: bool = False) -> str:
    """A value of a diff; ID numbers and phones always masked (the record's page reveals the
    current value, logged, to those who may see it)."""
    if value is None or value == "":
        return "—"
    text = str(value)
    kind = PII_FIELDS.get(field)
    if kind:
        from yanzhen.core.masking import mask_id_number, mask_mobile

        return mask_id_number(text) if kind == "id" else mask_mobile(text)
    return text


def history_rows(instance: models.Model, *, user: Any, limit: int = 50) -> list[HistoryRow]:
    """The newest ``limit`` versions of ``instance`` with what each changed (masked as the
    user may see it)."""
    from yanzhen.core.masking import may_see_personal_data

    may_see = may_see_personal_data(user)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    meta = type(instance)._meta
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN:
                    continue
                label = str(getattr(meta.get_field(change.field), "verbose_name", change.field))
                changes.append(
                    Change(
                        change.field,
                        label,
                        _show(change.old, change.field, may_see),
                        _show(change.new, change.field, may_see),
                    )
                )
        reason = record.history_change_reason or ""
        action = ACTIONS.get(record.history_type, record.history_type)
        if reason.startswith(REVERT_PREFIX):
            action = "还原"
        rows.append(
            HistoryRow(
                id=record.history_id,
                date=record.history_date,
                user=str(record.history_user) if record.history_user else "系统",
                unit=record.history_unit_name,
                ip=record.history_ip,
                action=action,
                reason=reason,
                changes=tuple(changes),
            )
        )
    return rows


Reverter = Callable[..., models.Model]
_REVERTERS: dict[type[models.Model], Reverter] = {}


def register_reverter(model: type[models.Model], reverter: Reverter) -> None:
    """``reverter(actor=, instance=, version=, reason=)`` restores ``version``'s fields through
    the model's own services (so that figures and rules stay right)."""
    _REVERTERS[model] = reverter


def reverter_of(model: type[models.Model]) -> Reverter | None:
    return _REVERTERS.get(model)


def revert(*, actor: Any, instance: models.Model, history_id: int) -> models.Model:
    reverter = _REVERTERS.get(type(instance))
    if reverter is None:
        raise DomainError("not_revertible", "此类记录不支持还原")
    version = instance.history.filter(history_id=history_id).first()  # type: ignore[attr-defined]
    if version is None:
        raise DomainError("no_version", "没有这个历史版本", {"history_id": "版本不存在"})
    when = timezone.localtime(version.history_date).isoformat(sep=" ", timespec="seconds")
    reason = f"{REVERT_PREFIX} {when} 的版本"
    with transaction.atomic():
        return reverter(actor=actor, instance=instance, version=version.instance, reason=reason)
