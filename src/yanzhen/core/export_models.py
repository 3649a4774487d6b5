"""The record of a large export run by the background worker (``core.export_jobs``).

Kept beside ``core.models`` (which imports it at its end, so Django and the migrations see it)
to keep that module within the 800 lines of STYLE.md.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from yanzhen.core.models import User


class ExportJobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportJob(models.Model):
    """A list's export of more than ``YANZHEN_EXPORT_BACKGROUND_ROWS`` rows: the list's path
    and query replayed by the worker as ``user`` (``core.export_jobs``); its file, sealed,
    in ``$YANZHEN_DATA_DIR/exports`` until ``expires_at``."""

    user = models.ForeignKey(User, verbose_name="导出人", on_delete=models.CASCADE)
    title = models.CharField("列表", max_length=100)
    path = models.CharField("列表地址", max_length=300)
    query = models.TextField("查询条件", blank=True)
    fmt = models.CharField("格式", max_length=4)
    # The request's client (address, agent, host) for the security log the worker writes, and
    # the full-values decision made in the request: {"unmasked": bool, "approval_id": int|None}.
    client = models.JSONField("请求来源", default=dict)
    decision = models.JSONField("完整信息决定", default=dict)
    state = models.CharField(
        "状态", max_length=10, choices=ExportJobState.choices, default=ExportJobState.QUEUED
    )
    rows = models.IntegerField("行数", default=0)
    filename = models.CharField("文件名", max_length=200, blank=True)
    # The stored file's name with the id (a restored database reusing ids never meets the
    # files of before).
    token = models.CharField("文件标识", max_length=64, default=secrets.token_hex, editable=False)
    task_id = models.CharField("任务", max_length=64, blank=True)
    reason = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("下载截止", null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = "后台导出"
        verbose_name_plural = "后台导出"
        indexes = [models.Index(fields=["user", "-created_at"], name="core_exportjob_user_idx")]

    def __str__(self) -> str:
        return f"{self.title}:{self.pk}:{self.state}"
