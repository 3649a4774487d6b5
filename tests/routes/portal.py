"""Access rules of the portal (see tests/routes/__init__.py). The registration (page and API)
and the activation link are open: whoever registers has no account yet."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "portal:home": "list",
    "portal:register": "public",
    "portal:activate": "public",
    "portal:registration_list": "list",
    "portal:registration_detail": "object:registration",
    "api:create_registration": "public",
}


def object_ids() -> dict[str, int]:
    from yanzhen.portal.models import Registration

    # The registrations the demo's university and expert accounts came from (Yongji's).
    registration = Registration.objects.order_by("pk").first()
    assert registration is not None
    return {"registration": registration.pk}
