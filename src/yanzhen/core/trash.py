"""Soft deletion of a ``SoftDeletable`` record and its restoration, the same for every app:
the row is locked, stamped (when and by whom) and saved with its history entry; the app's
service adds its own checks around (the data scope, a name taken meanwhile, figures to
recount). Call them in the service's transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from yanzhen.core.errors import DomainError

M = TypeVar("M", bound=models.Model)


def _stamp(instance: Any, *, when: Any, actor: Any, reason: str) -> None:
    instance.deleted_at = when
    instance.deleted_by = actor if when is not None else None
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=["deleted_at", "deleted_by"])


def trash(model: type[M], pk: int, *, actor: Any, reason: str = "删除") -> M:
    """Delete the live record ``pk`` of ``model`` softly: it leaves the lists, the figures
    and the API, restorable from the trash until ``purge_deleted`` removes it."""
    instance = model.objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    _stamp(instance, when=timezone.now(), actor=actor, reason=reason)
    return instance  # type: ignore[no-any-return]


def deleted_for_restore(model: type[M], pk: int, *, not_deleted: str) -> M:
    """The deleted record ``pk`` of ``model``, locked; ``not_deleted`` (a ``DomainError``)
    when it is not in the trash."""
    instance = model.all_objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    if instance.deleted_at is None:
        raise DomainError("not_deleted", not_deleted)
    return instance  # type: ignore[no-any-return]


def untrash(instance: M, *, actor: Any, reason: str = "恢复") -> M:
    """Bring ``instance`` (from :func:`deleted_for_restore`) back from the trash."""
    _stamp(instance, when=None, actor=actor, reason=reason)
    return instance
