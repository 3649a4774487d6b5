"""Writes of the reports app: annual targets (briefings in ``reports.briefings``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User, check_version
from yanzhen.reports.models import AnnualTarget, TargetKind

TARGET_MAX = 1_000_000


@transaction.atomic
def annual_targets_set(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    values: Mapping[str, int | None],
    versions: Mapping[str, int | None],
) -> list[AnnualTarget]:
    """Set ``unit``'s targets for ``year``: a value per kind (None removes the target).
    ``versions`` holds the version each edit was made on (None for a target that did not
    exist then); an edit on an older version is refused and nothing is saved."""
    if not 1990 <= year <= 2100:
        raise DomainError("year", "年度须在1990至2100之间", {"year": "年度须在1990至2100之间"})
    labels = dict(TargetKind.choices)
    current = {
        t.kind: t for t in AnnualTarget.objects.select_for_update().filter(unit=unit, year=year)
    }
    out = []
    for kind, value in values.items():
        if kind not in labels:
            raise DomainError("kind", f"未知的目标类型“{kind}”")
        if value is not None and not 0 <= value <= TARGET_MAX:
            message = f"{labels[kind]}目标须在0至{TARGET_MAX}之间"
            raise DomainError("value", message, {kind: message})
        target = current.get(kind)
        expected = versions.get(kind)
        if target is None:
            if expected is not None:  # it was deleted since
                message = f"{labels[kind]}目标已被他人修改：请刷新页面后再保存"
                raise DomainError("conflict", message, {kind: message}, status=409)
            if value is not None:
                target = AnnualTarget(
                    unit=unit, year=year, kind=kind, value=value, created_by=actor, updated_by=actor
                )
                target.full_clean()
                target.save()
                out.append(target)
            continue
        if expected is None:
            message = f"{labels[kind]}目标已被他人设置：请刷新页面后再保存"
            raise DomainError("conflict", message, {kind: message}, status=409)
        if value is None:
            check_version(target, expected)
            target.delete()
            continue
        if value == target.value and expected == target.version:
            out.append(target)
            continue
        check_version(target, expected)
        target.value = value
        target.updated_by = actor
        target.save(update_fields=["value", "version", "updated_by", "updated_at"])
        out.append(target)
    return out
