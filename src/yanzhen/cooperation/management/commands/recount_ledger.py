"""``yanzhen recount_ledger [--check]``: rebuild the ledger's stored figures — the running
tally of the dashboard (``CooperationTally``) and each unit's cooperation count (coverage) —
from the records themselves, and report every figure that changed (old → new).

With ``--check`` nothing is written and the command fails (exit status 1) if any stored
figure differs from the records: a nightly job that alerts when the figures drifted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from yanzhen.cooperation import tally


class Command(BaseCommand):
    help = (
        "按记录重建合作台账汇总和各单位合作数，列出每一处变化（旧值 → 新值）；--check 只检查不写入"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="只检查：有不一致时列出并以状态 1 退出，不写入",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if not options["check"]:
                tally.lock_tally()  # the figures compared are the figures rebuilt
            found = tally.differences()
            if found and not options["check"]:
                tally.recount()
        for difference in found:
            self.stdout.write(str(difference))
        if not found:
            self.stdout.write("合作台账汇总和各单位合作数均与记录一致")
        elif options["check"]:
            raise CommandError(f"发现 {len(found)} 处与记录不一致（仅检查，未写入）", returncode=1)
        else:
            self.stdout.write(f"已按记录重建：修正 {len(found)} 处")
