"""Forms of the 揭榜挂帅 calls and of the staff sub-accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from yanzhen.cooperation.models import Cooperation
from yanzhen.core.forms import KeysChoiceField
from yanzhen.core.models import Unit, User
from yanzhen.core.uploads import BoundedFileField
from yanzhen.portal.models import Call, CallObjection

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class CallForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("出题企业"), queryset=Unit.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("榜单名称"), max_length=100)
    problem = forms.CharField(
        label=gettext_lazy("攻关任务"), max_length=5000, widget=forms.Textarea
    )
    field = forms.CharField(label=gettext_lazy("技术领域"), max_length=50)
    budget_min = forms.IntegerField(
        label=gettext_lazy("悬赏金额下限（万元）"), min_value=0, max_value=1_000_000
    )
    budget_max = forms.IntegerField(
        label=gettext_lazy("悬赏金额上限（万元）"), min_value=0, max_value=1_000_000
    )
    deadline = forms.DateField(label=gettext_lazy("揭榜截止日期"), widget=DATE_INPUT)
    criteria = forms.CharField(
        label=gettext_lazy("评审指标"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "每行一项“名称：分值”，合计100分；留空则为技术方案40、团队实力30、经费预算15、进度安排15"
        ),
    )


class ApplicationForm(forms.Form):
    proposal = forms.CharField(
        label=gettext_lazy("揭榜方案"), max_length=5000, widget=forms.Textarea
    )
    attachment = BoundedFileField(label=gettext_lazy("附件"), required=False)


class EvaluatorsForm(forms.Form):
    evaluators = KeysChoiceField(
        label=gettext_lazy("评审专家"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluators"]
        assert isinstance(field, KeysChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in candidates]).order_by("pk")
        field.label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
            f"{u.full_name or u.username}（{u.unit.name if u.unit else ''}）"
        )


class ScoreForm(forms.Form):
    """One field per criterion of the call (0 to its maximum) and a comment."""

    comment = forms.CharField(
        label=gettext_lazy("评审意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria: dict[str, forms.Field] = {}
        for i, criterion in enumerate(call.criteria):
            criteria[f"c{i}"] = forms.IntegerField(
                label=f"{criterion['name']}（0–{criterion['max']}分）",
                min_value=0,
                max_value=int(criterion["max"]),
            )
        self.fields = {**criteria, **self.fields}
        self.call = call

    def scores(self) -> dict[str, int]:
        return {
            str(c["name"]): int(self.cleaned_data[f"c{i}"])
            for i, c in enumerate(self.call.criteria)
        }


class ObjectionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("异议内容"), max_length=1000, widget=forms.Textarea)


def _objection_label(objection: CallObjection) -> str:
    return f"{objection.filed_at:%Y-%m-%d} {objection.text[:40]}"


class AnswerForm(forms.Form):
    objection = forms.ModelChoiceField(
        label=gettext_lazy("异议"), queryset=CallObjection.objects.none()
    )
    answer = forms.CharField(label=gettext_lazy("答复"), max_length=1000, widget=forms.Textarea)

    def __init__(self, *args: Any, objections: list[CallObjection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CallObjection.objects.filter(pk__in=[o.pk for o in objections])
        field.label_from_instance = _objection_label  # type: ignore[method-assign,assignment]


class AwardForm(forms.Form):
    cooperation = forms.ModelChoiceField(
        label=gettext_lazy("关联已有合作"),
        queryset=Cooperation.objects.none(),
        required=False,
        help_text=gettext_lazy("留空则在合作台账中新建“意向”阶段的合作"),
    )

    def __init__(self, *args: Any, linkable: list[Cooperation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cooperation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cooperation.objects.filter(pk__in=[c.pk for c in linkable])


class AgreementForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("签约日期"), widget=DATE_INPUT)


class StaffForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        max_length=100,
        help_text=gettext_lazy("子账户的账户名；激活链接发到此邮箱"),
    )
