from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yanzhen.accounts"
    label = "accounts"
    verbose_name = "账户与安全"
    url_prefix = "accounts/"
    nav_group = "系统管理"
    nav_order = 97
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("accounts:user_list", "账户管理", "core.view_user"),
        ("accounts:role_list", "角色与权限", "core.view_role"),
        ("accounts:request_list", "审批申请", "core.view_approvalrequest"),
        ("accounts:lockout_list", "锁定账户", "axes.view_accessattempt"),
        ("accounts:pii_request_list", "完整个人信息审批", "core.approve_personal_data"),
        ("accounts:pii_request_list", "完整个人信息申请", "core.view_personal_data"),
        ("accounts:security", "我的账户安全", None),
    )

    def ready(self) -> None:
        # The receivers use the models: imported once the app registry is ready.
        from yanzhen.accounts import signals

        signals.connect()
