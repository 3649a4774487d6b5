"""Access rules of the reference app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "reference:university_list": "open",
    "reference:university_suggest": "open",
    "reference:university_detail": "open:university",
    "api:list_universities": "open",
    "api:get_university": "open:university",
}


def object_ids() -> dict[str, int]:
    from yanzhen.reference.models import University

    return {"university": University.objects.get(name="西安交通大学").pk}
