"""Hardening: production settings pass Django's deployment check; every page carries the
content security policy, and pages for a signed-in user are never cached."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import Demo


def test_the_production_settings_pass_the_deployment_check(tmp_path: object) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
        "YANZHEN_PRODUCTION": "1",
        "YANZHEN_DATA_DIR": str(tmp_path),
        "YANZHEN_SECRET_KEY": "k" * 20 + "-this-is-a-long-random-production-key-0123456789",
        # In production the field and audit keys come from outside the data directory
        # (E001, E002).
        "YANZHEN_FIELD_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "YANZHEN_AUDIT_KEY": "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4=",
    }
    result = subprocess.run(
        [sys.executable, "-m", "yanzhen", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.usefixtures("demo_db")
def test_pages_carry_the_policy_and_are_not_cached(demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse("reports:dashboard"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert "<script>" not in html
    assert " onchange=" not in html


@pytest.mark.usefixtures("demo_db")
def test_a_nul_byte_is_dropped_from_queries_forms_and_json(demo_db: Demo) -> None:
    from yanzhen.core.models import Person, Unit

    client = demo_db.client("office")
    page = client.get(reverse("cooperation:cooperation_list"), {"q": "中车\x00"})
    assert page.status_code == 200
    assert page.content.decode().count("中车") == client.get(
        reverse("cooperation:cooperation_list"), {"q": "中车"}
    ).content.decode().count("中车")
    api = client.get("/api/v1/units", {"q": "开张\x00镇"})
    assert (api.status_code, [u["name"] for u in api.json()["items"]]) == (200, ["开张镇"])
    village = Unit.objects.get(name="东开张村")
    form = client.post(reverse("core:person_new"), {"name": "王\x00五", "unit": village.pk})
    assert form.status_code == 302
    assert Person.objects.filter(name="王五").count() == 1
