"""``yanzhen purge_sessions``: the daily removal of ended sessions (residual information).

Runs Django's ``clearsessions`` (expired rows of the session store) and forgets the session
keys of logins whose session no longer exists. Schedule it daily, e.g. cron
``20 3 * * * cd /srv/yanzhen && .venv/bin/yanzhen purge_sessions``."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yanzhen.accounts.models import UserSession


class Command(BaseCommand):
    help = "清理已过期的会话（clearsessions），并删除已不存在的会话的登录记录；每天运行"

    def handle(self, *args: Any, **options: Any) -> None:
        before = Session.objects.count()
        call_command("clearsessions")
        expired = before - Session.objects.count()
        orphans, _ = UserSession.objects.exclude(
            session_key__in=Session.objects.values("session_key")
        ).delete()
        self.stdout.write(f"已清理过期会话 {expired} 个，已失效的登录记录 {orphans} 条")
