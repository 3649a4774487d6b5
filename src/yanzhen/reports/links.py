"""The check ``core.links`` runs on a link to ``/overview/records/?figure=…``: the reader
needs the permission of the records behind the figure (the page answers 403 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import QueryDict
from django.urls import ResolverMatch

from yanzhen.core.links import register
from yanzhen.reports.figures import records_permission

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def figure_records_open(user: AnyUser, match: ResolverMatch, query: QueryDict) -> bool:
    perm = records_permission(query.get("figure", "")[:100])
    return perm is None or user.has_perm(perm)


register("reports:figure_records", figure_records_open)
