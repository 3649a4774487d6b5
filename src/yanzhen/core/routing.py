"""URL pattern groups: the pages of one record type under one path, named as their views.

``record_paths("campaigns/", views, "campaign")`` stands for the four usual pages of a record
(``campaigns/`` → ``views.campaign_list`` named ``campaign_list``, ``campaigns/new/``,
``campaigns/<int:pk>/`` and ``campaigns/<int:pk>/edit/``); name the pages to give others
or fewer: ``"trash"`` (``trash/``), ``"restore"`` (``trash/<int:pk>/restore/``) and
``"revert"`` (``<int:pk>/revert/<int:history_id>/``) are the trash and history pages; any other
page ``p`` of a record is ``<int:pk>/p/`` (``"move"``, ``"delete"``, ``"submit"``, ``"pdf"``…). ``new_child_path("programmes/", "programme", "hosts", views,
"host")`` is the page adding a host to one programme (``programmes/<int:programme_pk>/hosts/new/``
→ ``views.host_new``, named ``host_new``). Irregular pages stay written out with ``path``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from django.http import HttpResponse
from django.urls import URLPattern, path

__all__ = ["new_child_path", "record_paths"]

# The pages whose path is not ``<int:pk>/<page>/``: the list, the new and detail pages, and of
# a record kept in the trash and in history (``SoftDeletable``, ``Versioned``) the trash, the
# restoring of one record from it, and the going back to one version of its history.
_PAGES: dict[str, str] = {
    "list": "",
    "new": "new/",
    "detail": "<int:pk>/",
    "trash": "trash/",
    "restore": "trash/<int:pk>/restore/",
    "revert": "<int:pk>/revert/<int:history_id>/",
}


def record_paths(prefix: str, views: ModuleType, noun: str, *pages: str) -> list[URLPattern]:
    """The patterns of ``pages`` (by default list, new, detail and edit) of ``noun`` under
    ``prefix``: the page ``p`` is the view ``views.<noun>_<p>``, named the same, at
    ``prefix`` + ``<int:pk>/p/`` (list, new and detail: ``""``, ``new/``, ``<int:pk>/``)."""
    return [
        path(
            prefix + _PAGES.get(page, f"<int:pk>/{page}/"),
            getattr(views, f"{noun}_{page}"),
            name=f"{noun}_{page}",
        )
        for page in pages or ("list", "new", "detail", "edit")
    ]


def new_child_path(
    prefix: str, parent: str, children: str, views: ModuleType, noun: str
) -> URLPattern:
    """The page adding a ``noun`` to one ``parent`` record:
    ``<prefix><int:<parent>_pk>/<children>/new/`` → ``views.<noun>_new``, named the same."""
    view: Callable[..., HttpResponse] = getattr(views, f"{noun}_new")
    return path(f"{prefix}<int:{parent}_pk>/{children}/new/", view, name=f"{noun}_new")
