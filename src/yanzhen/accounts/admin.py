"""The Django admin of accounts and roles, for a deployment's technical staff (no everyday
superuser in the demo). Password forms here run the same validators as every other form; roles
follow the same 三员分立 rules as their pages (``accounts.separation``), and nobody changes a
role they hold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from yanzhen.accounts import delegation, separation, services
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Role, User


class UserAdminForm(UserChangeForm):  # type: ignore[type-arg]
    def clean_roles(self) -> Any:
        roles = self.cleaned_data.get("roles")
        try:
            services.check_role_mix(list(roles or []))
        except DomainError as error:
            raise ValidationError(error.message) from error
        return roles


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("雁阵", {"fields": ("full_name", "unit", "roles", "must_change_password")}),
    )
    list_display = ("username", "full_name", "unit", "is_active", "last_login")
    search_fields = ("username", "full_name")

    form = UserAdminForm


class RoleAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Role
        fields = (
            "code", "name", "kind", "data_scope", "custom_units", "permissions", "requires_otp",
            "password_max_age_days", "description", "is_active",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            separation.check_role_permissions(
                data.get("kind", ""), list(data.get("permissions") or [])
            )
        except DomainError as error:
            raise ValidationError({"permissions": error.message}) from error
        return data


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RoleAdminForm
    list_display = ("code", "name", "kind", "data_scope", "requires_otp")
    filter_horizontal = ("permissions", "custom_units")

    def _held(self, request: HttpRequest, obj: Role | None) -> bool:
        return obj is not None and obj.users.filter(pk=request.user.pk or 0).exists()

    def _editable(self, request: HttpRequest, obj: Role | None) -> bool:
        """Not a role the user holds, and (delegated administration) a role of the user's
        county unless the user is the province's administrator."""
        if self._held(request, obj):
            return False
        user = request.user
        return obj is None or (isinstance(user, User) and delegation.may_edit_role(user, obj))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Role]:
        user = request.user
        if not isinstance(user, User):
            return Role.objects.none()
        return super().get_queryset(request).filter(pk__in=delegation.visible_roles(user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The admin's form makes province roles: only the province's administrators.
        user = request.user
        return (
            super().has_add_permission(request)
            and isinstance(user, User)
            and delegation.is_province_admin(user)
        )

    def has_change_permission(self, request: HttpRequest, obj: Role | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Role | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._editable(request, obj)
