"""The Yongji demo's data reporting (数据填报): the office's quarterly task for the fourth
quarter of 2021, issued to the 10 towns and streets, with a submission in every state —
approved, submitted (waiting for the office), returned with comments, being filled in, not
started — and a 催报 to the units still missing, which leaves notifications in the towns'
and the office's inboxes. Every step goes through the services.

Idempotent: nothing is added when the task is there."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from yanzhen.core.models import Role, Unit, UnitKind, User
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.reporting import services
from yanzhen.reporting.models import Submission, Task

ZONE = ZoneInfo("Asia/Shanghai")
TITLE = "省校合作工作季度数据填报（2021年第4季度）"
OFFICE = "永济市省校合作办公室"

PERMISSIONS: dict[str, list[str]] = {
    "office": [
        "reporting.view_task",
        "reporting.add_task",
        "reporting.change_task",
        "reporting.issue_task",
        "reporting.view_submission",
        "reporting.change_submission",
        "reporting.review_submission",
    ],
    "leader": ["reporting.view_task", "reporting.view_submission"],
    "base_lead": [
        "reporting.view_task",
        "reporting.view_submission",
        "reporting.change_submission",
    ],
    "town": [
        "reporting.view_task",
        "reporting.view_submission",
        "reporting.change_submission",
        # A town checks its villages' submissions before they count.
        "reporting.review_submission",
    ],
}

CHANNELS = ["领导上门“邀”", "企业自主“找”", "在外人才“引”", "优势产业“聚”"]
FIELDS: list[dict[str, object]] = [
    {
        "key": "intentions",
        "label": "本季度新增合作意向",
        "type": "integer",
        "required": True,
        "min": 0,
        "max": 1000,
        "unit": "项",
        "prefill": "cooperation.intentions",
        "help": "按意向日期统计，已从合作台账预填，请核对",
    },
    {
        "key": "agreements",
        "label": "本季度新签合作协议",
        "type": "integer",
        "required": True,
        "min": 0,
        "max": 1000,
        "unit": "项",
        "prefill": "cooperation.agreements",
    },
    {
        "key": "landed",
        "label": "本季度新落地项目",
        "type": "integer",
        "required": True,
        "min": 0,
        "max": 1000,
        "unit": "项",
        "prefill": "cooperation.landed",
    },
    {
        "key": "investment",
        "label": "落地项目投资额",
        "type": "decimal",
        "required": True,
        "min": 0,
        "max": 1000000,
        "unit": "万元",
    },
    {"key": "channels", "label": "主要合作渠道", "type": "multichoice", "choices": CHANNELS},
    {"key": "visited_on", "label": "最近一次赴高校对接日期", "type": "date"},
    {"key": "highlights", "label": "工作亮点", "type": "text", "help": "200字以内"},
    {
        "key": "projects",
        "label": "重点合作项目",
        "type": "table",
        "columns": [
            {"key": "name", "label": "项目名称", "type": "text", "required": True},
            {"key": "university", "label": "合作高校", "type": "text", "required": True},
            {
                "key": "stage",
                "label": "阶段",
                "type": "choice",
                "choices": ["意向", "签约", "落地"],
            },
            {"key": "amount", "label": "投资额（万元）", "type": "decimal", "min": 0},
        ],
    },
    {"key": "evidence", "label": "佐证材料", "type": "file", "help": "协议、验收记录或照片"},
]

# Each town's fate, in the order of the unit tree: (state, investment, highlights, projects).
FATES: dict[str, tuple[str, str]] = {
    "城西街道": ("approved", "1200.50"),
    "城北街道": ("approved", "860.00"),
    "城东街道": ("submitted", "450.00"),
    "虞乡镇": ("submitted", "2300.00"),
    "卿头镇": ("returned", "0.00"),
    "开张镇": ("draft", "3150.00"),
    "栲栳镇": ("draft", ""),
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def _clerk(unit: Unit) -> User:
    """The town's (street's) clerk who hands its submission in: an account of the unit with
    the town role and no password (it cannot sign in; ``开张镇`` has the demo login ``town``)."""
    username = f"clerk{unit.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, unit=unit, full_name=f"{unit.name}填报员")
        user.set_unusable_password()
        user.save()
        user.roles.set(Role.objects.filter(code="town"))
    return user


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    if Task.objects.filter(title=TITLE).exists():
        return
    office = User.objects.filter(username="office").first()
    owner = Unit.objects.filter(name=OFFICE).first()
    if office is None or owner is None:
        return
    task = services.task_create(
        actor=None,
        owner_unit=owner,
        title=TITLE,
        description="请各镇（街道）如实填报本季度省校合作工作数据，附佐证材料。",
        deadline=dt.date(2022, 1, 10),
        period_start=dt.date(2021, 10, 1),
        period_end=dt.date(2021, 12, 31),
        recurrence="quarterly",
        fields=FIELDS,
        target_kinds=[UnitKind.TOWN, UnitKind.STREET],
    )
    services.task_issue(actor=None, task=task)
    Task.objects.filter(pk=task.pk).update(issued_at=at(dt.date(2021, 12, 25)))
    result.add("reporting tasks")
    submissions = {s.unit.name: s for s in task.submissions.select_related("unit", "task")}
    result.add("reporting submissions", len(submissions))
    for order, (name, (fate, investment)) in enumerate(FATES.items()):
        submission = submissions[name]
        values: dict[str, object] = {
            "channels": CHANNELS[order % 3 : order % 3 + 2],
            "highlights": f"{name}本季度与高校开展对接，推进合作项目落地。",
            "visited_on": dt.date(2021, 11, 3 + order).isoformat(),
            "projects": [
                {
                    "name": f"{name}校地合作示范项目",
                    "university": "太原理工大学" if order % 2 else "山西农业大学",
                    "stage": "落地" if order % 2 else "签约",
                    "amount": investment or None,
                }
            ],
        }
        if investment:
            values["investment"] = investment
        services.submission_save(actor=None, submission=submission, values=values)
        if fate == "approved":
            evidence = SimpleUploadedFile(
                f"{name}合作协议.pdf", b"%PDF-1.4\n% demo\n", content_type="application/pdf"
            )
            services.submission_attach(
                actor=None, submission=submission, key="evidence", upload=evidence
            )
        if fate == "draft":
            continue
        services.submission_submit(actor=_clerk(submission.unit), submission=submission)
        if fate == "approved":
            services.submission_review(submission=submission, reviewer=office, decision="approve")
        elif fate == "returned":
            services.submission_review(
                submission=submission,
                reviewer=office,
                decision="return",
                comment="新增合作意向与台账不一致，落地项目投资额为0，请核对后重新报送。",
                field_comments={
                    "intentions": "台账中本季度有新增意向，请核对",
                    "investment": "请填写落地项目投资额",
                },
            )
        # Handed in on time, in January 2022 (the services stamped today).
        submitted = at(dt.date(2022, 1, 5 + order % 4))
        reviewed = None if fate == "submitted" else at(dt.date(2022, 1, 9))
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=submitted, reviewed_at=reviewed, late=False
        )
    services.task_remind(actor=office, task=task, today=dt.date(2022, 1, 11))
