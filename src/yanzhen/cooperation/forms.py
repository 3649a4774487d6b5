"""Forms of the ledger: its filters' base picker, a cooperation, a stage move, bases,
activities, secondments."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yanzhen.cooperation.models import (
    ActivityKind,
    ActivityParticipant,
    ActivityStatus,
    Base,
    BaseType,
    Channel,
    Cooperation,
    CooperationKind,
    StageChoices,
)
from yanzhen.cooperation.selectors import (
    CooperationFilters,
    base_choices,
)
from yanzhen.cooperation.services.activities import PARTICIPANTS_MAX, ParticipantData
from yanzhen.core.excel import LIST_SEPARATORS
from yanzhen.core.filters import DataclassFilterForm, filter_form
from yanzhen.core.forms import (
    KeysChoiceField,
    VersionField,
    keep_as_is,
    person_choices,
    record_choices,
    scoped_choices,
    unit_choices,
)
from yanzhen.core.models import Person, Unit, UnitKind, User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.uploads import BoundedFileField
from yanzhen.engines.names import NameIndex
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import Industry, LocalIndustry, University

SUGGEST = {
    "list": "university-names",
    "autocomplete": "off",
    "hx-get": reverse_lazy("reference:university_suggest"),
    "hx-trigger": "keyup changed delay:300ms",
    "hx-target": "#university-names",
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BASE_OPTIONS = reverse_lazy("cooperation:base_options")


def base_label(base: Base) -> str:
    """A base named with its county, for lists where several counties' bases meet."""
    return f"{base.name}（{base.county.name}）"


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


def cooperation_filter_form(data: Any, *, user: User) -> DataclassFilterForm[CooperationFilters]:
    """The ledger's filter form (``CooperationFilters``), its base chosen in a picker of the
    user's bases: listed while they are few, searched as the user types when many."""
    form = filter_form(CooperationFilters)(data, user=user)
    form.fields["base"] = forms.ChoiceField(label=form.fields["base"].label, required=False)
    record_choices(
        form,
        "base",
        base_choices(user=user),
        label=lambda b: b.name,
        long_label=base_label,
        url=str(BASE_OPTIONS),
        group=_("基地"),
        before=[("", _("全部"))],
        after=[("none", _("不属于基地"))],
    )
    return form


def cooperation_choices(
    form: forms.BaseForm, name: str, cooperations: QuerySet[Cooperation]
) -> None:
    """The cooperation field ``name`` (one or several) chooses among ``cooperations`` (already
    scoped to the user): listed while few, searched by code or title when many."""
    scoped_choices(form, name, cooperations, "cooperation:cooperation_options", str, "合作")


def split_names(text: str) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(text or "") if p.strip()]


