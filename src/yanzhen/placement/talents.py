"""What placement shows on a talent's page (``talent.selectors.talent_page``): the internship
the talent was filed for, if any (its line in the talent's panel)."""

from __future__ import annotations

from yanzhen.core.models import User
from yanzhen.placement.models import Internship
from yanzhen.talent.models import Talent


def page(*, user: User, talent: Talent) -> dict[str, object]:
    internship = Internship.objects.filter(talent=talent).select_related("host_unit").first()
    return {"internship": internship}
