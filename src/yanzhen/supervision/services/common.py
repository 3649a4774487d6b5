"""What the supervision's services share: the checks of the actor's permissions and scope,
the field errors, and the save with the audit fields."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Unit, User
from yanzhen.core.services import require_unit_in_scope, validate


def fail(field: str, message: str, code: str = "invalid") -> DomainError:
    """A ``DomainError`` whose message is shown beside ``field``."""
    return DomainError(code, message, {field: message})


def require_perm(actor: User | None, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise ForbiddenError()


def check_unit(actor: User | None, unit: Unit | None, *, field: str, label: str) -> None:
    """``unit`` is in the actor's scope (no actor: the system, always)."""
    if actor is not None:
        require_unit_in_scope(actor, unit, field=field, label=label)


def require_base(actor: User | None, base: Base | None, field: str = "base") -> None:
    """``base`` is one the actor sees (no base, or no actor: nothing to check)."""
    if actor is not None and base is not None and not base_qs(actor).filter(pk=base.pk).exists():
        raise DomainError(
            "out_of_scope", _("所选基地不在您的数据范围内"), {field: _("无权选择该基地")}
        )


def save(instance: models.Model, actor: User | None, *, history: bool = True) -> None:
    """Stamp the audit fields (and the author of the history row), validate and save."""
    if instance._state.adding and getattr(instance, "created_by_id", None) is None:
        instance.created_by = actor  # type: ignore[attr-defined]
    instance.updated_by = actor  # type: ignore[attr-defined]
    if history:
        instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
