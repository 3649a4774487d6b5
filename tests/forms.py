"""Helpers of the page tests: the forms of a page as a browser would submit them (lxml)."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

CSRF = "csrfmiddlewaretoken"


@dataclass(frozen=True)
class PageForm:
    method: str
    action: str
    values: tuple[tuple[str, str], ...]  # what a browser sends as it stands
    fields: tuple[str, ...]  # every named field (hidden and disabled ones too)
    multipart: bool

    def data(self, **overrides: str) -> dict[str, str | list[str]]:
        """The values as a test client's data, ``overrides`` replacing fields."""
        out: dict[str, str | list[str]] = {}
        for name, value in self.values:
            if name == CSRF:
                continue
            if name in out:
                existing = out[name]
                out[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                out[name] = value
        out.update(overrides)
        return out


def page_forms(html: str) -> list[PageForm]:
    """The forms of a page, in order."""
    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    forms = []
    for form in document.forms:
        fields = tuple(
            dict.fromkeys(
                str(el.get("name"))
                for el in form.iter("input", "select", "textarea")
                if el.get("name") and el.get("type") not in ("submit", "button", "reset")
            )
        )
        forms.append(
            PageForm(
                method=(form.get("method") or "get").lower(),
                action=form.get("action") or "",
                values=tuple((str(k), str(v)) for k, v in form.form_values()),
                fields=fields,
                multipart="multipart" in (form.get("enctype") or ""),
            )
        )
    return forms


def post_form(html: str, *, containing: str = "") -> PageForm:
    """The first form posted by the page (that has the field ``containing``)."""
    for form in page_forms(html):
        if form.method == "post" and (not containing or containing in form.fields):
            return form
    raise AssertionError(f"no POST form with {containing!r} on the page")
