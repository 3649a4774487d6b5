"""The portal's records are read and decided in its pages and the review inbox; the admin
shows them read-only for support."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from yanzhen.portal.models import OutsideAccount, Registration


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ("name", "kind", "state", "created_at")
    list_filter = ("kind", "state")
    exclude = ("mobile",)


@admin.register(OutsideAccount)
class OutsideAccountAdmin(ReadOnly):
    list_display = ("user", "kind", "organisation", "is_manager")
