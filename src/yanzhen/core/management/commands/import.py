# ruff: noqa: N999 (the command is `yanzhen import`, as the issue names it)
"""``yanzhen import <register> FILE``: import a spreadsheet into a register from the command line.

The same flow as the import pages (``core.importing``)::

    yanzhen import cooperations 台账.xlsx                 # dry run: every error, nothing written
    yanzhen import cooperations 台账.xlsx --commit        # all or nothing
    yanzhen import units 单位.csv --commit --skip-invalid # the valid rows; the rest reported
    yanzhen import cooperations 台账.xlsx --json --sheet 2021年 --mapping 县台账 --as office

``--json`` prints ``{"rows", "valid", "errors": [{"row", "column", "message"}], "skipped":
[{"row", "reason"}], "mapping": {header: field}}`` (``rows``: the record rows; every ``row`` as
the spreadsheet shows it). Exit 0 when committed (also when ``--skip-invalid`` left rows out)
or clean, 1 when a dry run or a plain ``--commit`` found errors (nothing written), 2 for
unusable input. The upload bounds apply before any reader opens the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.core import importing, imports
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User
from yanzhen.core.uploads import limits, too_large_message

DEMO_USER = "office"


class Command(BaseCommand):
    help = "从 Excel/CSV 导入登记簿（默认只检查不写入；--commit 导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", help="登记簿：" + "、".join(sorted(importing.registers())))
        parser.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        parser.add_argument("--sheet", default=None, help="工作表名称（默认第一个）")
        parser.add_argument("--mapping", default="auto", help="已保存的列对应方案名称，或 auto")
        parser.add_argument("--commit", action="store_true", help="导入（默认只检查）")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="与 --commit 同用：只导入无误的行"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--as", dest="username", default=None, help="以该用户身份导入")

    def _fail(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = bool(options["json"])
        if options["skip_invalid"] and not options["commit"]:
            self._fail("--skip-invalid 只能与 --commit 一起使用", as_json)
        try:
            register = importing.register_named(options["register"])
        except DomainError as error:
            self._fail(error.message, as_json)
            raise  # unreachable: _fail exits
        user = self._user(options["username"], as_json)
        if not user.has_perm(register.permission):
            self._fail(f"用户“{user.username}”无权导入{register.title}", as_json)
        path = Path(options["file"])
        try:
            size = path.stat().st_size
        except OSError:
            self._fail(f"找不到文件“{path}”", as_json)
            raise  # unreachable
        if size > limits().file_bytes:  # before a byte is read
            self._refused(register, user, size, too_large_message(), as_json)
        data = path.read_bytes()
        mapping = None
        try:
            if options["mapping"] and options["mapping"] != "auto":
                mapping = importing.saved_mapping(register.name, options["mapping"])
            result = importing.run(
                register,
                user=user,
                data=data,
                filename=path.name,
                sheet=options["sheet"],
                mapping=mapping,
                commit=bool(options["commit"]),
                skip_invalid=bool(options["skip_invalid"]),
            )
        except DomainError as error:
            imports.import_logged(None, user=user, register=register.title, content=data,
                                  commit=bool(options["commit"]), error=error)  # fmt: skip
            self._fail(error.message, as_json)
            raise  # unreachable
        imports.import_logged(None, user=user, register=register.title, content=data,
                              commit=bool(options["commit"]), report=result,
                              skip_invalid=bool(options["skip_invalid"]))  # fmt: skip
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self._summary(register, result, bool(options["commit"]))
        sys.exit(0 if result.committed or (result.ok and not options["commit"]) else 1)

    def _user(self, username: str | None, as_json: bool) -> User:
        name = username or DEMO_USER
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            hint = "" if username else "，请用 --as 指定导入人"
            self._fail(f"找不到用户“{name}”{hint}", as_json)
            raise SystemExit(2)  # unreachable
        return user

    def _refused(
        self, register: importing.Register[Any, Any], user: User, size: int, message: str,
        as_json: bool,
    ) -> None:  # fmt: skip
        error = DomainError("upload_refused", message, {"file": message})
        imports.import_logged(None, user=user, register=register.title, content=b"",
                              commit=False, error=error, size=size)  # fmt: skip
        self._fail(message, as_json)

    def _summary(
        self, register: importing.Register[Any, Any], result: importing.ImportResult, commit: bool
    ) -> None:
        out = self.stdout
        out.write(f"{register.title}：工作表“{result.sheet}”，共 {result.rows} 行记录，"
                  f"{result.valid} 行无误，跳过 {len(result.skipped)} 行")  # fmt: skip
        for header, name in (result.mapping.as_dict() if result.mapping else {}).items():
            label = next((s.label for s in register.specs() if s.key == name), name)
            out.write(f"  列“{header}” → {label}")
        if result.unused:
            out.write("  未使用的列：" + "、".join(result.unused))
        for skipped in result.skipped:
            out.write(f"  跳过第{skipped.row}行：{skipped.reason}")
        for error in result.errors:
            out.write(f"  {error}")
        verb = "已导入" if result.committed else "检查结果（未写入）"
        out.write(f"{verb}：新增 {result.created} 项，更新 {result.updated} 项，"
                  f"未变 {result.unchanged} 项" + (f"，批次 {result.batch_id}"
                                                   if result.batch_id else ""))  # fmt: skip
        if commit and not result.committed:
            out.write("有错误，整表未导入（可加 --skip-invalid 只导入无误的行）")
