"""Model field helpers for declarations every app repeats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

__all__ = ["optional_fk"]

M = TypeVar("M", bound=models.Model)


def optional_fk(
    to: type[M],
    verbose_name: str,
    *,
    on_delete: Callable[..., None],
    **options: Any,
) -> models.ForeignKey[M | None, M | None]:
    """An optional reference (``null=True, blank=True``): a form may leave it empty, the
    database stores NULL. The same field, and the same migration, as the long form."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        **options,
    )
