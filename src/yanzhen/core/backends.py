"""Authentication backend: Django's model backend, with permissions granted by roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from yanzhen.core.checks import production
from yanzhen.core.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet


class RoleBackend(ModelBackend):
    """Permissions come from the user's active roles (in place of Django's groups). In
    production (``YANZHEN_PRODUCTION``) a superuser neither signs in nor keeps a session: it
    would pass over the data scope and the separation of the three administrators (G12).

    Every signed-in request reads the user and asks for permissions, and nearly every page
    shows the user's unit: the user is read with the unit (one statement, not two), and the
    permissions, direct and through roles, are read in one statement (Django's backend reads
    them in two)."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_superuser", False) and production():
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_group_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser
    ) -> QuerySet[Permission]:
        if user_obj.pk is None:
            return Permission.objects.none()
        return Permission.objects.filter(role__users__pk=user_obj.pk, role__is_active=True)

    def get_all_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: Model | None = None
    ) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached: set[str] | None = getattr(user_obj, "_perm_cache", None)
        if cached is None:
            if getattr(user_obj, "is_superuser", False):
                perms = Permission.objects.all()
            else:
                direct = User.user_permissions.through.objects.filter(user_id=user_obj.pk)
                granted = Role.permissions.through.objects.filter(
                    role__users__pk=user_obj.pk, role__is_active=True
                )
                perms = Permission.objects.filter(
                    Q(pk__in=direct.values("permission_id"))
                    | Q(pk__in=granted.values("permission_id"))
                )
            rows = perms.values_list("content_type__app_label", "codename").order_by()
            cached = {f"{app_label}.{codename}" for app_label, codename in rows}
            setattr(user_obj, "_perm_cache", cached)  # noqa: B010 (Django's own cache name)
        return cached
