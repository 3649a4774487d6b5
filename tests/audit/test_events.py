"""Security events (G15) that had no row: changes made in the Django admin (which bypass the
services) and failed backups and restores (the outcome of each attempt is logged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from yanzhen.audit.models import SecurityEvent
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Role, Unit, User

pytestmark = pytest.mark.django_db


def test_changes_in_the_admin_are_in_the_security_log(clerk: User, town: Unit) -> None:
    request = RequestFactory().post("/admin/", REMOTE_ADDR="10.7.7.7")
    request.user = clerk
    role = Role.objects.create(code="r1", name="r1")
    role.permissions.add(Permission.objects.get(codename="view_securityevent"))
    admin.site._registry[Role].log_change(request, role, [{"changed": {"fields": ["权限"]}}])
    users = admin.site._registry[User]
    users.log_change(request, clerk, [{"changed": {"fields": ["roles"]}}])
    users.log_change(request, clerk, [{"changed": {"fields": ["email"]}}])
    admin.site._registry[Unit].log_addition(request, town, [{"added": {}}])
    rows = SecurityEvent.objects.order_by("pk")
    assert [(e.kind, e.username, e.detail) for e in rows] == [
        ("role_change", "zhangwei",
         {"admin": "修改", "model": "core.role", "object_id": str(role.pk), "fields": ["权限"]}),
        ("role_change", "zhangwei",
         {"admin": "修改", "model": "core.user", "object_id": str(clerk.pk), "fields": ["roles"]}),
        ("user_change", "zhangwei",
         {"admin": "修改", "model": "core.user", "object_id": str(clerk.pk), "fields": ["email"]}),
        ("admin_change", "zhangwei",
         {"admin": "新增", "model": "core.unit", "object_id": str(town.pk), "fields": []}),
    ]  # fmt: skip


def test_a_failed_restore_is_logged(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yzbak"
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(missing), "--sqlite", str(tmp_path / "new.sqlite3"))
    event = SecurityEvent.objects.get(kind="restore")
    assert (event.username, event.detail["file"], event.detail["ok"]) == (
        "system",
        "missing.yzbak",
        False,
    )
    assert "No such file" in event.detail["error"]


def test_a_failed_backup_is_logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(output: Path, *, key: bytes | None = None) -> None:
        raise DomainError("backup", "备份目录不可写")

    monkeypatch.setattr("yanzhen.core.management.commands.backup.backup", refuse)
    with pytest.raises(CommandError, match="备份目录不可写"):
        call_command("backup", "-o", str(tmp_path / "x.yzbak"))
    event = SecurityEvent.objects.get(kind="backup")
    assert event.detail == {"file": "x.yzbak", "ok": False, "error": "备份目录不可写"}
