"""What every request reuses instead of computing again (the link guard's resolved addresses,
the sidebar's addresses, the OpenAPI schema) answers exactly what computing it afresh answers:
per URL conf and script prefix, and a copy for each caller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import clear_script_prefix, set_script_prefix, set_urlconf
from ninja import NinjaAPI

from yanzhen.api import api
from yanzhen.core import links, menu

# A URL conf of no page at all (this module is it, for the link guard's test).
urlpatterns: list[object] = []


@pytest.fixture
def no_pages() -> Iterator[None]:
    set_urlconf(__name__)
    try:
        yield
    finally:
        set_urlconf(None)


def test_a_link_is_judged_by_the_url_conf_in_force(no_pages: None) -> None:
    anonymous = AnonymousUser()
    set_urlconf(None)
    assert links.may_follow(anonymous, "/cooperation/") is False  # needs its permission
    set_urlconf(__name__)
    assert links.may_follow(anonymous, "/cooperation/") is True  # not a page of this conf
    set_urlconf(None)
    assert links.may_follow(anonymous, "/cooperation/") is False


def test_the_sidebar_addresses_follow_the_script_prefix() -> None:
    assert menu._href("cooperation:cooperation_list") == "/cooperation/"
    set_script_prefix("/yanzhen/")
    try:
        assert menu._href("cooperation:cooperation_list") == "/yanzhen/cooperation/"
    finally:
        clear_script_prefix()
    assert menu._href("cooperation:cooperation_list") == "/cooperation/"


def test_the_openapi_schema_is_built_once_and_each_caller_gets_its_own_copy() -> None:
    fresh = NinjaAPI.get_openapi_schema(api, path_prefix="/api/v1/")
    first = api.get_openapi_schema(path_prefix="/api/v1/")
    assert first == fresh
    paths = len(first["paths"])
    first["paths"].clear()
    again = api.get_openapi_schema(path_prefix="/api/v1/")
    assert (len(again["paths"]), again == fresh, again.api is api) == (paths, True, True)
