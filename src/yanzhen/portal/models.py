"""The portal's outside parties: registrations (open to anyone, decided by a county office)
and the accounts of universities, experts and enterprises that an approval creates.

An outside organisation is a unit outside every county tree (a university or an institute:
no parent); a registered enterprise is a unit below the county whose office approved it. The
accounts of universities and experts are confined to the portal (``portal.access``)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from yanzhen.core.crypto import EncryptedCharField
from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Unit, User, validate_mobile
from yanzhen.reference.models import University


class PartyKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校（科研院所）"
    EXPERT = "expert", "专家"


class RegistrationState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class Registration(models.Model):
    """A registration on the portal: who asks for an account, for which organisation, from
    which address (the hourly limit), and what became of it."""

    kind = models.CharField("注册类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    school_code = models.CharField("学校标识码", max_length=10, blank=True)
    university = optional_fk(
        University, "所在高校（科研院所）", on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField("联系人", max_length=50)
    mobile = EncryptedCharField("手机号", validators=[validate_mobile])
    email = models.EmailField("电子邮箱", max_length=100)
    county = models.ForeignKey(
        Unit, verbose_name="受理县", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=20, choices=RegistrationState.choices, default=RegistrationState.PENDING
    )
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", default=timezone.now, db_index=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    unit = optional_fk(Unit, "创建的单位", on_delete=models.PROTECT, related_name="+")
    user = optional_fk(User, "创建的账户", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "门户注册"
        verbose_name_plural = "门户注册"
        ordering = ["-id"]
        permissions = [("review_registration", "审核门户注册")]
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class OutsideAccount(models.Model):
    """An account of an outside party: its organisation, its kind, and whether it runs the
    organisation's account (the 科研院/合作处 contact, who adds staff sub-accounts)."""

    user = models.OneToOneField(
        User, verbose_name="账户", on_delete=models.CASCADE, related_name="outside_account"
    )
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices)
    organisation = models.ForeignKey(
        Unit, verbose_name="所属机构", on_delete=models.PROTECT, related_name="outside_accounts"
    )
    is_manager = models.BooleanField("机构管理员", default=False)
    registration = optional_fk(
        Registration, "注册申请", on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "门户账户"
        verbose_name_plural = "门户账户"
        ordering = ["id"]
        permissions = [("access_portal", "使用对接门户")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


# The halls ------------------------------------------------------------------------------------


class HallState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    HIDDEN = "hidden", "已隐藏"


class IpExpectation(models.TextChoices):
    ENTERPRISE = "enterprise", "归企业所有"
    SHARED = "shared", "双方共有"
    PROVIDER = "provider", "归研发方所有，企业获许可"
    NEGOTIABLE = "negotiable", "面议"


class HallPublication(models.Model):
    """What a technology need and a result share: the discipline, the state of publication
    (draft → published → hidden by the county office), when it was published, who drafted it
    and when. Abstract: each keeps its own table."""

    discipline = models.ForeignKey(
        "reference.Discipline",
        verbose_name="学科",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        "状态", max_length=20, choices=HallState.choices, default=HallState.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    # The field naming the organisation that publishes it (an enterprise, a university).
    OWNER_FIELD: ClassVar[str]

    class Meta:
        abstract = True
        ordering = ["-published_at", "-id"]

    @property
    def owner_id(self) -> int:
        return int(getattr(self, f"{self.OWNER_FIELD}_id"))

    @property
    def owner(self) -> Unit:
        owner: Unit = getattr(self, self.OWNER_FIELD)
        return owner


class TechNeed(HallPublication):
    """A technology need (技术难题) an enterprise publishes in the 需求大厅."""

    OWNER_FIELD = "enterprise"

    enterprise = models.ForeignKey(
        Unit, verbose_name="发布企业", on_delete=models.PROTECT, related_name="tech_needs"
    )
    title = models.CharField("难题名称", max_length=100)
    problem = models.TextField("问题描述")
    field = models.CharField("技术领域", max_length=50)
    budget_min = models.PositiveIntegerField("预算下限（万元）")
    budget_max = models.PositiveIntegerField("预算上限（万元）")
    deadline = models.DateField("解决期限")
    ip_expectation = models.CharField("知识产权预期", max_length=20, choices=IpExpectation.choices)

    class Meta(HallPublication.Meta):
        verbose_name = "技术难题"
        verbose_name_plural = "技术难题"

    def __str__(self) -> str:
        return self.title


class ResultKind(models.TextChoices):
    PATENT = "patent", "专利"
    KNOW_HOW = "know_how", "技术秘密"


class Maturity(models.TextChoices):
    LAB = "lab", "实验室阶段"
    PILOT = "pilot", "中试阶段"
    INDUSTRIAL = "industrial", "可产业化"


class TransferMode(models.TextChoices):
    LICENCE = "licence", "许可"
    ASSIGNMENT = "assignment", "转让"
    JOINT = "joint", "合作开发"


class Result(HallPublication):
    """A result (科技成果) a university or an expert offers in the 成果大厅; contact goes
    through the platform only (no telephone, no e-mail here)."""

    OWNER_FIELD = "organisation"

    organisation = models.ForeignKey(
        Unit, verbose_name="所属机构", on_delete=models.PROTECT, related_name="hall_results"
    )
    title = models.CharField("成果名称", max_length=100)
    kind = models.CharField("成果类型", max_length=20, choices=ResultKind.choices)
    summary = models.TextField("成果简介")
    maturity = models.CharField("成熟度", max_length=20, choices=Maturity.choices)
    transfer_mode = models.CharField("转化方式", max_length=20, choices=TransferMode.choices)
    price_min = models.PositiveIntegerField("价格下限（万元）")
    price_max = models.PositiveIntegerField("价格上限（万元）")

    class Meta(HallPublication.Meta):
        verbose_name = "科技成果"
        verbose_name_plural = "科技成果"

    def __str__(self) -> str:
        return self.title


# Matchmaking: expressions of interest and their negotiation threads ---------------------------


class ThreadStatus(models.TextChoices):
    OPEN = "open", "洽谈中"
    AGREED = "agreed", "已达成意向"
    CLOSED = "closed", "已关闭"


class Thread(models.Model):
    """A negotiation (对接洽谈) between an enterprise and a university or institute, opened by
    an expression of interest (意向) in a published technology need (by the university's or an
    expert's account) or in a published result (by the enterprise). The county office of the
    enterprise sees it, and turns an agreed one into a cooperation of its ledger."""

    enterprise = models.ForeignKey(
        Unit, verbose_name="企业", on_delete=models.PROTECT, related_name="threads"
    )
    organisation = models.ForeignKey(
        Unit,
        verbose_name="高校（科研院所）",
        on_delete=models.PROTECT,
        related_name="organisation_threads",
    )
    need = optional_fk(TechNeed, "技术难题", on_delete=models.PROTECT, related_name="threads")
    result = optional_fk(Result, "科技成果", on_delete=models.PROTECT, related_name="threads")
    subject = models.CharField("洽谈事项", max_length=100)
    status = models.CharField(
        "状态", max_length=20, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    started_by = models.ForeignKey(
        User, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    last_message_at = models.DateTimeField("最后留言时间", default=timezone.now, db_index=True)
    messages_count = models.PositiveIntegerField("留言数", default=0)
    cooperation = models.ForeignKey(
        "cooperation.Cooperation",
        verbose_name="转入的合作",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "对接洽谈"
        verbose_name_plural = "对接洽谈"
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(need__isnull=False, result__isnull=True)
                | models.Q(need__isnull=True, result__isnull=False),
                name="portal_thread_need_or_result",
            ),
            models.UniqueConstraint(
                fields=["need", "organisation"],
                condition=models.Q(need__isnull=False),
                name="portal_thread_one_per_need_and_organisation",
            ),
            models.UniqueConstraint(
                fields=["result", "enterprise"],
                condition=models.Q(result__isnull=False),
                name="portal_thread_one_per_result_and_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.organisation}：{self.subject}"

    @property
    def source_label(self) -> str:
        return "技术难题" if self.need_id else "科技成果"


def _message_file_path(instance: ThreadMessage, filename: str) -> str:
    return f"portal/threads/{instance.thread_id}/{filename}"


class ThreadMessage(models.Model):
    """A message of a thread, with at most one attachment (bounded like every upload)."""

    thread = models.ForeignKey(
        Thread, verbose_name="对接洽谈", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        User, verbose_name="留言人", on_delete=models.PROTECT, related_name="+"
    )
    side = models.ForeignKey(
        Unit, verbose_name="留言方", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField("留言")
    attachment = models.FileField("附件", upload_to=_message_file_path, blank=True)
    attachment_name = models.CharField("附件名称", max_length=100, blank=True)
    created_at = models.DateTimeField("留言时间", default=timezone.now)

    class Meta:
        verbose_name = "洽谈留言"
        verbose_name_plural = "洽谈留言"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}：{self.body[:20]}"


# 揭榜挂帅 calls -------------------------------------------------------------------------------


class CallState(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "征集中"
    CLOSED = "closed", "征集截止"
    EVALUATION = "evaluation", "专家评审"
    PUBLICITY = "publicity", "公示中"
    AWARDED = "awarded", "已揭榜"
    AGREEMENT = "agreement", "已签约"


def default_criteria() -> list[dict[str, object]]:
    return [
        {"name": "技术方案", "max": 40},
        {"name": "团队实力", "max": 30},
        {"name": "经费预算", "max": 15},
        {"name": "进度安排", "max": 15},
    ]


class Call(models.Model):
    """A 揭榜挂帅 call: a technology problem of an enterprise of the county that the county
    office publishes for universities and experts to take on, from its draft to
    the agreement (``CallState``). ``criteria`` are the evaluation's criteria with their
    maximum scores (``[{"name", "max"}]``)."""

    county = models.ForeignKey(
        Unit, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Unit, verbose_name="出题企业", on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField("榜单名称", max_length=100)
    problem = models.TextField("攻关任务")
    field = models.CharField("技术领域", max_length=50)
    budget_min = models.PositiveIntegerField("悬赏金额下限（万元）")
    budget_max = models.PositiveIntegerField("悬赏金额上限（万元）")
    deadline = models.DateField("揭榜截止日期")
    criteria = models.JSONField("评审指标", default=default_criteria)
    state = models.CharField(
        "状态", max_length=20, choices=CallState.choices, default=CallState.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("截止时间", null=True, blank=True)
    publicity_start = models.DateTimeField("公示开始", null=True, blank=True)
    publicity_end = models.DateTimeField("公示结束", null=True, blank=True)
    winner = models.ForeignKey(
        "CallApplication",
        verbose_name="揭榜单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    awarded_at = models.DateTimeField("揭榜时间", null=True, blank=True)
    # The call stays when its cooperation is purged after its retention (the link is emptied).
    cooperation = models.ForeignKey(
        "cooperation.Cooperation",
        verbose_name="合作项目",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluators = models.ManyToManyField(
        User, verbose_name="评审专家", blank=True, related_name="evaluated_calls"
    )
    created_by = models.ForeignKey(
        User, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    history = audited_history()

    class Meta:
        verbose_name = "揭榜挂帅榜单"
        verbose_name_plural = "揭榜挂帅榜单"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_call", "管理揭榜挂帅"),
            ("review_call", "审核揭榜挂帅"),
        ]

    def __str__(self) -> str:
        return self.title


def _proposal_path(instance: CallApplication, filename: str) -> str:
    return f"portal/calls/{instance.call_id}/{filename}"


class CallApplication(models.Model):
    """An organisation's application to a call (揭榜申报): its proposal and an attachment."""

    call = models.ForeignKey(
        Call, verbose_name="榜单", on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.ForeignKey(
        Unit, verbose_name="申报单位", on_delete=models.PROTECT, related_name="call_applications"
    )
    applicant = models.ForeignKey(
        User, verbose_name="申报人", on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.TextField("揭榜方案")
    attachment = models.FileField("附件", upload_to=_proposal_path, blank=True)
    submitted_at = models.DateTimeField("申报时间", default=timezone.now)

    history = audited_history()

    class Meta:
        verbose_name = "揭榜申报"
        verbose_name_plural = "揭榜申报"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_application_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.call.title}"


class CallScore(models.Model):
    """One evaluator's scores of one application, per criterion (``{name: score}``)."""

    application = models.ForeignKey(
        CallApplication, verbose_name="申报", on_delete=models.CASCADE, related_name="scores"
    )
    evaluator = models.ForeignKey(
        User, verbose_name="评审专家", on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField("各项得分", default=dict)
    total = models.PositiveIntegerField("总分")
    comment = models.CharField("评审意见", max_length=500, blank=True)
    scored_at = models.DateTimeField("评审时间", default=timezone.now)

    history = audited_history()

    class Meta:
        verbose_name = "揭榜评审"
        verbose_name_plural = "揭榜评审"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "evaluator"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} · {self.application}"


class CallObjection(models.Model):
    """An objection filed during a call's 公示, and the office's answer."""

    call = models.ForeignKey(
        Call, verbose_name="榜单", on_delete=models.CASCADE, related_name="objections"
    )
    author = models.ForeignKey(
        User, verbose_name="异议人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("异议内容")
    filed_at = models.DateTimeField("提出时间", default=timezone.now)
    answer = models.TextField("答复", blank=True)
    answered_by = optional_fk(User, "答复人", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"{self.call.title}的异议"


# The 云对接会 (online matchmaking events) are declared in their own module.
from yanzhen.portal.event_models import (  # noqa: E402
    AgendaItem as AgendaItem,
)
from yanzhen.portal.event_models import (  # noqa: E402
    EventMeeting as EventMeeting,
)
from yanzhen.portal.event_models import (  # noqa: E402
    EventParty as EventParty,
)
from yanzhen.portal.event_models import (  # noqa: E402
    EventRoom as EventRoom,
)
from yanzhen.portal.event_models import (  # noqa: E402
    EventSlot as EventSlot,
)
from yanzhen.portal.event_models import (  # noqa: E402
    MatchEvent as MatchEvent,
)
from yanzhen.portal.event_models import (  # noqa: E402
    MeetingRequest as MeetingRequest,
)
