"""``yanzhen run_worker [--interval S] [--tick S] [--once]``: the background worker.

Runs the queued tasks (deliveries of notifications by e-mail and to group robots, with their
retries) and, every ``--tick`` seconds, enqueues the periodic jobs that are due
(``yanzhen/jobs/schedule.py``). Works on SQLite (WAL) and PostgreSQL; several workers may run
at once. ``make run`` starts one beside the web server; in production run it as a service
(systemd ``Restart=always``)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.jobs.worker import Loop


class Command(BaseCommand):
    help = "后台任务进程：发送邮件和群机器人消息（失败自动重试），按时运行定时任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=2.0, help="无任务时每隔几秒查看一次（默认2）"
        )
        parser.add_argument(
            "--tick", type=float, default=30.0, help="每隔几秒检查一次定时任务（默认30）"
        )
        parser.add_argument("--once", action="store_true", help="检查并运行一轮后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0 or options["tick"] <= 0:
            self.stderr.write("--interval 和 --tick 须大于 0")
            raise SystemExit(2)
        logger = logging.getLogger("yanzhen.jobs")
        if options["verbosity"] > 0 and not logger.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s 后台任务 %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False
        loop = Loop(interval=options["interval"], tick_seconds=options["tick"])
        if options["once"]:
            ran = loop.round(tick=True)
            self.stdout.write(f"已运行 {ran} 个任务")
            return
        loop.install_signals()
        logger.info("已启动")
        loop.run()
        logger.info("已停止")
