"""URL pattern groups: the pages of one record type under one path, named as their views.

``record_paths("campaigns/", views, "campaign")`` stands for the four usual pages of a record
(``campaigns/`` → ``views.campaign_list`` named ``campaign_list``, ``campaigns/new/``,
``campaigns/<int:pk>/`` and ``campaigns/<int:pk>/edit/``); name the pages to give others
(``"move"``, ``"delete"``) or fewer. Irregular pages stay written out with ``path``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Literal

from django.urls import URLPattern, path

__all__ = ["Page", "record_paths"]

Page = Literal["list", "new", "detail", "edit", "move", "delete"]

_PAGES: dict[str, str] = {
    "list": "",
    "new": "new/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
    "move": "<int:pk>/move/",
    "delete": "<int:pk>/delete/",
}


def record_paths(prefix: str, views: ModuleType, noun: str, *pages: Page) -> list[URLPattern]:
    """The patterns of ``pages`` (by default list, new, detail and edit) of ``noun`` under
    ``prefix``: the page ``p`` is the view ``views.<noun>_<p>``, named the same."""
    return [
        path(prefix + _PAGES[page], getattr(views, f"{noun}_{page}"), name=f"{noun}_{page}")
        for page in pages or ("list", "new", "detail", "edit")
    ]
