"""``yanzhen unused_accounts [--days 90] [--disable]``: list (and disable) idle accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.accounts.services import disable_unused, unused_accounts


class Command(BaseCommand):
    help = "列出超过指定天数未登录的有效账户；加 --disable 则停用它们并结束其会话"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if options["disable"]:
            names = disable_unused(days=days)
            self.stdout.write(
                f"已停用 {len(names)} 个超过 {days} 天未登录的账户：{'、'.join(names) or '无'}"
            )
            return
        users = unused_accounts(days=days).order_by("username")
        self.stdout.write(f"超过 {days} 天未登录的有效账户：{users.count()} 个")
        for user in users:
            last = user.last_login.strftime("%Y-%m-%d") if user.last_login else "从未登录"
            self.stdout.write(f"  {user.username}\t{user.full_name}\t{last}")
