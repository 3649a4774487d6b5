from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.cooperation.models import Cooperation
from yanzhen.core.forms import KeysChoiceField
from yanzhen.core.models import Unit, User
from yanzhen.core.uploads import BoundedFileField
from yanzhen.signing.models import Agreement, AgreementKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SIGNER_FIELDS = ("signer_1", "signer_2", "signer_3", "signer_4")


class _SignerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.name if obj.unit_id else "—"
        return f"{unit} · {obj}"


class AgreementForm(forms.Form):
    cooperation = forms.ModelChoiceField(label="所属合作", queryset=Cooperation.objects.none())
    kind = forms.ChoiceField(label="协议类型", choices=AgreementKind.choices)
    title = forms.CharField(
        label="协议名称", max_length=200, required=False, help_text="留空则按合作名称命名"
    )
    starts_on = forms.DateField(label="起始日期", widget=DATE_INPUT)
    expires_on = forms.DateField(label="到期日期", widget=DATE_INPUT)
    signer_1 = _SignerChoice(label="甲方授权签署人", queryset=User.objects.none())
    signer_2 = _SignerChoice(label="乙方授权签署人", queryset=User.objects.none())
    signer_3 = _SignerChoice(label="丙方授权签署人", queryset=User.objects.none(), required=False)
    signer_4 = _SignerChoice(label="丁方授权签署人", queryset=User.objects.none(), required=False)
    content = forms.CharField(
        label="协议正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="留空则依协议类型的模板起草；以“# ”开头的行为一级标题",
    )

    def __init__(
        self,
        *args: Any,
        cooperations: QuerySet[Cooperation],
        signers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperation"].queryset = cooperations  # type: ignore[attr-defined]
        for name in SIGNER_FIELDS:
            self.fields[name].queryset = signers  # type: ignore[attr-defined]


class ReviseForm(forms.Form):
    content = forms.CharField(label="协议正文", widget=forms.Textarea(attrs={"rows": 16}))
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class SignForm(forms.Form):
    token = forms.CharField(
        label="动态口令",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="签署须输入动态口令（第二因素）确认",
    )


class VerifyForm(forms.Form):
    file = BoundedFileField(label="PDF 文件")


class SealForm(forms.Form):
    image = BoundedFileField(label="印章图片（PNG）")


class CeremonyForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=200)
    owner_unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    held_on = forms.DateField(label="活动日期", widget=DATE_INPUT)
    agreements = KeysChoiceField(
        label="签约协议", queryset=Agreement.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], agreements: QuerySet[Agreement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["agreements"].queryset = agreements  # type: ignore[attr-defined]


class RevokeForm(forms.Form):
    reason = forms.CharField(label="吊销原因", max_length=200)


class ObligationForm(forms.Form):
    unit = forms.ModelChoiceField(label="责任方", queryset=Unit.objects.none())
    title = forms.CharField(label="义务内容", max_length=150)
    due_date = forms.DateField(label="完成时限", widget=DATE_INPUT)
    deliverable = forms.CharField(label="预期成果", max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RenewForm(forms.Form):
    starts_on = forms.DateField(label="起始日期", widget=DATE_INPUT)
    expires_on = forms.DateField(label="到期日期", widget=DATE_INPUT)