class CooperationForm(forms.Form):
    """A cooperation as a clerk fills it in; parties and universities are written by name."""

    title = forms.CharField(label=gettext_lazy("合作名称"), max_length=200)
    owner_unit = forms.ModelChoiceField(
        label=gettext_lazy("登记单位"), queryset=Unit.objects.none()
    )
    parties = forms.CharField(
        label=gettext_lazy("本地合作方"),
        help_text=gettext_lazy(
            "企业、部门、镇（街道）、村的名称，多个用顿号“、”分隔；重名时写“上级单位/名称”"
        ),
        widget=forms.TextInput(attrs={"list": "unit-names"}),
    )
    universities = forms.CharField(
        label=gettext_lazy("合作高校（院所）"),
        help_text=gettext_lazy("高校全称、简称或学校标识码，多个用顿号“、”分隔"),
        widget=forms.TextInput(attrs=SUGGEST),
    )
    channel = forms.ChoiceField(label=gettext_lazy("对接渠道"), choices=Channel.choices)
    kind = forms.ChoiceField(label=gettext_lazy("合作类型"), choices=CooperationKind.choices)
    base = forms.ModelChoiceField(
        label=gettext_lazy("所属基地"), queryset=Base.objects.none(), required=False
    )
    local_industry = forms.ModelChoiceField(
        label=gettext_lazy("本地产业"), queryset=LocalIndustry.objects.all(), required=False
    )
    industry_code = forms.CharField(
        label=gettext_lazy("国民经济行业代码"),
        max_length=5,
        required=False,
        help_text=gettext_lazy("GB/T 4754-2017，如 3811"),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("阶段"), choices=StageChoices.choices, initial=Stage.INTENTION
    )
    intention_date = forms.DateField(label=gettext_lazy("意向日期"), widget=DATE_INPUT)
    agreement_date = forms.DateField(
        label=gettext_lazy("签约日期"), required=False, widget=DATE_INPUT
    )
    landed_date = forms.DateField(label=gettext_lazy("落地日期"), required=False, widget=DATE_INPUT)
    dropped_date = forms.DateField(
        label=gettext_lazy("终止日期"), required=False, widget=DATE_INPUT
    )
    drop_reason = forms.CharField(label=gettext_lazy("终止原因"), max_length=200, required=False)
    planned_investment = forms.DecimalField(
        label=gettext_lazy("计划投资（万元）"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        required=False,
    )
    landed_investment = forms.DecimalField(
        label=gettext_lazy("落地投资（万元）"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        required=False,
    )
    participants = forms.IntegerField(
        label=gettext_lazy("参与学生（人）"), min_value=0, initial=0, required=False
    )
    online = forms.BooleanField(label=gettext_lazy("云对接/云签约"), required=False)
    description = forms.CharField(
        label=gettext_lazy("合作内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    # The fields holding what the cooperation stores, as it stores it.
    AS_STORED = (
        *("title", "owner_unit", "channel", "kind", "base", "local_industry", "stage"),
        *("intention_date", "agreement_date", "landed_date", "dropped_date", "drop_reason"),
        *("planned_investment", "landed_investment", "participants", "online", "description"),
    )

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[Unit],
        bases: QuerySet[Base],
        party_units: QuerySet[Unit],
        university_index: Callable[[], NameIndex],
        editing: Cooperation | None = None,
        owner_fixed: bool = False,
        base_fixed: bool = False,
        industries: QuerySet[LocalIndustry] | None = None,
        **kwargs: Any,
    ) -> None:
        """``industries``: the local industries of the user's county (all when None);
        ``editing``: the cooperation edited (its stage moves on its own page);
        ``owner_fixed``, ``base_fixed``: its owner, its base shown but not changeable by this
        user (the services refuse a change in any case)."""
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", owners.order_by("sort_order", "id"))
        base = self.fields["base"]
        assert isinstance(base, forms.ModelChoiceField)
        base.queryset = bases
        if industries is not None:
            industry = self.fields["local_industry"]
            assert isinstance(industry, forms.ModelChoiceField)
            # The county's own, and the one a cooperation being edited already has.
            current = editing.local_industry_id if editing is not None else None
            industry.queryset = LocalIndustry.objects.filter(
                Q(pk__in=industries.values("pk")) | Q(pk=current)
            )
        record_choices(
            self,
            "base",
            bases,
            label=str,
            long_label=base_label,
            url=str(BASE_OPTIONS),
            group=_("基地"),
            before=[("", str(base.empty_label))],
        )
        self.party_units = party_units
        self.university_index = university_index
        if editing is not None:
            self.fields["stage"].disabled = True
            self.fields["stage"].help_text = _("阶段请通过“变更阶段”调整")
        if editing is not None and owner_fixed:
            owner = Unit.objects.filter(pk=editing.owner_unit_id)
            keep_as_is(self, "owner_unit", owner, _("登记单位只能由县合作办变更"))
        if editing is not None and base_fixed:
            kept = Base.objects.filter(pk=editing.base_id or 0)
            keep_as_is(self, "base", kept, _("所属基地只能由县合作办或基地牵头部门变更"))

    def clean_parties(self) -> list[Unit]:
        names = split_names(self.cleaned_data["parties"])
        ids, problems = UnitResolver.among(self.party_units, names).resolve_all(names)
        if problems:
            raise forms.ValidationError(problems)
        units = self.party_units.in_bulk(ids)
        return [units[pk] for pk in ids]

    def clean_universities(self) -> list[University]:
        ids: list[int] = []
        problems: list[str] = []
        names = split_names(self.cleaned_data["universities"])
        # Built only when there is a name to resolve (3,000 universities: two queries, ~20 ms).
        index = self.university_index() if names else NameIndex()
        for name in names:
            found = index.resolve(name)
            if found.key is None:
                problems.append(
                    _("“%(name)s”对应多所高校，请写全称") % {"name": name}
                    if found.candidates
                    else _("找不到高校“%(name)s”，请写全称、简称或学校标识码") % {"name": name}
                )
            elif int(found.key) not in ids:
                ids.append(int(found.key))
        if problems:
            raise forms.ValidationError(problems)
        universities = University.objects.in_bulk(ids)
        return [universities[pk] for pk in ids]

    def clean_industry_code(self) -> Industry | None:
        code = self.cleaned_data["industry_code"].strip()
        if not code:
            return None
        industry = Industry.objects.filter(code=code).first()
        if industry is None:
            raise forms.ValidationError(_("国民经济行业代码“%(code)s”不存在") % {"code": code})
        return industry


def cooperation_initial(cooperation: Cooperation, party_units: QuerySet[Unit]) -> dict[str, Any]:
    """The edit form of ``cooperation`` as it stands (its parties and universities
    prefetched): the parties named as they are told apart among ``party_units``."""
    parties = list(cooperation.parties.all())
    resolver = UnitResolver.among(party_units, [u.name for u in parties])
    return {
        **model_to_dict(cooperation, fields=CooperationForm.AS_STORED),
        "version": cooperation.version,
        "parties": "、".join(resolver.label(u.pk) or u.name for u in parties),
        "universities": "、".join(u.name for u in cooperation.universities.all()),
        "industry_code": cooperation.industry.code if cooperation.industry else "",
    }


class MoveForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("变更为"), choices=StageChoices.choices)
    version = VersionField()
    date = forms.DateField(
        label=gettext_lazy("日期"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("签约、落地、终止须填写日期"),
    )
    reason = forms.CharField(
        label=gettext_lazy("原因/说明"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("退回、终止、恢复须说明原因"),
    )
    evidence = BoundedFileField(label=gettext_lazy("佐证材料"), required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["target"]).choices = [
            (v, label) for v, label in StageChoices.choices if v != current
        ]


class AttachmentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("附件名称"), max_length=100)
    file = BoundedFileField(label=gettext_lazy("文件"))


class BaseTypeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("类型代码"), max_length=20)
    name = forms.CharField(label=gettext_lazy("类型名称"), max_length=50)
    purpose = forms.CharField(
        label=gettext_lazy("建设目的"), widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_content = forms.CharField(
        label=gettext_lazy("建设内容要求"), widget=forms.Textarea(attrs={"rows": 4})
    )
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), initial=0, required=False)
    version = VersionField()


class BaseForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("基地编号"), max_length=20)
    name = forms.CharField(label=gettext_lazy("基地名称"), max_length=100)
    county = forms.ModelChoiceField(
        label=gettext_lazy("所属县（市、区）"), queryset=Unit.objects.none()
    )
    lead_department = forms.ModelChoiceField(
        label=gettext_lazy("牵头部门"), queryset=Unit.objects.none()
    )
    leader = forms.ModelChoiceField(
        label=gettext_lazy("责任领导"), queryset=Person.objects.none(), required=False
    )
    base_type = forms.ModelChoiceField(
        label=gettext_lazy("基地类型"),
        queryset=BaseType.objects.all(),
        help_text=gettext_lazy("省定基地类型（由省级维护）"),
    )
    description = forms.CharField(
        label=gettext_lazy("基地简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), initial=0, required=False)
    version = VersionField()

    LEAD_KINDS = (UnitKind.DEPARTMENT, UnitKind.ZONE, UnitKind.TOWN, UnitKind.STREET)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        """``units``, ``people``: those of the user's scope; a base belongs to a county and
        is led by a department, a zone, a town or a street."""
        super().__init__(*args, **kwargs)
        unit_choices(self, "county", units.filter(kind=UnitKind.COUNTY))
        unit_choices(self, "lead_department", units.filter(kind__in=self.LEAD_KINDS))
        person_choices(self, "leader", people)


class TaskForceMemberForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("成员"), queryset=Person.objects.none())
    duty = forms.CharField(label=gettext_lazy("专班职务"), max_length=50, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_choices(self, "person", people)


# One participant per line: name, unit, post — separated by a tab (a row pasted from Excel) or
# a comma; the post may hold commas of its own (市委常委、常务副市长).
PARTICIPANT_SEPARATOR = re.compile(r"\s*[\t,，|｜]\s*")
PARTICIPANTS_MAX_CHARS = 20_000


def participants_text(participants: Sequence[ActivityParticipant], resolver: UnitResolver) -> str:
    """The participants as the form shows them (what :meth:`ActivityForm.clean_participants`
    reads back)."""
    lines = []
    for p in participants:
        unit = (resolver.label(p.unit.pk) or p.unit.name) if p.unit is not None else p.organization
        lines.append("，".join(part for part in (p.name, unit, p.title) if part))
    return "\n".join(lines)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    title = forms.CharField(label="活动名称", max_length=200)
    status = forms.ChoiceField(
        label="状态",
        choices=ActivityStatus.choices,
        initial=ActivityStatus.HELD,
        required=False,
        help_text="提前登记的计划选“计划中”，举办后改为“已举办”（不填为已举办）",
    )
    date = forms.DateField(
        label="日期", widget=DATE_INPUT, help_text="计划中填计划日期，已举办填举办日期"
    )
    organizer_unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    leader = forms.ModelChoiceField(
        label="带队领导", queryset=Person.objects.none(), required=False
    )
    location = forms.CharField(label="地点", max_length=100, required=False)
    universities = forms.CharField(
        label="对接高校",
        required=False,
        help_text="多个用顿号“、”分隔",
        widget=forms.TextInput(attrs=SUGGEST),
    )
    cooperations = KeysChoiceField(
        label="促成的合作", queryset=Cooperation.objects.none(), required=False
    )
    summary = forms.CharField(
        label="内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants = forms.CharField(
        label="参加人员",
        required=False,
        max_length=PARTICIPANTS_MAX_CHARS,
        help_text="每行一人：姓名，单位，职务（用逗号或 Tab 分隔，可从 Excel 粘贴）；"
        "本地单位写全称，外地单位照写",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    minutes = forms.CharField(
        label="纪要", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        people: QuerySet[Person],
        cooperations: QuerySet[Cooperation],
        university_index: Callable[[], NameIndex],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "organizer_unit", units)
        person_choices(self, "leader", people)
        cooperation_choices(self, "cooperations", cooperations)
        self.units = units
        self.university_index = university_index

    def clean_status(self) -> str:
        return str(self.cleaned_data["status"] or ActivityStatus.HELD)

    def clean_universities(self) -> list[University]:
        ids: list[int] = []
        names = split_names(self.cleaned_data["universities"])
        # Built only when there is a name to resolve (3,000 universities: two queries, ~20 ms).
        index = self.university_index() if names else NameIndex()
        for name in names:
            found = index.resolve(name)
            if found.key is None:
                raise forms.ValidationError(f"无法确定高校“{name}”，请写全称")
            ids.append(int(found.key))
        return list(University.objects.filter(pk__in=ids))

    def clean_participants(self) -> list[ParticipantData]:
        """One participant per line; a unit named as a unit of the user's scope (unambiguous)
        is that unit, any other name an outside one (the services check each row)."""
        rows = [
            PARTICIPANT_SEPARATOR.split(line.strip(), maxsplit=2)
            for line in self.cleaned_data["participants"].splitlines()
            if line.strip()
        ]
        if len(rows) > PARTICIPANTS_MAX:
            raise forms.ValidationError(f"参加人员不能超过 {PARTICIPANTS_MAX} 人")
        named = [row[1] for row in rows if len(row) > 1 and row[1]]
        resolver = UnitResolver.among(self.units, named)
        parsed = [(*row, "", "")[:3] for row in rows]
        keys = {text: resolver.resolve(text)[0] for _, text, _ in parsed if text}
        units = Unit.objects.in_bulk([pk for pk in keys.values() if pk is not None])
        out = []
        for name, unit_text, title in parsed:
            unit = units.get(keys.get(unit_text) or 0)
            out.append(
                ParticipantData(
                    name=name,
                    unit=unit,
                    organization="" if unit is not None else unit_text,
                    title=title,
                )
            )
        return out


class SecondmentForm(forms.Form):
    person = forms.ModelChoiceField(label="挂职人员", queryset=Person.objects.none())
    university = forms.CharField(label="派出高校", widget=forms.TextInput(attrs=SUGGEST))
    host_unit = forms.ModelChoiceField(label="挂职单位", queryset=Unit.objects.none())
    post = forms.CharField(label="挂职岗位", max_length=100)
    start_date = forms.DateField(label="开始日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="结束日期", required=False, widget=DATE_INPUT)
    cooperation = forms.ModelChoiceField(
        label="相关合作", queryset=Cooperation.objects.none(), required=False
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        units: QuerySet[Unit],
        cooperations: QuerySet[Cooperation],
        university_index: Callable[[], NameIndex],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "host_unit", units)
        person_choices(self, "person", people)
        cooperation_choices(self, "cooperation", cooperations)
        self.university_index = university_index

    def clean_university(self) -> University:
        name = self.cleaned_data["university"]
        found = self.university_index().resolve(name)
        if found.key is None:
            raise forms.ValidationError(f"无法确定高校“{name}”，请写全称、简称或学校标识码")
        return University.objects.get(pk=int(found.key))
