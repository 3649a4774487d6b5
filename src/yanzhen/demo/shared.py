"""What every part of the Yongji demo shares: the count of what it created, and the
permissions it grants the demo's roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission

from yanzhen.core.models import Role


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n


def grant(perms_by_role: dict[str, list[str]]) -> None:
    """Give the demo roles more permissions (``"app.codename"``), for each part's ``load``."""
    for code, perms in perms_by_role.items():
        role = Role.objects.get(code=code)
        for perm in perms:
            app_label, codename = perm.split(".")
            role.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
