"""The operator's manual (操作手册, ``/help/``): Markdown chapters in ``docs/manual/`` (one per
role, and one for the pages every role shares), rendered safely (markdown-it-py with raw HTML
off: a ``<script>`` in a chapter is shown as text), images from ``docs/manual/img/`` served as
the platform's static files (``/static/manual/…``).

A section that documents a page names its route in its heading — ``## 合作台账
{#cooperation:cooperation_list}`` — and that is the registry: :func:`sections` maps each route
name to its section, and :func:`help_url` gives every page the link to its section (the page's
own, else the section of the menu entry the page belongs to, as the breadcrumbs find it, else
the manual's start). A test checks that every menu page has a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from yanzhen.core.menu import MENU, stem
from yanzhen.core.models import ADMIN_KINDS, DataScope, UnitKind, User

PORTAL = "portal"  # the chapter of outside parties (universities, experts)
ANCHOR = re.compile(r"\s*\{#([a-z_]+:[a-z_]+|[a-z][a-z0-9-]*)\}\s*$")


@dataclass(frozen=True)
class Section:
    route: str
    title: str
    anchor: str


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    html: SafeString
    sections: tuple[Section, ...]


def anchor_of(route: str) -> str:
    """``cooperation:cooperation_list`` → ``cooperation-cooperation_list`` (an HTML id)."""
    return route.replace(":", "-")


def _folder() -> Path:
    return Path(settings.MANUAL_DIR)


def _image(src: str) -> str:
    """``img/x.png`` → the static URL of the manual's image; anything else stays."""
    if src.startswith("img/") and "/" not in src[4:] and ".." not in src:
        return static(f"manual/{src[4:]}")
    return src


def _link(href: str) -> str:
    """``other.md#route`` or ``#route`` → the manual's own anchor; ``page:<route>`` → the page."""
    if href.startswith("page:"):
        return reverse(href[5:])
    path, _, fragment = href.partition("#")
    if (path.endswith(".md") and "/" not in path) or (not path and fragment):
        return f"#{anchor_of(fragment or path.removesuffix('.md').split('-', 1)[-1])}"
    return href


def _parser() -> MarkdownIt:
    # "commonmark" with html off: raw HTML in a chapter is escaped, never injected.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _chapter(path: Path) -> Chapter:
    md = _parser()
    tokens = md.parse(path.read_text(encoding="utf-8"))
    sections: list[Section] = []
    title = path.stem
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            match = ANCHOR.search(inline.content)
            text = ANCHOR.sub("", inline.content)
            if match is not None:
                ident = match.group(1)
                token.attrSet("id", anchor_of(ident))
                if ":" in ident:
                    sections.append(Section(ident, text, anchor_of(ident)))
                _strip_anchor(inline)
            if token.tag == "h1" and title == path.stem:
                title = text
        if token.type == "inline" and token.children:
            for child in token.children:
                _rewrite(child)
    # Safe: markdown-it with html off escapes every tag and attribute written in the chapter.
    html = mark_safe(md.renderer.render(tokens, md.options, {}))  # noqa: S308  # nosec B308 B703
    return Chapter(path.stem.split("-", 1)[1], title, html, tuple(sections))


def _strip_anchor(inline: Token) -> None:
    inline.content = ANCHOR.sub("", inline.content)
    if inline.children:
        last = inline.children[-1]
        if last.type == "text":
            last.content = ANCHOR.sub("", last.content)


def _rewrite(token: Token) -> None:
    if token.type == "image":
        token.attrSet("src", _image(str(token.attrGet("src") or "")))
        token.attrSet("loading", "lazy")
    elif token.type == "link_open":
        token.attrSet("href", _link(str(token.attrGet("href") or "")))


@cache
def chapters() -> tuple[Chapter, ...]:
    """The chapters in file name order (``01-…md``, ``02-…md``)."""
    return tuple(_chapter(p) for p in sorted(_folder().glob("[0-9][0-9]-*.md")))


@cache
def sections() -> dict[str, Section]:
    """Route name → the section that documents that page."""
    found: dict[str, Section] = {}
    for chapter in chapters():
        for section in chapter.sections:
            if section.route in found:
                raise ValueError(f"操作手册中页面 {section.route} 有两个章节")
            found[section.route] = section
    return found


def section_for(view_name: str) -> Section | None:
    """The section of the page ``view_name``: its own, else that of the menu entry it belongs
    to (same namespace and noun, as the breadcrumbs find it), else a section of the same
    namespace and noun."""
    known = sections()
    if view_name in known:
        return known[view_name]
    noun = stem(view_name)
    for group in MENU:
        for entry in group.entries:
            if stem(entry.url_name) == noun and entry.url_name in known:
                return known[entry.url_name]
    # Pages outside the menu (the portal's): a section of the same namespace and noun.
    return next((s for route, s in known.items() if stem(route) == noun), None)


def help_url(view_name: str) -> str:
    section = section_for(view_name)
    base = reverse("core:help")
    return f"{base}#{section.anchor}" if section is not None else base


def chapter_for(user: User | AnonymousUser) -> str:
    """The slug of the chapter written for the user's role: administrators by their kind,
    outside parties, enterprises and towns by their unit, the county's own users (data
    scope of the county or more) by whether they keep the records (the office) or read them
    (the leaders), departments by whether they lead a base's plan."""
    if not user.is_authenticated:
        return ""
    roles = list(user.roles.filter(is_active=True).values_list("kind", "data_scope"))
    if any(kind in ADMIN_KINDS for kind, _scope in roles):
        return "admin"
    unit_kind = user.unit.kind if user.unit is not None else ""
    if unit_kind in (UnitKind.UNIVERSITY, UnitKind.INSTITUTE) or user.unit is None:
        return PORTAL
    if unit_kind == UnitKind.ENTERPRISE:
        return "enterprise"
    if unit_kind in (UnitKind.TOWN, UnitKind.STREET, UnitKind.VILLAGE):
        return "town"
    if any(scope in (DataScope.ALL, DataScope.COUNTY) for _kind, scope in roles):
        return "office" if user.has_perm("cooperation.change_cooperation") else "leader"
    return "base" if user.has_perm("supervision.change_milestone") else "department"
