"""Links a user may follow: a page is never shown with a link or button that refuses its
reader (403). What a page needs is read from the page itself: the permissions its view
demands unconditionally (``require_perm(request, "…")`` in the view's body, read once from
its source), else its menu entry's (``core.menu``). Pages whose refusal depends on more than
the URL register a check here (``reports`` checks the figure behind ``/overview/records/``).

``strip_refused`` rewrites a rendered page: a link the reader may not follow becomes its text
(with the reason on hover and for screen readers); a link styled as a button is left out.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import cache, lru_cache
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import Resolver404, ResolverMatch, URLResolver, get_resolver, get_urlconf
from django.utils.html import escape

from yanzhen.core.menu import MENU

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

Check = Callable[["AnyUser", ResolverMatch, QueryDict], bool]
_CHECKS: dict[str, Check] = {}
REASON = "您没有权限打开此页面"


def register(view_name: str, check: Check) -> None:
    """``check(user, match, query)`` answers whether ``user`` may open the page."""
    _CHECKS[view_name] = check


_DEMANDED = re.compile(r'^    require_perm\(request, "([a-z_]+\.[a-z_]+)"\)$', re.M)


@cache
def demanded(view: Callable[..., object]) -> tuple[str, ...]:
    """The permissions ``view`` demands before anything else (its body's top-level
    ``require_perm`` calls): all of them are needed."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):  # a view of Django's own, or built at run time
        return ()
    return tuple(_DEMANDED.findall(source))


def _menu_perms() -> dict[str, list[str | None]]:
    """Each page's menu entries' permissions, by URL name (a page may be listed more than
    once), read once instead of scanning the menu for every link of every page."""
    perms: dict[str, list[str | None]] = {}
    for group in MENU:
        for entry in group.entries:
            perms.setdefault(entry.url_name, []).append(entry.perm)
    return perms


_MENU_PERMS = _menu_perms()


def _allowed(user: AnyUser, match: ResolverMatch) -> bool:
    needed = demanded(match.func)
    if needed:
        return all(user.has_perm(p) for p in needed)
    perms = _MENU_PERMS.get(match.view_name, [])
    return not perms or any(p is None or user.has_perm(p) for p in perms)


@lru_cache(maxsize=8192)
def _resolved(resolver: URLResolver, path: str) -> ResolverMatch | None:
    """``path`` resolved by ``resolver`` (``None``: no page of ours). A page links to the same
    few dozen addresses on every request, and resolving walks every URL pattern: remembered per
    resolver (a changed URL conf is another resolver, ``django.urls.get_resolver``)."""
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None


def may_follow(
    user: AnyUser, url: str, opens: Callable[[ResolverMatch], bool] | None = None
) -> bool:
    """Whether a local ``url`` opens for ``user`` as far as its address tells; ``opens`` adds
    the caller's own rule (三员分立 for administrators)."""
    parts = urlsplit(url)
    match = _resolved(get_resolver(get_urlconf()), parts.path)
    if match is None:
        return True  # not a page of ours to judge (a 404 is the page's own answer)
    if opens is not None and not opens(match):
        return False
    if not _allowed(user, match):
        return False
    check = _CHECKS.get(match.view_name)
    return check is None or check(user, match, QueryDict(parts.query))


_ANCHOR = re.compile(r"<a\b([^>]*?)\shref=\"(/[^\"]*)\"([^>]*)>(.*?)</a>", re.S | re.I)


def strip_refused(
    html: str, user: AnyUser, opens: Callable[[ResolverMatch], bool] | None = None
) -> str:
    """``html`` without the links ``user`` may not follow (see the module's doc)."""
    answers: dict[str, bool] = {}

    def one(found: re.Match[str]) -> str:
        href = unescape(found.group(2))
        path = href.split("#", 1)[0]
        if path.startswith(("//", "/static/", "/media/")):
            return found.group(0)
        if path not in answers:
            answers[path] = may_follow(user, path, opens)
        if answers[path]:
            return found.group(0)
        attributes = found.group(1) + found.group(3)
        if 'role="button"' in attributes:
            return ""
        return f'<span class="unavailable" title="{escape(REASON)}">{found.group(4)}</span>'

    return _ANCHOR.sub(one, html)
