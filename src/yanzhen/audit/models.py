"""The security log, the personal-data access log and the export log — append-only (database
triggers) and each a keyed hash chain (HMAC-SHA256, key outside the database) — and the signed
checkpoints over the three chains. None of them holds personal data: only ids, names of
accounts, and counts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yanzhen.core.trail import AccessAction, EventKind


class Chain(models.TextChoices):
    """The chained logs, and the chain of checkpoints over them."""

    SECURITY = "security", "安全日志"
    ACCESS = "access", "个人信息访问日志"
    EXPORT = "export", "导出记录"
    CHECKPOINT = "checkpoint", "检查点"


class SecurityEvent(models.Model):
    """One security-relevant event. Rows are never changed: each carries the hash of the
    previous row and its own (keyed), so ``yanzhen verify_audit`` finds any edit or deletion."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=EventKind.choices, db_index=True)
    username = models.CharField("账户", max_length=150, blank=True, db_index=True)
    user_id_value = models.BigIntegerField("账户编号", null=True, blank=True)
    unit = models.CharField("单位", max_length=100, blank=True)
    unit_id_value = models.BigIntegerField("单位编号", null=True, blank=True, db_index=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    path = models.CharField("地址", max_length=300, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-id"]

    def __str__(self) -> str:
        when = timezone.localtime(self.created_at).isoformat(timespec="seconds")
        return f"{when} {self.get_kind_display()} {self.username}"


class ChainHead(models.Model):
    """One row per chain: the id and link of its last row (locked while appending), the
    anchor left by the last purge, and a MAC over all of it (so that removing rows at the end
    of a chain and moving the head back is found)."""

    chain = models.CharField(max_length=20, choices=Chain.choices, unique=True, default="security")
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)
    purged_through = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.chain} {self.last_id} {self.last_hash}"


class AccessLog(models.Model):
    """Who opened or revealed personal data: a record's kind and id, never the data itself."""

    Action = AccessAction

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    record_type = models.CharField("记录类型", max_length=50)
    record_id = models.BigIntegerField("记录编号")
    field = models.CharField("字段", max_length=30, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    # The second person's approval under which full values were shown (``core.masking``).
    approval = models.ForeignKey(
        "core.ApprovalRequest",
        verbose_name="批准的申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Rows written before the keyed chain have none (they are covered by the first checkpoint).
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "个人信息访问日志"
        verbose_name_plural = "个人信息访问日志"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.record_type}#{self.record_id}"


class ExportLog(models.Model):
    """Every export: who, which list with which filter, how many rows, the file's SHA-256."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("列表", max_length=100)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    fmt = models.CharField("格式", max_length=10)
    rows = models.IntegerField("行数")
    sha256 = models.CharField("文件摘要", max_length=64)
    unmasked = models.BooleanField("含完整个人信息", default=False)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "导出记录"
        verbose_name_plural = "导出记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.rows}"


class Checkpoint(models.Model):
    """A signed statement of where each chain stood: the id and link of its last row. The
    first (``genesis``) also records the rows written before the chains were keyed; each
    names the digest of the one before. ``body`` is the canonical JSON that was signed with
    the Ed25519 checkpoint key."""

    class Kind(models.TextChoices):
        GENESIS = "genesis", "起点"
        PERIODIC = "periodic", "定期"

    number = models.IntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    body = models.TextField("内容")
    signature = models.CharField("签名", max_length=100)
    digest = models.CharField("摘要", max_length=64, unique=True)

    class Meta:
        verbose_name = "日志检查点"
        verbose_name_plural = "日志检查点"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.number} {self.kind} {self.digest[:16]}"


class DeniedWindow(models.Model):
    """Refusals (403) of one account (or address) on one kind of page within the current
    window: the first is in the security log, the others are counted here and written as one
    row when the window has ended."""

    actor = models.CharField(max_length=200)
    route = models.CharField(max_length=300)
    started_at = models.DateTimeField()
    last_at = models.DateTimeField()
    suppressed = models.IntegerField(default=0)
    username = models.CharField(max_length=150, blank=True)
    user_id_value = models.BigIntegerField(null=True, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "route"], name="audit_denied_window_once")
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.route} +{self.suppressed}"
