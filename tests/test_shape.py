"""The shape of the code the build holds to (STYLE.md): no module past 800 lines (it becomes a
package by topic), and an import inside a function only with its reason written beside it
(a comment on the same line or the line before the import, or before the run of imports it
opens). The boundaries between the apps are the import contracts of ``pyproject.toml``,
checked by ``lint-imports`` in ``make lint``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "yanzhen"
MAX_LINES = 800


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" not in f"/{relative}":
            yield relative, path


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_800_lines() -> None:
    long = {name: line_count(path) for name, path in modules() if line_count(path) > MAX_LINES}
    assert long == {}


def _function_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports inside a function body, except under ``if TYPE_CHECKING:``."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[ast.Import | ast.ImportFrom]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inside)

    yield from walk(tree, False)


def unexplained_imports(source: str) -> list[int]:
    """Lines of the imports inside functions with no comment beside them."""
    lines = source.splitlines()
    found = sorted(_function_imports(ast.parse(source)), key=lambda node: node.lineno)
    explained: set[int] = set()
    out = []
    for node in found:
        above = node.lineno - 1  # the line before the statement (1-based: lines[above - 1])
        if (
            "#" in lines[node.lineno - 1]
            or (above >= 1 and lines[above - 1].strip().startswith("#"))
            or above in explained  # a run of imports under one comment
        ):
            explained.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        else:
            out.append(node.lineno)
    return out


def test_an_import_inside_a_function_says_why() -> None:
    unexplained = {
        name: lines
        for name, path in modules()
        if (lines := unexplained_imports(path.read_text(encoding="utf-8")))
    }
    assert unexplained == {}


def test_the_import_check_finds_an_unexplained_import() -> None:
    source = (
        "def a():\n"
        "    import json\n"
        "\n"
        "def b():\n"
        "    # heavy: loaded only here\n"
        "    import csv\n"
        "    import io\n"
        "    import re  # beside it\n"
        "\n"
        "def c():\n"
        "    from typing import TYPE_CHECKING\n"
        "    if TYPE_CHECKING:\n"
        "        import os\n"
    )
    assert unexplained_imports(source) == [2, 11]
