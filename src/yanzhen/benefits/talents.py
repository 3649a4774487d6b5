"""What the services show on a talent's page (``talent.selectors.talent_page``): the talent's
entitlements and apartment, and whether the user may determine its entitlements."""

from __future__ import annotations

from yanzhen.benefits import selectors
from yanzhen.core.models import User
from yanzhen.talent.models import Talent


def page(*, user: User, talent: Talent) -> dict[str, object]:
    return {
        "entitlements": selectors.entitlement_qs(user)
        .filter(talent=talent)
        .select_related("benefit")
        .order_by("benefit__sort_order"),
        "allocations": talent.room_allocations.select_related("room__apartment"),
        "can_generate": user.has_perm("benefits.add_entitlement"),
        "panels": ["benefits/talent_panel.html"],
    }
