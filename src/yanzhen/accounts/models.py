"""Password history and the sessions of each user (so that disabling a user ends them)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PasswordHistory(models.Model):
    """A past password hash; the last five may not be chosen again."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """The session keys a user logged in with (no session data, only the key)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}"
