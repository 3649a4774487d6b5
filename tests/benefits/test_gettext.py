"""The Python strings of the benefits app that reach the user go through gettext (issue 12):
every Chinese literal of its services, views and forms is the argument of ``_``,
``gettext_lazy`` or ``gettext_noop`` — docstrings, dictionary keys, comparisons and date
formats aside."""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "src" / "yanzhen" / "benefits"
CJK = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop"}


def untranslated(source: str) -> list[int]:
    """Lines of the Chinese literals of ``source`` outside a gettext call."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        inner: list[ast.AST] = []
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in GETTEXT or name == "format":  # format(date, "%Y年%m月"): a date format
                inner = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            inner = [node.value]  # a docstring
        elif isinstance(node, ast.Dict):
            inner = [k for k in node.keys if k is not None]
        elif isinstance(node, ast.Compare):
            inner = [node.left, *node.comparators]
        for child in inner:
            exempt.update(id(n) for n in ast.walk(child))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in exempt
    )


def test_the_detector_finds_a_bare_message_and_passes_a_translated_one() -> None:
    source = 'def f():\n    raise fail("name", "已有同名公寓")\n\nx = _("已有同名公寓")\n'
    assert untranslated(source) == [2]


def test_every_chinese_string_of_services_views_and_forms_is_translated() -> None:
    files = [*sorted((APP / "services").glob("*.py")), *sorted((APP / "views").glob("*.py"))]
    found = {
        path.relative_to(APP).as_posix(): lines
        for path in [*files, APP / "forms.py"]
        if (lines := untranslated(path.read_text(encoding="utf-8")))
    }
    assert found == {}
