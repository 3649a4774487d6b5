"""Access rules of the core app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "core:unit_revert": "object:unit:version",
    "core:person_revert": "object:person:version",
    "core:login": "public",
    "core:health": "public",
    "core:logout": "logout",
    "core:unit_list": "list",
    "core:unit_create": "create",
    "core:unit_options": "list",
    "core:unit_detail": "object:unit",
    "core:unit_edit": "object:unit",
    "core:person_list": "list",
    "core:person_create": "create",
    "core:person_options": "list",
    "core:person_detail": "object:person",
    "core:person_edit": "object:person",
    "api:openapi-json": "open",
    "api:openapi-view": "open",
    "api:api-root": "open",
    "api:list_units": "list",
    "api:get_unit": "object:unit",
}


def object_ids() -> dict[str, int]:
    from yanzhen.core.models import Person, Unit

    return {
        "unit": Unit.objects.get(name="开张镇").pk,
        "person": Person.objects.order_by("pk").values_list("pk", flat=True)[0],
        "version": 1,
    }
