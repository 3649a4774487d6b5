"""Authentication backend: Django's model backend, with permissions granted by roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from yanzhen.core.checks import production

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet


class RoleBackend(ModelBackend):
    """Permissions come from the user's active roles (in place of Django's groups). In
    production (``YANZHEN_PRODUCTION``) a superuser neither signs in nor keeps a session: it
    would pass over the data scope and the separation of the three administrators (G12)."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_superuser", False) and production():
            return False
        return super().user_can_authenticate(user)

    def _get_group_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser
    ) -> QuerySet[Permission]:
        if user_obj.pk is None:
            return Permission.objects.none()
        return Permission.objects.filter(role__users__pk=user_obj.pk, role__is_active=True)
