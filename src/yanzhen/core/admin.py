"""The Django admin, for a deployment's technical staff (no everyday superuser in the demo).
Password forms here run the same validators as every other form."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from yanzhen.core.models import Person, Role, Unit, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("雁阵", {"fields": ("full_name", "unit", "roles", "must_change_password")}),
    )
    list_display = ("username", "full_name", "unit", "is_active", "last_login")
    search_fields = ("username", "full_name")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "data_scope", "requires_otp")
    filter_horizontal = ("permissions", "custom_units")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "parent")
    search_fields = ("name",)
    readonly_fields = ("initials", "cooperation_count")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "unit", "position")
    search_fields = ("name",)
