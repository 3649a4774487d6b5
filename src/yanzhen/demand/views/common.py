"""Helpers shared by the pages of the demand map."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(**params: object) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def need_list_url(**params: object) -> str:
    query = _query(**params)
    return reverse("demand:need_list") + (f"?{query}" if query else "")
