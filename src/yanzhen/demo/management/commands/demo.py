"""``yanzhen demo``: load the Yongji demo (idempotent) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.demo import province, yongji
from yanzhen.demo.loader import ADMIN_ROLES, ROLES, demo_otp_secrets, load_demo
from yanzhen.reference.loaders import load_national_divisions


class Command(BaseCommand):
    help = "载入永济案例演示数据（可重复运行，不会重复新增），并列出演示账号"

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        # The divisions of the whole country down to township, beside the demo: no page of the
        # demo reads them (load_demo, which the suite copies, leaves their 42,000 rows out).
        result.add("divisions", sum(r.created for r in load_national_divisions()))
        if result.created:
            added = "，".join(f"{k} {v}" for k, v in sorted(result.created.items()))
            self.stdout.write(f"已载入永济演示数据：{added}")
        else:
            self.stdout.write("永济演示数据已存在，未作改动")
        self.stdout.write("访问地址：http://127.0.0.1:8000/")
        self.stdout.write(f"演示账号（密码均为 {yongji.DEMO_PASSWORD}）：")
        for username, unit, role, _name in yongji.USERS:
            name, _scope, _perms, what = {**ROLES, **ADMIN_ROLES}[role]
            self.stdout.write(f"  {username:<11} {unit} · {name}：{what}")
        login, full_name = province.CITY_USER
        self.stdout.write(f"  {login:<11} 运城市 · {full_name}：对比本市13个县（市、区），只读")
        secrets = demo_otp_secrets()
        if secrets:
            self.stdout.write(
                "以下账号须双因素认证：在身份验证器中为每个账号添加它自己的密钥"
                "（TOTP，6位，30秒；仅限演示）："
            )
            for username, secret in secrets:
                self.stdout.write(f"  {username:<11} {secret}")
