from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work: the task worker and the periodic jobs (no pages)."""

    name = "yanzhen.jobs"
    label = "jobs"
    verbose_name = "后台任务"
