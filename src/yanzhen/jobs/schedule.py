"""The periodic jobs, declared in one place: each runs a management command at the times of a
cron expression (local time, ``TIME_ZONE``). ``yanzhen run_worker`` enqueues each one once per
scheduled time; add a job by adding a line here (and its test in tests/jobs/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Periodic:
    name: str  # unique; the key of its runs
    cron: str  # minute hour day-of-month month day-of-week, local time
    command: str  # a management command
    args: tuple[str, ...] = ()
    label: str = ""


def periodic_jobs() -> tuple[Periodic, ...]:
    """Every periodic job (read when the scheduler ticks: settings may add arguments)."""
    checkpoint_dir = str(getattr(settings, "YANZHEN_CHECKPOINT_DIR", "") or "")
    return (
        Periodic("remind_due", "0 7 * * *", "remind_due", label="督办、到期提醒与调度报送提醒"),
        Periodic(
            "send_talent_reminders", "10 7 * * *", "send_talent_reminders", label="人才服务提醒"
        ),
        Periodic("issue_reporting", "0 6 * * *", "issue_reporting", label="下发周期性填报任务"),
        Periodic("remind_reviews", "25 7 * * *", "remind_reviews", label="审核超期提醒"),
        Periodic("remind_reporting", "20 7 * * *", "remind_reporting", label="填报任务到期提醒"),
        Periodic(
            "remind_agreements", "20 7 * * *", "remind_agreements", label="协议到期与续签提醒"
        ),
        Periodic("send_digest", "30 17 * * *", "send_digest", label="每日未读消息汇总邮件"),
        Periodic(
            "checkpoint_audit",
            "5 * * * *",
            "checkpoint_audit",
            ("-o", checkpoint_dir) if checkpoint_dir else (),
            label="审计日志签名检查点",
        ),
        Periodic("verify_audit", "40 2 * * *", "verify_audit", label="审计日志哈希链校验"),
        Periodic("verify_integrity", "50 2 * * *", "verify_integrity", label="完整性校验码校验"),
        Periodic("publish_crl", "15 2 * * *", "publish_crl", label="签发电子签章证书吊销列表"),
        Periodic("purge_sessions", "20 3 * * *", "purge_sessions", label="清理过期会话"),
        Periodic(
            "purge_uploads",
            "*/10 * * * *",
            "purge_uploads",
            label="清理导入预览、临时文件与过期导出",
        ),
        Periodic("purge_audit", "0 4 1 * *", "purge_audit", label="清理超过保留期的日志"),
        Periodic("purge_jobs", "30 4 * * *", "purge_jobs", label="清理已完成的后台任务记录"),
    )
