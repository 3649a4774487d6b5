"""The Django admin of core's records, for a deployment's technical staff (no everyday
superuser in the demo). Accounts and roles are administered by the accounts app's admin."""

from __future__ import annotations

from django.contrib import admin

from yanzhen.core.masking import mask_id_number, mask_mobile
from yanzhen.core.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "parent")
    search_fields = ("name",)
    readonly_fields = ("initials", "cooperation_count")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Technical staff see ID numbers and mobiles masked only (never an edit box holding the
    full value); they are changed on the person's own page, where a reveal is logged."""

    list_display = ("name", "unit", "position")
    search_fields = ("name",)
    exclude = ("id_number", "mobile")
    readonly_fields = ("masked_id_number", "masked_mobile")

    @admin.display(description="身份证号")
    def masked_id_number(self, person: Person) -> str:
        return mask_id_number(person.id_number)

    @admin.display(description="手机号")
    def masked_mobile(self, person: Person) -> str:
        return mask_mobile(person.mobile)
