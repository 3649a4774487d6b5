"""Forms of the notifications: preferences, a unit's robot, the failed deliveries' filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yanzhen.core.forms import unit_choices
from yanzhen.core.models import Unit
from yanzhen.notifications.models import RobotKind
from yanzhen.notifications.selectors import PreferenceRow


def email_field(kind: str) -> str:
    return "email_" + kind.replace(".", "_")


def robot_field(kind: str) -> str:
    return "robot_" + kind.replace(".", "_")


class PreferenceForm(forms.Form):
    """Per kind: by e-mail at once, to the group robot; and the daily digest."""

    digest = forms.BooleanField(label=gettext_lazy("每天汇总未读消息发邮件"), required=False)

    def __init__(self, *args: Any, rows: list[PreferenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for name, channel, initial in (
                (email_field(row.kind), _("邮件"), row.email),
                (robot_field(row.kind), _("群机器人"), row.robot),
            ):
                label = f"{row.label}：{channel}"
                self.fields[name] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=initial,
                    widget=forms.CheckboxInput(attrs={"aria-label": label}),
                )

    def table(self) -> list[tuple[PreferenceRow, forms.BoundField, forms.BoundField]]:
        return [(r, self[email_field(r.kind)], self[robot_field(r.kind)]) for r in self.rows]


class RobotForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("所属单位"), queryset=Unit.objects.none())
    name = forms.CharField(
        label=gettext_lazy("名称"), max_length=100, help_text=gettext_lazy("如“城关镇工作群”")
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=RobotKind.choices)
    url = forms.CharField(
        label=gettext_lazy("机器人地址"),
        max_length=1000,
        help_text=gettext_lazy(
            "群设置中“群机器人”的 Webhook 地址（以 https://qyapi.weixin.qq.com/ 或 "
            "https://oapi.dingtalk.com/ 开头）"
        ),
    )
    secret = forms.CharField(
        label=gettext_lazy("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("钉钉机器人启用“加签”时填写"),
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def __init__(self, *args: Any, units: QuerySet[Unit], editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)
        if editing:  # the saved address and secret are not shown again
            self.fields["url"].required = False
            self.fields["url"].help_text = _("留空则不变；已保存的地址不再显示（其中含密钥）")
            self.fields["secret"].help_text = _("留空则不变")
