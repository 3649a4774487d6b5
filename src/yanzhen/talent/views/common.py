"""Helpers of the talent pages: the acting user, the generic form page, scope checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.models import User
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm

T = TypeVar("T")

__all__ = ["form_page", "require_perm", "require_true", "submit", "units_of", "user_of"]


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def units_of(request: HttpRequest) -> Any:
    return unit_qs(request.user).filter(is_active=True).order_by("sort_order", "id")


def require_true(allowed: bool) -> None:
    """A record the user sees but may not change (e.g. a campaign of another organiser)."""
    if not allowed:
        raise PermissionDenied


def submit(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], T],
    done: Callable[[T], HttpResponse],
    message: str | Callable[[T], str] = "已保存",
) -> HttpResponse | None:
    """POST with a valid form → the service; its ``DomainError`` goes beside the fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return done(result)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str = "",
    submit_label: str = "",
    intro: str = "",
    warnings: list[str] | None = None,
    facts: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "back": back,
        "submit": submit_label,
        "intro": intro,
        "warnings": warnings or [],
        "facts": facts or [],
    }
    return render(request, "talent/form.html", context)
