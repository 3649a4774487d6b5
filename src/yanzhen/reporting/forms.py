"""Forms of the reporting tasks: the office's design of a task (its fields written one per
line), a unit's filling in (one field per form field, a table as rows of cells), the review,
and the upload of a filled-in Excel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import KeysChoiceField
from yanzhen.core.models import Unit
from yanzhen.core.uploads import BoundedFileField
from yanzhen.reporting.fields import FIELD_TYPES, MAX_ROWS, FieldSpec
from yanzhen.reporting.models import Recurrence
from yanzhen.reporting.services import TARGET_KINDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TYPE_NAMES = {**{v: k for k, v in FIELD_TYPES.items()}, **{k: k for k in FIELD_TYPES}}
YES = ("是", "必填", "y", "yes", "1", "true")

FIELDS_HELP = (
    "每行一个字段，各项以“|”分隔：代码 | 名称 | 类型 | 必填（是/否） | 最小值 | 最大值 | "
    "计量单位 | 选项（以“、”分隔） | 填写说明 | 预填来源。类型：整数、小数、文本、日期、单选、"
    "多选、文件、表格；表格的各列写在“选项”处，以“、”分隔，每列为“代码:名称:类型[:是]”，"
    "单选列的选项以“/”分隔写在“=”之后（如 stage:阶段:单选=意向/签约/落地）。预填来源："
    "cooperation.intentions、cooperation.agreements、cooperation.landed（本单位本期合作数）。"
)
FIELDS_EXAMPLE = (
    "intentions | 本季度新增合作意向 | 整数 | 是 | 0 | 1000 | 项 |  | 按意向日期统计 | "
    "cooperation.intentions\n"
    "investment | 落地项目投资额 | 小数 | 是 | 0 | 1000000 | 万元 |  |  | \n"
    "highlights | 工作亮点 | 文本 | 否 |  |  |  |  |  | "
)


def _column(text: str) -> dict[str, Any]:
    head, _sep, options = text.partition("=")
    parts = [p.strip() for p in head.split(":")]
    parts += [""] * (4 - len(parts))
    return {
        "key": parts[0],
        "label": parts[1],
        "type": TYPE_NAMES.get(parts[2], parts[2]),
        "required": parts[3].lower() in YES,
        "choices": [o.strip() for o in options.split("/") if o.strip()],
    }


def fields_from_lines(text: str) -> list[dict[str, Any]]:
    """The fields of a task as the design form writes them (one per line)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (10 - len(parts))
        kind = TYPE_NAMES.get(parts[2], parts[2])
        listed = [p.strip() for p in parts[7].split("、") if p.strip()]
        out.append(
            {
                "key": parts[0],
                "label": parts[1],
                "type": kind,
                "required": parts[3].lower() in YES,
                "min": parts[4] or None,
                "max": parts[5] or None,
                "unit": parts[6],
                "choices": [] if kind == "table" else listed,
                "columns": [_column(c) for c in listed] if kind == "table" else [],
                "help": parts[8],
                "prefill": parts[9],
            }
        )
    return out


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=100)
    description = forms.CharField(
        label="填报说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label="截止日期", widget=DATE_INPUT)
    recurrence = forms.ChoiceField(
        label="重复",
        choices=Recurrence.choices,
        help_text="每月或每季度重复的任务，每期开始时由系统自动下发",
    )
    target_kinds = forms.MultipleChoiceField(
        label="按类型选择填报单位",
        choices=list(TARGET_KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本县（市、区）内该类型的全部单位；村（社区）由所在镇（街道）审核",
    )
    target_units = KeysChoiceField(
        label="指定填报单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="按住 Ctrl 可多选",
    )
    form_fields = forms.CharField(
        label="表单字段",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=FIELDS_HELP,
        initial=FIELDS_EXAMPLE,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = units

    def clean_form_fields(self) -> list[dict[str, Any]]:
        return fields_from_lines(self.cleaned_data["form_fields"])


class TaskEditForm(forms.Form):
    """What may change after a task is designed (its form and targets stay as issued)."""

    title = forms.CharField(label="任务名称", max_length=100)
    description = forms.CharField(
        label="填报说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label="截止日期", widget=DATE_INPUT)


def _value_field(spec: FieldSpec) -> forms.Field:
    help_text = "；".join(
        t for t in (spec.help, spec.bounds_text() and f"取值 {spec.bounds_text()}") if t
    )
    label = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
    common: dict[str, Any] = {"label": label, "required": False, "help_text": help_text}
    if spec.type in ("integer", "decimal"):
        step = "1" if spec.type == "integer" else "0.01"
        return forms.CharField(
            max_length=30, widget=forms.NumberInput(attrs={"step": step}), **common
        )
    if spec.type == "date":
        return forms.CharField(
            max_length=10, widget=forms.DateInput(attrs={"type": "date"}), **common
        )
    if spec.type == "choice":
        choices = [("", "—"), *((c, c) for c in spec.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if spec.type == "multichoice":
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.type == "file":
        return BoundedFileField(**common)
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **common)


def _cell_field(column: FieldSpec) -> forms.Field:
    if column.type == "choice":
        choices = [("", "—"), *((c, c) for c in column.choices)]
        return forms.ChoiceField(label=column.label, choices=choices, required=False)
    return forms.CharField(label=column.label, max_length=2000, required=False)


class SubmissionForm(forms.Form):
    """One form field per field of the task (``v_<key>``); a table as rows of cells
    (``t_<key>_<row>_<column>``), the rows it has and a few blank ones."""

    BLANK_ROWS = 3

    def __init__(
        self, *args: Any, specs: Sequence[FieldSpec], values: dict[str, Any], **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {}
        self.specs = list(specs)
        self.table_rows: dict[str, int] = {}
        super().__init__(*args, **kwargs)
        for spec in self.specs:
            value = values.get(spec.key)
            if spec.type == "table":
                rows = value or []
                count = min(len(rows) + self.BLANK_ROWS, MAX_ROWS)
                self.table_rows[spec.key] = count
                for r in range(count):
                    for column in spec.columns:
                        name = f"t_{spec.key}_{r}_{column.key}"
                        self.fields[name] = _cell_field(column)
                        if r < len(rows) and rows[r].get(column.key) is not None:
                            initial[name] = rows[r][column.key]
                continue
            self.fields[f"v_{spec.key}"] = _value_field(spec)
            if spec.type != "file" and value is not None:
                initial[f"v_{spec.key}"] = value
        self.initial = {**initial, **self.initial}

    def blocks(self) -> list[tuple[FieldSpec, Any]]:
        """Each field with its bound field, or for a table its header and rows of cells."""
        out: list[tuple[FieldSpec, Any]] = []
        for spec in self.specs:
            if spec.type == "table":
                rows = [
                    [self[f"t_{spec.key}_{r}_{c.key}"] for c in spec.columns]
                    for r in range(self.table_rows[spec.key])
                ]
                out.append((spec, rows))
            else:
                out.append((spec, self[f"v_{spec.key}"]))
        return out

    def values(self) -> dict[str, Any]:
        """The values to save (file fields are attached apart: :meth:`files_given`)."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for spec in self.specs:
            if spec.type == "file":
                continue
            if spec.type == "table":
                rows = []
                for r in range(self.table_rows[spec.key]):
                    row = {
                        c.key: data.get(f"t_{spec.key}_{r}_{c.key}") or None for c in spec.columns
                    }
                    if any(v is not None for v in row.values()):
                        rows.append(row)
                out[spec.key] = rows
            else:
                out[spec.key] = data.get(f"v_{spec.key}")
        return out

    def files_given(self) -> dict[str, Any]:
        return {
            s.key: self.cleaned_data[f"v_{s.key}"]
            for s in self.specs
            if s.type == "file" and self.cleaned_data.get(f"v_{s.key}")
        }

    def show_error(self, error: DomainError) -> None:
        """A service's error beside the field it names (``values.<key>``), else above."""
        for name, message in error.fields.items():
            field = f"v_{name.removeprefix('values.')}"
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        if not error.fields:
            self.add_error(None, error.message)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填",
    )

    def __init__(self, *args: Any, specs: Sequence[FieldSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        for spec in self.specs:
            self.fields[f"c_{spec.key}"] = forms.CharField(
                label=f"对“{spec.label}”的意见", required=False, max_length=200
            )

    def field_comments(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data[f"c_{s.key}"]
            for s in self.specs
            if self.cleaned_data.get(f"c_{s.key}")
        }


class UploadForm(forms.Form):
    file = BoundedFileField(
        label="填好的Excel文件", help_text="请上传从本页下载并填好的 .xlsx 文件"
    )


class ConfirmForm(forms.Form):
    """A POST that needs nothing but the button (issue, 催报)."""
