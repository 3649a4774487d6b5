"""The change history of records (django-simple-history) with who (account and unit), when
(with its offset), from which address, what (before → after), and reverting to a version.

Models declare ``history = audited_history()``. Each write through a service leaves exactly one
history row, in the same transaction; a revert is itself a change, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from yanzhen.core.errors import DomainError
from yanzhen.core.import_writes import insert_rows
from yanzhen.core.trail import client_ip

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


class RelatedHistory(AuditedHistory):
    """History of a record whose many-to-many relations are part of each version (a
    cooperation's parties and universities): their keys as they stood after the write, so
    that a revert restores them too. ``None`` on versions written before this was kept."""

    history_related = models.JSONField("关联记录", null=True, blank=True)

    class Meta:
        abstract = True


def audited_history(*, related: bool = False, **kwargs: Any) -> HistoricalRecords:
    """The history of a model; ``related=True`` keeps the keys of the many-to-many fields
    the model names in ``HISTORY_RELATED`` with each version (see :class:`RelatedHistory`)."""
    kwargs.setdefault("bases", [RelatedHistory if related else AuditedHistory])
    return HistoricalRecords(**kwargs)


Related = dict[str, list[int]]


def related_keys(instance: models.Model) -> Related:
    """The keys of ``instance``'s many-to-many fields named in ``HISTORY_RELATED``, as
    stored now."""
    names: tuple[str, ...] = getattr(type(instance), "HISTORY_RELATED", ())
    if instance.pk is None:
        return {name: [] for name in names}
    return {
        name: sorted(getattr(instance, name).order_by().values_list("pk", flat=True))
        for name in names
    }


def set_related(instance: models.Model, related: Related) -> None:
    """The relations the coming save of ``instance`` will leave (a service sets them before
    it saves and then writes them; otherwise the stored ones are taken)."""
    instance._history_related = {k: sorted(v) for k, v in related.items()}  # type: ignore[attr-defined]


def history_attrs(user: Any) -> dict[str, Any]:
    """The address of the request being served and the unit of ``user``."""
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
    if isinstance(history_instance, RelatedHistory):
        instance = kwargs["instance"]
        related = getattr(instance, "_history_related", None)
        history_instance.history_related = (
            related if related is not None else related_keys(instance)
        )
        if related is not None:
            del instance._history_related


def bulk_history(
    model: type[models.Model],
    objs: list[Any],
    *,
    actor: Any,
    update: bool = False,
    reason: str = "",
    related: Mapping[Any, Any] | None = None,
) -> None:
    """One history row per object of a bulk write (``bulk_create``, ``bulk_update``, an
    ``UPDATE`` of many rows), with the same who/where as single writes: simple-history's bulk
    path sends no signal, so the author's unit and address are passed as attributes.
    ``related``: each object's related keys by its pk (a :class:`RelatedHistory`), written
    with its row (no second pass over the rows to add them)."""
    if not objs:
        return
    if related is not None:
        _bulk_related_history(model, objs, actor=actor, update=update, reason=reason,
                              related=related)  # fmt: skip
        return
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        objs,
        update=update,
        default_user=actor,
        default_change_reason=reason,
        custom_historical_attrs=history_attrs(actor),
    )


def _bulk_related_history(
    model: type[models.Model],
    objs: list[Any],
    *,
    actor: Any,
    update: bool,
    reason: str,
    related: Mapping[Any, Any],
) -> None:
    """simple-history's ``bulk_history_create`` (the same fields) with each row's
    ``history_related``, sent as plain rows (``core.import_writes``: no model instance per
    row, the statement compiled once)."""
    history_model = model.history.model  # type: ignore[attr-defined]
    tracked = [f.attname for f in history_model.tracked_fields]
    common = {
        "history_date": timezone.now(),
        "history_user_id": actor.pk if actor is not None else None,
        "history_change_reason": reason,
        "history_type": "~" if update else "+",
        **history_attrs(actor),
    }
    insert_rows(
        history_model,
        [*tracked, "history_related"],
        ([*(getattr(obj, name) for name in tracked), related[obj.pk]] for obj in objs),
        same=common,
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
        # core.masking reads the approvals (core.models), and core.models imports this module
        from yanzhen.core.masking import mask_id_number, mask_mobile

        return mask_id_number(text) if kind == "id" else mask_mobile(text)
    return text


def history_rows(instance: models.Model, *, user: Any, limit: int = 50) -> list[HistoryRow]:
    """The newest ``limit`` versions of ``instance`` with what each changed (masked as the
    user may see it)."""
    # core.masking reads the approvals (core.models), and core.models imports this module
    from yanzhen.core.masking import may_see_personal_data

    may_see = may_see_personal_data(user)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    meta = type(instance)._meta
    related_names = _related_names(type(instance), records)
    deltas = [
        record.diff_against(records[index + 1]) if index + 1 < len(records) else None
        for index, record in enumerate(records[:limit])
    ]
    names = _foreign_names(meta, [c for d in deltas if d is not None for c in d.changes])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        delta = deltas[index]
        if previous is not None and delta is not None:
            for change in delta.changes:
                if change.field in HIDDEN:
                    continue
                field = meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                changes.append(
                    Change(
                        change.field,
                        label,
                        _show(_named(field, change.old, names), change.field, may_see),
                        _show(_named(field, change.new, names), change.field, may_see),
                    )
                )
            changes += _related_changes(meta, previous, record, related_names)
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


def _foreign_names(meta: Any, changes: list[Any]) -> dict[Any, dict[Any, str]]:
    """The names of the records the changed foreign keys point to (one query per model)."""
    keys: dict[Any, set[Any]] = {}
    for change in changes:
        field = meta.get_field(change.field)
        if getattr(field, "many_to_one", False) and field.related_model is not None:
            keys.setdefault(field.related_model, set()).update(
                k for k in (change.old, change.new) if k is not None
            )
    return {
        model: {pk: str(obj) for pk, obj in model._base_manager.in_bulk(ids).items()}
        for model, ids in keys.items()
    }


def _named(field: Any, value: Any, names: dict[Any, dict[Any, str]]) -> Any:
    """A changed value as people read it: the label of a choice, the name of a record."""
    if value is None or value == "":
        return value
    if getattr(field, "many_to_one", False):
        return names.get(field.related_model, {}).get(value, f"#{value}")
    choices = getattr(field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _related_names(model: type[models.Model], records: list[Any]) -> dict[str, dict[int, str]]:
    """The names of every record the versions' relations name (one query per relation)."""
    out: dict[str, dict[int, str]] = {}
    for name in getattr(model, "HISTORY_RELATED", ()):
        keys = {
            key
            for record in records
            for key in (getattr(record, "history_related", None) or {}).get(name, [])
        }
        target = model._meta.get_field(name).related_model
        assert isinstance(target, type)
        out[name] = {pk: str(obj) for pk, obj in target._base_manager.in_bulk(keys).items()}
    return out


def _related_changes(
    meta: Any, previous: Any, record: Any, names: dict[str, dict[int, str]]
) -> list[Change]:
    before = getattr(previous, "history_related", None)
    after = getattr(record, "history_related", None)
    if before is None or after is None:
        return []
    changes = []
    for name, known in names.items():
        old, new = sorted(before.get(name, [])), sorted(after.get(name, []))
        if old != new:
            label = str(meta.get_field(name).verbose_name)
            changes.append(
                Change(
                    name,
                    label,
                    "、".join(known.get(k, f"#{k}") for k in old) or "—",
                    "、".join(known.get(k, f"#{k}") for k in new) or "—",
                )
            )
    return changes


Reverter = Callable[..., models.Model]
_REVERTERS: dict[type[models.Model], Reverter] = {}


def register_reverter(model: type[models.Model], reverter: Reverter) -> None:
    """``reverter(actor=, instance=, version=, related=, reason=)`` restores ``version``'s
    fields (and, for models with :class:`RelatedHistory`, the relations ``related`` names;
    ``None`` when the version did not record them) through the model's own services (so that
    figures and rules stay right)."""
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
    related = getattr(version, "history_related", None)
    with transaction.atomic():
        return reverter(
            actor=actor,
            instance=instance,
            version=version.instance,
            related=related,
            reason=reason,
        )
