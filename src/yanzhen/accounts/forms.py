"""Forms of accounts, passwords, two factors and roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from yanzhen.core.forms import KeysChoiceField
from yanzhen.core.masking import LIST_TITLE_MAX, Purpose
from yanzhen.core.models import DataScope, Role, RoleKind, Unit

PASSWORD_INPUT = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        widget=PASSWORD_INPUT,
        help_text=password_validation.password_validators_help_text_html(),
    )
    confirm = forms.CharField(label="再次输入新密码", widget=PASSWORD_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("confirm"):
            self.add_error("confirm", "两次输入的新密码不一致")
        return data


REASON_MAX = 200


class TemporaryPasswordForm(forms.Form):
    new_password = forms.CharField(
        label="临时密码",
        widget=PASSWORD_INPUT,
        help_text="经安全管理员批准后生效；用户下次登录时必须修改",
    )
    reason = forms.CharField(label="申请理由", max_length=REASON_MAX)


class DisableForm(forms.Form):
    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX,
        required=False,
        help_text="停用管理员账户须经安全管理员批准，请填写理由",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批结果", choices=(("approve", "批准"), ("refuse", "拒绝"))
    )
    note = forms.CharField(
        label="审批意见", max_length=REASON_MAX, required=False, help_text="拒绝时必须填写"
    )


class PiiRequestForm(forms.Form):
    """A request to see full ID numbers and mobiles (``core.masking.pii_access_request``)."""

    purpose = forms.ChoiceField(
        label="用途",
        choices=Purpose.choices,
        error_messages={"required": "请选择用途", "invalid_choice": "请选择用途"},
    )
    list_title = forms.CharField(
        label="名单",
        max_length=LIST_TITLE_MAX,
        required=False,
        help_text="用途为导出名单时必填：要导出的名单，与导出页面的名单名称一致",
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申请理由"},
    )


def _code_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OtpForm(forms.Form):
    token = _code_field("动态口令")


class OtpRebindForm(forms.Form):
    old_token = _code_field("原设备的动态口令")
    token = _code_field("新设备的动态口令")


class AccountForm(forms.Form):
    username = forms.RegexField(
        label="账户名", regex=r"^[A-Za-z0-9_.@-]{3,150}$", help_text="字母、数字或 _.@-，3位以上"
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.all(), required=False)
    email = forms.EmailField(label="电子邮件", required=False)
    password = forms.CharField(
        label="临时密码", widget=PASSWORD_INPUT, help_text="用户首次登录时必须修改"
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        if editing:
            self.fields["username"].disabled = True
            del self.fields["password"]


class RolesForm(forms.Form):
    roles = KeysChoiceField(
        label="角色",
        queryset=Role.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="系统管理员、安全管理员、安全审计员三者只能担任其一，且不与业务角色同时授予",
    )

    def __init__(self, *args: Any, roles: QuerySet[Role] | None = None, **kwargs: Any) -> None:
        """``roles``: the choices shown (the roles that fit the account); a POST is checked
        by the service against every active role, so a refusal is named, not a bad choice."""
        super().__init__(*args, **kwargs)
        if roles is not None:
            field = self.fields["roles"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = roles


def permission_choices() -> QuerySet[Permission]:
    apps = (
        "core", "reference", "cooperation", "supervision", "assessment", "demand", "talent",
        "placement", "college", "notifications", "audit", "axes", "otp_totp",
    )  # fmt: skip
    return (
        Permission.objects.filter(content_type__app_label__in=apps)
        .exclude(Q(content_type__model__startswith="historical"))
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def _permission_label(permission: Permission) -> str:
    return f"{permission.content_type.app_label} · {permission.name}"


class RoleForm(forms.Form):
    code = forms.SlugField(label="角色代码", max_length=50)
    name = forms.CharField(label="角色名称", max_length=50)
    kind = forms.ChoiceField(label="角色类别", choices=RoleKind.choices)
    data_scope = forms.ChoiceField(label="数据范围", choices=DataScope.choices)
    custom_units = KeysChoiceField(label="自定义单位", queryset=Unit.objects.all(), required=False)
    permissions = KeysChoiceField(
        label="权限",
        queryset=Permission.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requires_otp = forms.BooleanField(label="须双因素认证", required=False)
    password_max_age_days = forms.IntegerField(
        label="密码最长使用天数", required=False, min_value=1, max_value=3650
    )
    description = forms.CharField(label="说明", max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label="所属县（市、区）",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="省级角色（各县继承）",
        help_text="县级角色只在该县（市、区）可见、可授予；省级角色各县继承，只能由省级管理员修改",
    )

    def __init__(
        self,
        *args: Any,
        editing: bool = False,
        counties: QuerySet[Unit] | None = None,
        county_only: bool = False,
        **kwargs: Any,
    ) -> None:
        """``counties``: the counties a role may belong to; ``county_only``: a county's
        administrator, who makes no province role."""
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = counties if counties is not None else Unit.objects.none()
        if county_only:
            unit.required = True
            unit.empty_label = None
        field = self.fields["permissions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = permission_choices()
        field.label_from_instance = _permission_label  # type: ignore[method-assign,assignment]
        if editing:
            self.fields["code"].disabled = True
