"""The form of a reporting task: its fields (:class:`FieldSpec`, kept as JSON on the task) and
the checks of the values a unit gives them.

Every error names the field's Chinese label: ``DomainError("invalid", …, {"values.<key>":
"“新增合作意向”应在 0 到 1000 之间"}, status=422)``; a form spec's errors name
``fields.<n>.<attribute>``. Values are kept JSON-safe: integers as numbers, decimals as
strings with two places (exact sums), dates as ``YYYY-MM-DD``, a multiple choice as a list, a
file as ``{"id", "name"}``, a table as a list of rows (objects by column key).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from yanzhen.core.errors import DomainError

FIELD_TYPES: dict[str, str] = {
    "integer": "整数",
    "decimal": "小数",
    "text": "文本",
    "date": "日期",
    "choice": "单选",
    "multichoice": "多选",
    "file": "文件",
    "table": "表格",
}
COLUMN_TYPES = ("integer", "decimal", "text", "date", "choice")
NUMBER_TYPES = ("integer", "decimal")
# Values filled in from the records, for the unit and the task's period.
PREFILLS: dict[str, str] = {
    "cooperation.intentions": "本期新增合作意向数（按意向日期）",
    "cooperation.agreements": "本期新签合作协议数（按签约日期）",
    "cooperation.landed": "本期新落地项目数（按落地日期）",
}
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_FIELDS = 100
MAX_COLUMNS = 20
MAX_CHOICES = 50
MAX_ROWS = 500
MAX_TEXT = 2000
# Bounds beyond any figure a unit reports (and within what every database stores).
LIMIT = Decimal("1000000000000")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    required: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    unit: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    prefill: str = ""
    columns: tuple[FieldSpec, ...] = ()

    @property
    def type_label(self) -> str:
        return FIELD_TYPES[self.type]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "min": None if self.min is None else str(self.min),
            "max": None if self.max is None else str(self.max),
            "unit": self.unit,
            "help": self.help,
            "choices": list(self.choices),
            "prefill": self.prefill,
        }
        if self.type == "table":
            data["columns"] = [c.as_json() for c in self.columns]
        return data

    def bounds_text(self) -> str:
        """The bounds in words: "0 到 1000", "不小于 0", or ""."""
        if self.min is not None and self.max is not None:
            return f"{_plain(self.min)} 到 {_plain(self.max)}"
        if self.min is not None:
            return f"不小于 {_plain(self.min)}"
        if self.max is not None:
            return f"不大于 {_plain(self.max)}"
        return ""


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}" if number != number.to_integral_value() else f"{number:.0f}"


def specs_from_json(data: Sequence[Mapping[str, Any]]) -> list[FieldSpec]:
    """The specs kept on a task (written by :meth:`FieldSpec.as_json`, so trusted)."""
    return [_from_json(item) for item in data]


def _from_json(item: Mapping[str, Any]) -> FieldSpec:
    return FieldSpec(
        key=item["key"],
        label=item["label"],
        type=item["type"],
        required=bool(item.get("required")),
        min=None if item.get("min") is None else Decimal(str(item["min"])),
        max=None if item.get("max") is None else Decimal(str(item["max"])),
        unit=item.get("unit", ""),
        help=item.get("help", ""),
        choices=tuple(item.get("choices", ())),
        prefill=item.get("prefill", ""),
        columns=tuple(_from_json(c) for c in item.get("columns", ())),
    )


# The spec of a form, as the office writes it -----------------------------------------------


def _spec_error(errors: dict[str, str]) -> DomainError:
    first = next(iter(errors.values()))
    return DomainError("invalid", f"表单字段不正确：{first}", errors, status=422)


def _bound(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    number = Decimal(str(value))
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValueError
    # As written: 100 (not 100.0), 0.5 (not 0.50).
    return (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    )


def parse_specs(raw: Sequence[Mapping[str, Any]], *, where: str = "fields") -> list[FieldSpec]:
    """Check the fields the office designed (each error names its field and attribute)."""
    errors: dict[str, str] = {}
    specs: list[FieldSpec] = []
    if not raw and where == "fields":
        raise _spec_error({"fields": "至少设计一个字段"})
    limit = MAX_FIELDS if where == "fields" else MAX_COLUMNS
    if len(raw) > limit:
        raise _spec_error({where: f"字段不能超过 {limit} 个"})
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        at = f"{where}.{index}"
        name = f"第{index}个字段" if where == "fields" else f"第{index}列"
        key = str(item.get("key") or "")
        label = str(item.get("label") or "").strip()
        kind = str(item.get("type") or "")
        if not KEY.fullmatch(key):
            errors[f"{at}.key"] = f"{name}的代码应为小写字母开头的字母、数字或下划线（至多40个）"
        elif key in seen:
            errors[f"{at}.key"] = f"{name}的代码“{key}”重复"
        seen.add(key)
        if not label or len(label) > 50:
            errors[f"{at}.label"] = f"{name}的名称必填，至多50个字"
        else:
            name = f"“{label}”"
        allowed = FIELD_TYPES if where == "fields" else COLUMN_TYPES
        if kind not in allowed:
            names = "、".join(f"{k}（{FIELD_TYPES[k]}）" for k in allowed)
            errors[f"{at}.type"] = f"{name}的类型应为 {names} 之一"
            continue
        try:
            low, high = _bound(item.get("min")), _bound(item.get("max"))
        except (ValueError, InvalidOperation, TypeError):
            errors[f"{at}.min"] = f"{name}的取值范围应为数字"
            continue
        if (low is not None or high is not None) and kind not in NUMBER_TYPES:
            errors[f"{at}.min"] = f"{name}不是数字字段，不能设取值范围"
        elif low is not None and high is not None and low > high:
            errors[f"{at}.max"] = f"{name}的最大值不能小于最小值"
        elif kind == "integer" and any(
            b is not None and b != b.to_integral_value() for b in (low, high)
        ):
            errors[f"{at}.min"] = f"{name}是整数字段，取值范围应为整数"
        raw_choices = item.get("choices") or []
        choices = tuple(str(c).strip() for c in raw_choices if str(c).strip())
        if kind in ("choice", "multichoice"):
            if not choices:
                errors[f"{at}.choices"] = f"{name}是选择字段，请给出选项"
            elif len(choices) > MAX_CHOICES or any(len(c) > 50 for c in choices):
                errors[f"{at}.choices"] = f"{name}至多 {MAX_CHOICES} 个选项，每个至多50个字"
            elif len(set(choices)) != len(choices):
                errors[f"{at}.choices"] = f"{name}的选项有重复"
            elif any(c.startswith(("=", "+", "-", "@")) for c in choices):
                errors[f"{at}.choices"] = f"{name}的选项不能以 = + - @ 开头"
        elif choices:
            errors[f"{at}.choices"] = f"{name}不是选择字段，不能设选项"
        prefill = str(item.get("prefill") or "")
        if prefill and (prefill not in PREFILLS or kind != "integer"):
            known = "、".join(PREFILLS)
            errors[f"{at}.prefill"] = f"{name}的预填来源应为整数字段的 {known} 之一"
        unit = str(item.get("unit") or "").strip()
        help_text = str(item.get("help") or "").strip()
        if len(unit) > 10:
            errors[f"{at}.unit"] = f"{name}的计量单位至多10个字"
        if len(help_text) > 200:
            errors[f"{at}.help"] = f"{name}的填写说明至多200个字"
        columns: tuple[FieldSpec, ...] = ()
        raw_columns = item.get("columns") or []
        if kind == "table":
            if not raw_columns:
                errors[f"{at}.columns"] = f"{name}是表格字段，请给出各列"
            else:
                try:
                    columns = tuple(parse_specs(raw_columns, where=f"{at}.columns"))
                except DomainError as error:
                    errors.update(error.fields)
        elif raw_columns:
            errors[f"{at}.columns"] = f"{name}不是表格字段，不能设列"
        specs.append(
            FieldSpec(
                key=key,
                label=label,
                type=kind,
                required=bool(item.get("required")),
                min=low,
                max=high,
                unit=unit,
                help=help_text,
                choices=choices,
                prefill=prefill,
                columns=columns,
            )
        )
    if errors:
        raise _spec_error(errors)
    return specs


# Values -------------------------------------------------------------------------------------


class ValueProblemError(ValueError):
    """Why one value is refused (in Chinese, without the field's label)."""


def _number(spec: FieldSpec, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueProblemError("应为数字")
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueProblemError(f"“{text[:20]}”不是数字") from None
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValueProblemError("数值超出范围")
    if spec.type == "integer" and number != number.to_integral_value():
        raise ValueProblemError("应为整数")
    if spec.type == "decimal" and number != number.quantize(CENT):
        raise ValueProblemError("至多两位小数")
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        low, high = spec.min, spec.max
        if low is not None and high is not None:
            raise ValueProblemError(f"应在 {_plain(low)} 到 {_plain(high)} 之间")
        if low is not None:
            raise ValueProblemError(f"不能小于 {_plain(low)}")
        assert high is not None
        raise ValueProblemError(f"不能大于 {_plain(high)}")
    return number


def clean_value(spec: FieldSpec, value: object) -> Any:
    """The value kept for ``spec`` (None for nothing given), or :class:`ValueProblemError`."""
    if value is None or value == "" or value == []:
        return None
    if spec.type == "integer":
        return int(_number(spec, value))
    if spec.type == "decimal":
        return str(_number(spec, value).quantize(CENT))
    if spec.type == "text":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValueProblemError("应为文字")
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueProblemError(f"至多 {MAX_TEXT} 个字")
        return text or None
    if spec.type == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            raise ValueProblemError("应为日期（YYYY-MM-DD）") from None
    if spec.type == "choice":
        if str(value) not in spec.choices:
            raise ValueProblemError(f"应为 {'、'.join(spec.choices)} 之一")
        return str(value)
    if spec.type == "multichoice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueProblemError("应为选项的列表")
        wrong = [v for v in value if v not in spec.choices]
        if wrong:
            raise ValueProblemError(f"“{wrong[0][:20]}”不在选项中（{'、'.join(spec.choices)}）")
        return [c for c in spec.choices if c in value]  # in the form's order, once each
    if spec.type == "table":
        return _table(spec, value)
    raise ValueProblemError("文件请在填报页面上传")


def _table(spec: FieldSpec, value: object) -> list[dict[str, Any]] | None:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise ValueProblemError("应为表格行的列表")
    if len(value) > MAX_ROWS:
        raise ValueProblemError(f"至多 {MAX_ROWS} 行")
    columns = {c.key: c for c in spec.columns}
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(value, start=1):
        unknown = [k for k in row if k not in columns]
        if unknown:
            raise ValueProblemError(f"第{number}行：“{str(unknown[0])[:40]}”不是本表格的列")
        cleaned: dict[str, Any] = {}
        for column in spec.columns:
            try:
                cleaned[column.key] = clean_value(column, row.get(column.key))
            except ValueProblemError as problem:
                raise ValueProblemError(f"第{number}行“{column.label}”{problem}") from None
            if cleaned[column.key] is None and column.required:
                raise ValueProblemError(f"第{number}行“{column.label}”必填")
        if any(v is not None for v in cleaned.values()):
            rows.append(cleaned)
    return rows or None


def invalid(errors: dict[str, str]) -> DomainError:
    """The 422 of values that break the form's rules, naming each field's label."""
    return DomainError("invalid", next(iter(errors.values())), errors, status=422)


def clean_values(
    specs: Sequence[FieldSpec], values: Mapping[str, object], *, current: Mapping[str, Any]
) -> dict[str, Any]:
    """The values to keep: those given, checked against their fields, the others as they
    were. A file field keeps its file (uploaded on the page): the value given for it must be
    nothing or the file it already has."""
    by_key = {s.key: s for s in specs}
    errors: dict[str, str] = {}
    out = {k: v for k, v in current.items() if k in by_key}
    for key, value in values.items():
        spec = by_key.get(str(key))
        if spec is None:
            errors[f"values.{str(key)[:40]}"] = f"“{str(key)[:40]}”不是本表单的字段"
            continue
        if spec.type == "file":
            if value not in (None, current.get(key)):
                errors[f"values.{key}"] = f"“{spec.label}”：文件请在填报页面上传"
            continue
        try:
            out[key] = clean_value(spec, value)
        except ValueProblemError as problem:
            errors[f"values.{key}"] = f"“{spec.label}”{problem}"
    if errors:
        raise invalid(errors)
    return {k: v for k, v in out.items() if v is not None}


def check_complete(specs: Sequence[FieldSpec], values: Mapping[str, Any]) -> None:
    """Every required field has a value (before a submission)."""
    errors = {
        f"values.{s.key}": f"“{s.label}”必填"
        for s in specs
        if s.required and values.get(s.key) in (None, "", [])
    }
    if errors:
        raise invalid(errors)


def shown(spec: FieldSpec, value: Any) -> str:
    """A value as the pages show it."""
    if value is None or value == "" or value == []:
        return "—"
    if spec.type == "multichoice":
        return "、".join(value)
    if spec.type == "file":
        return str(value.get("name", ""))
    if spec.type == "table":
        return f"{len(value)}行"
    unit = f" {spec.unit}" if spec.unit and spec.type in NUMBER_TYPES else ""
    return f"{value}{unit}"
