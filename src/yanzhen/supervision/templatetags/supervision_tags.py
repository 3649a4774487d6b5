"""Template filters of closed-loop supervision."""

from __future__ import annotations

import datetime as dt

from django import template

from yanzhen.supervision.models import Milestone, Problem

register = template.Library()


@register.filter
def overdue(item: Problem | Milestone, today: dt.date) -> bool:
    """Whether a problem or a milestone is open past its deadline on ``today``."""
    return item.is_overdue(today)
