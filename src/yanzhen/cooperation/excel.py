"""The ledger in Excel: export of the filtered list, the import template, and the import.

The export and the template have the same columns, so that an exported file can be edited
and imported back; the import itself is the one flow of ``core.importing`` with the register
of ``cooperation.importers`` (which also reads the office's own ledgers: title rows, merged
headers, synonyms, the office's date forms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from yanzhen.cooperation.importers import CooperationRegister
from yanzhen.cooperation.models import (
    Channel,
    Cooperation,
    CooperationKind,
    CooperationParty,
    CooperationUniversity,
)
from yanzhen.core import importing
from yanzhen.core.excel import (
    Column,
    write_xlsx,
)
from yanzhen.core.importing import ImportResult
from yanzhen.core.models import User
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import unit_qs
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.models import LocalIndustry


def columns() -> tuple[Column, ...]:
    return (
        Column("code", "合作编号", width=14, help="新增时留空，系统自动编号"),
        Column("title", "合作名称", required=True, width=36),
        Column("owner_unit", "登记单位", required=True, width=22),
        Column("parties", "本地合作方", kind="list", required=True, width=30),
        Column("universities", "合作高校", kind="list", required=True, width=30),
        Column("channel", "对接渠道", kind="choice", required=True, choices=tuple(Channel.labels)),
        Column(
            "kind", "合作类型", kind="choice", required=True, choices=tuple(CooperationKind.labels)
        ),
        Column("base", "所属基地", width=24),
        Column(
            "local_industry",
            "本地产业",
            kind="choice",
            choices=tuple(LocalIndustry.objects.values_list("name", flat=True)),
        ),
        Column("industry", "国民经济行业代码", width=12),
        Column("stage", "阶段", kind="choice", choices=tuple(STAGE_LABELS.values()), width=8),
        Column("intention_date", "意向日期", kind="date", required=True, width=12),
        Column("agreement_date", "签约日期", kind="date", width=12),
        Column("landed_date", "落地日期", kind="date", width=12),
        Column("dropped_date", "终止日期", kind="date", width=12),
        Column("drop_reason", "终止原因", width=20),
        Column("planned_investment", "计划投资（万元）", kind="decimal", width=14),
        Column("landed_investment", "落地投资（万元）", kind="decimal", width=14),
        Column("participants", "参与学生（人）", kind="int", width=12),
        Column("online", "云对接/云签约", kind="bool", width=12),
        Column("description", "合作内容", width=40),
    )


NOTES = (
    "1. 带 * 的列必填；阶段、对接渠道、合作类型、本地产业请从下拉列表选择（对接渠道也可写邀、找、引、聚）；不填阶段时按日期确定。",
    "2. 本地合作方、合作高校可填多个，用顿号“、”分隔；高校可写全称、常用简称或学校标识码。",
    "3. 单位重名时写成“上级单位/名称”，如“开张镇/东开张村”。",
    "4. 日期可写成 2021-03-15、2021.3.15、2021/03/15 或 2021年3月15日；阶段为“签约”须填签约日期，“落地”须填签约和落地日期，“终止”须填终止日期和原因。",
    "5. 合作编号留空表示新增；同一文件重复导入不会重复新增（按合作编号，或合作名称+登记单位+意向日期识别），导入的批次30天内可整批撤销。",
    "6. 导入时整表校验，任何一行有错误则整表不导入，并列出每个错误所在的行和列（也可选择只导入无误的行）。",
)


def template_bytes() -> bytes:
    return write_xlsx("合作台账", columns(), [], notes=NOTES, mark_required=True)


def export_row(user: User) -> Callable[[Cooperation], Sequence[Any]]:
    """The row of a cooperation in an export, in the template's columns (parties and
    universities by name, units as the user's scope tells them apart). The scope's units are
    read at the first row: the ledger's export makes its rows by :func:`export_values` and
    never calls this one."""
    scope_units = cache(lambda: UnitResolver.of(unit_qs(user)))

    def row(cooperation: Cooperation) -> Sequence[Any]:
        resolver = scope_units()
        return (
            cooperation.code,
            cooperation.title,
            resolver.label(cooperation.owner_unit_id) or cooperation.owner_unit.name,
            [resolver.label(u.pk) or u.name for u in cooperation.parties.all()],
            [u.name for u in cooperation.universities.all()],
            cooperation.get_channel_display(),
            cooperation.get_kind_display(),
            cooperation.base.name if cooperation.base else "",
            cooperation.local_industry.name if cooperation.local_industry else "",
            cooperation.industry.code if cooperation.industry else "",
            STAGE_LABELS[Stage(cooperation.stage)],
            cooperation.intention_date,
            cooperation.agreement_date,
            cooperation.landed_date,
            cooperation.dropped_date,
            cooperation.drop_reason,
            cooperation.planned_investment,
            cooperation.landed_investment,
            cooperation.participants,
            cooperation.online,
            cooperation.description,
        )

    return row


# The fields :func:`export_values` reads, in the order of :func:`columns` (with the id and the
# owner's id first); each row is what :func:`export_row` makes of the model instance.
VALUE_FIELDS = (
    "pk",
    "owner_unit_id",
    "code",
    "title",
    "owner_unit__name",
    "channel",
    "kind",
    "base__name",
    "local_industry__name",
    "industry__code",
    "stage",
    "intention_date",
    "agreement_date",
    "landed_date",
    "dropped_date",
    "drop_reason",
    "planned_investment",
    "landed_investment",
    "participants",
    "online",
    "description",
)
CHUNK = 2000


def export_values(user: User) -> Callable[[QuerySet[Cooperation]], Iterator[Sequence[Any]]]:
    """The rows of :func:`export_row` read as plain values: the cooperations' own columns in
    one query (streamed), their parties and universities in one query each per
    :data:`CHUNK` rows, in the order the model's ``parties.all()`` and
    ``universities.all()`` give them — no model instance built. The same rows, value for value
    (``tests/core/test_export_fast.py``); for a background export of thousands of rows, a
    fraction of the CPU (``bench/exports.py``)."""
    resolver = UnitResolver.of(unit_qs(user))

    def rows(cooperations: QuerySet[Cooperation]) -> Iterator[Sequence[Any]]:
        # The labels in the language of the export (a replay runs under the user's).
        channels = {k: str(v) for k, v in Cooperation._meta.get_field("channel").flatchoices}
        kinds = {k: str(v) for k, v in Cooperation._meta.get_field("kind").flatchoices}
        stages = {Stage(k).value: v for k, v in STAGE_LABELS.items()}
        read = cooperations.prefetch_related(None).values_list(*VALUE_FIELDS)
        stream = read.iterator(chunk_size=CHUNK)
        while chunk := list(islice(stream, CHUNK)):
            ids = [row[0] for row in chunk]
            parties: dict[int, list[str]] = defaultdict(list)
            units = CooperationParty.objects.filter(cooperation_id__in=ids)
            for coop_id, unit_id, name in units.order_by("unit__sort_order", "unit_id").values_list(
                "cooperation_id", "unit_id", "unit__name"
            ):
                parties[coop_id].append(resolver.label(unit_id) or name)
            universities: dict[int, list[str]] = defaultdict(list)
            links = CooperationUniversity.objects.filter(cooperation_id__in=ids)
            for coop_id, name in links.order_by("university__code", "university__name")\
                    .values_list("cooperation_id", "university__name"):  # fmt: skip
                universities[coop_id].append(name)
            for (pk, owner_id, code, title, owner_name, channel, kind, base, local_industry,
                 industry, stage, *rest) in chunk:  # fmt: skip
                yield (
                    code,
                    title,
                    resolver.label(owner_id) or owner_name,
                    parties.get(pk, []),
                    universities.get(pk, []),
                    channels.get(channel, channel),
                    kinds.get(kind, kind),
                    base or "",
                    local_industry or "",
                    industry or "",
                    stages[stage],
                    *rest,
                )

    return rows


def export_rows(cooperations: Iterable[Cooperation], *, user: User) -> Iterable[Sequence[Any]]:
    """The rows of an export (:func:`export_row`)."""
    return map(export_row(user), cooperations)


def import_file(
    *,
    user: User,
    data: bytes,
    filename: str,
    commit: bool,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Check (``commit=False``) or import a ledger file through the one import flow
    (``core.importing``; the register is ``cooperation.importers.CooperationRegister``)."""
    return importing.run(
        CooperationRegister(),
        user=user,
        data=data,
        filename=filename,
        sheet=sheet,
        mapping=mapping,
        commit=commit,
        skip_invalid=skip_invalid,
    )
