"""Placement data in Excel: the templates of a programme's sheets — applicants with their
ranked choices, and hosts' rankings or scores. They are imported through the one import flow
(``core.importing``, registers ``interns`` and ``host-rankings`` in
``placement.importers``), the programme taken from the programme's page.
"""

from __future__ import annotations

from yanzhen.core.excel import Column, write_xlsx
from yanzhen.core.models import Degree
from yanzhen.placement.models import Programme

DEGREE_BY_LABEL = {label: value for value, label in Degree.choices}


def applicant_columns() -> tuple[Column, ...]:
    return (
        Column("code", "编号", required=True, width=12),
        Column("name", "姓名", required=True, width=10),
        Column("gender", "性别", kind="choice", choices=("男", "女"), width=6),
        Column("id_number", "身份证号", width=20),
        Column("mobile", "手机号", width=14),
        Column("university", "所在高校", width=24),
        Column("degree", "学位", kind="choice", choices=tuple(DEGREE_BY_LABEL), width=8),
        Column("discipline", "学科代码", width=10, help="2022年学科目录一级学科代码，如 0808"),
        Column("preferences", "志愿单位", kind="list", width=60),
    )


def ranking_columns() -> tuple[Column, ...]:
    return (
        Column("host", "接收单位", required=True, width=28),
        Column("code", "申请人编号", required=True, width=12),
        Column("rank", "排名", kind="int", width=8),
        Column("score", "评分", kind="decimal", width=8),
        Column("basis", "依据", width=30),
    )


NOTES = {
    "applicants": (
        "1. 带 * 的列必填；编号在本项目内唯一，重复导入按编号更新。",
        "2. 志愿单位按志愿顺序填写接收单位名称，第一志愿在前，用顿号“、”分隔。",
        "3. 已登记的人员按身份证号识别；所在高校可写全称、简称或学校标识码。",
        "4. 整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
    ),
    "rankings": (
        "1. 每行为一个接收单位对一名申请人的排名（1为最优）或评分（高者优先），两者至少填一项。",
        "2. 未列出的申请人视为该单位不接收；同一单位的排名不能重复。",
        "3. 整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列。",
    ),
}


def template_bytes(programme: Programme, kind: str) -> bytes:
    if kind == "rankings":
        hosts = [h.unit.name for h in programme.hosts.select_related("unit")]
        columns = tuple(
            Column(c.key, c.header, kind="choice", required=True, choices=tuple(hosts), width=28)
            if c.key == "host"
            else c
            for c in ranking_columns()
        )
        return write_xlsx("接收单位排序", columns, [], notes=NOTES["rankings"], mark_required=True)
    return write_xlsx(
        "申请人及志愿", applicant_columns(), [], notes=NOTES["applicants"], mark_required=True
    )
