"""Forms of the portal: the registration (fields by kind), the first password, the halls' needs
and results, and the negotiations' messages, status and cooperation."""

from __future__ import annotations

from typing import Any

from django import forms

from yanzhen.cooperation.models import CooperationKind
from yanzhen.core.uploads import BoundedFileField
from yanzhen.portal.models import (
    IpExpectation,
    Maturity,
    PartyKind,
    ResultKind,
    ThreadStatus,
    TransferMode,
)
from yanzhen.reference.models import University


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label="注册类型", choices=PartyKind.choices)
    name = forms.CharField(
        label="名称", max_length=100, help_text="企业或高校的全称；专家填本人姓名"
    )
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="企业填写，18位"
    )
    school_code = forms.CharField(
        label="学校标识码",
        max_length=10,
        required=False,
        help_text="高校填写教育部10位学校标识码",
    )
    university = forms.ModelChoiceField(
        label="所在高校（科研院所）",
        queryset=University.objects.none(),
        required=False,
        help_text="专家填写",
        widget=forms.TextInput(attrs={"list": "university-names"}),
        to_field_name="name",
    )
    contact = forms.CharField(label="联系人", max_length=50, help_text="高校填科研院或合作处联系人")
    mobile = forms.CharField(label="手机号", max_length=11)
    email = forms.EmailField(label="电子邮箱", max_length=100, help_text="审核通过后的账户名")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["university"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = University.objects.all()
        field.error_messages["invalid_choice"] = "不在全国高校和科研院所名单中"


class ActivationForm(forms.Form):
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput, strip=False)
    confirm = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("confirm"):
            self.add_error("confirm", "两次输入的密码不一致")
        return data


class TechNeedForm(forms.Form):
    """A technology need (技术难题) of the user's enterprise."""

    title = forms.CharField(label="难题名称", max_length=100)
    problem = forms.CharField(label="问题描述", max_length=5000, widget=forms.Textarea)
    field = forms.CharField(label="技术领域", max_length=50)
    discipline_code = forms.CharField(
        label="学科代码", max_length=6, required=False, help_text="一级学科或门类代码，如 0808"
    )
    budget_min = forms.IntegerField(label="预算下限（万元）", min_value=0, max_value=1_000_000)
    budget_max = forms.IntegerField(label="预算上限（万元）", min_value=0, max_value=1_000_000)
    deadline = forms.DateField(label="解决期限", widget=forms.DateInput(attrs={"type": "date"}))
    ip_expectation = forms.ChoiceField(label="知识产权预期", choices=IpExpectation.choices)


class ResultForm(forms.Form):
    """A result (科技成果) of the user's university or institute."""

    title = forms.CharField(label="成果名称", max_length=100)
    kind = forms.ChoiceField(label="成果类型", choices=ResultKind.choices)
    summary = forms.CharField(label="成果简介", max_length=5000, widget=forms.Textarea)
    discipline_code = forms.CharField(
        label="学科代码", max_length=6, required=False, help_text="一级学科或门类代码，如 0808"
    )
    maturity = forms.ChoiceField(label="成熟度", choices=Maturity.choices)
    transfer_mode = forms.ChoiceField(label="转化方式", choices=TransferMode.choices)
    price_min = forms.IntegerField(label="价格下限（万元）", min_value=0, max_value=1_000_000)
    price_max = forms.IntegerField(label="价格上限（万元）", min_value=0, max_value=1_000_000)


class MessageForm(forms.Form):
    """A message of a negotiation (the first one expresses the interest)."""

    body = forms.CharField(label="留言", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = BoundedFileField(label="附件", required=False)


class ThreadMoveForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=ThreadStatus.choices)


class ThreadCooperationForm(forms.Form):
    """The cooperation an agreed negotiation becomes in the county's ledger."""

    title = forms.CharField(label="合作名称", max_length=200)
    kind = forms.ChoiceField(label="合作类型", choices=CooperationKind.choices)
    intention_date = forms.DateField(
        label="意向日期", widget=forms.DateInput(attrs={"type": "date"})
    )
