"""Views and APIs read through selectors (STYLE.md: views call selectors, selectors apply the data
scope and prefetch). A view or API module may narrow what a selector returned (pick a row by pk,
order a choice list, ask ``.first()``), but it does not reach the ORM on its own:

* no ``Model.objects`` (``Model.objects.none()``, the empty placeholder of a form field that reads
  nothing, is the one use allowed);
* no ``.history`` (the change log is read by ``core.selectors.record_history``);
* no ``get_object_or_404(Model, ...)`` on a model class (STYLE.md: one scoped helper per type);
* no shaping of a query: ``select_related``, ``prefetch_related``, ``annotate``, ``aggregate``,
  ``Prefetch``; that is what the selector is for;
* no narrowing call (``filter``, ``order_by``, ``first``, …) on anything but the result of a read
  function (a name imported from a selectors module, ``<app>.selectors`` or
  ``<app>.<topic>_selectors``, or one of ``READ_MODULES``) or a plain local
  name holding such a result; ``record.relation.filter(...)``, a related-manager read, is refused.

View and API modules are ``views.py``, ``api.py``, ``*_views.py``, ``*_api.py`` and the modules of
a ``views``/``api`` package."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "yanzhen"

SHAPING = frozenset({"select_related", "prefetch_related", "annotate", "aggregate"})
NARROWING = frozenset(
    {
        "filter",
        "exclude",
        "order_by",
        "values_list",
        "in_bulk",
        "get_or_create",
        "update_or_create",
        "distinct",
        "exists",
        "first",
        "last",
        "only",
        "defer",
    }
)
# The few direct reads left, each with its reason: (module, what ``orm_uses`` reports).
ALLOWED = {
    # The import flow's owner check (the job must be the user's own, of this register and
    # page); it belongs to the import flow (core.imports*), reworked on its own branch.
    ("core/import_views.py", "get_object_or_404(ImportJob)"),
}
# Modules whose functions are scoped reads though they are not called ``selectors``.
READ_MODULES = {
    "yanzhen.core.scope": "the data scope itself (scope_of(user).units())",
    "yanzhen.core.workflow": "the review inbox of the workflow engine (inbox_qs(user))",
    "yanzhen.reports.info": "the 信息报送 register keeps its scoped reads beside its rules",
}


def is_view_module(relative: str) -> bool:
    parts = relative.split("/")
    name = parts[-1]
    return (
        name in {"views.py", "api.py"}
        or name.endswith(("_views.py", "_api.py"))
        or (len(parts) > 2 and parts[-2] in {"views", "api"})
    )


def _reader_names(tree: ast.Module) -> set[str]:
    """Names bound by imports from a selectors module or a READ_MODULES module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        for alias in node.names:
            if (
                "selectors" in module.split(".")
                or module.endswith("selectors")  # cooperation.activity_selectors
                or module in READ_MODULES
                or alias.name.endswith("selectors")
                or f"{module}.{alias.name}" in READ_MODULES
            ):
                names.add(alias.asname or alias.name)
    return names


def _is_read(expr: ast.expr, readers: set[str]) -> bool:
    """The receiver is a local name or a call of a read function (after narrowing calls)."""
    while (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in NARROWING
    ):
        expr = expr.func.value
    if isinstance(expr, ast.Name):
        return True
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    if isinstance(func, ast.Name):
        return func.id in readers
    if isinstance(func, ast.Attribute):
        # selectors.x(user), or scope_of(user).units()
        return (isinstance(func.value, ast.Name) and func.value.id in readers) or (
            isinstance(func.value, ast.Call) and _is_read(func.value, readers)
        )
    return False


def orm_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every direct ORM read in a view or API module's source."""
    tree = ast.parse(source)
    readers = _reader_names(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: dict[int, str] = {}
    for node in ast.walk(tree):
        what = ""
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            parent = parents.get(node)
            if not (isinstance(parent, ast.Attribute) and parent.attr == "none"):
                what = ast.unparse(node)
        elif isinstance(node, ast.Attribute) and node.attr == "history":
            what = ast.unparse(node)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Prefetch":
                what = "Prefetch"
            elif (
                isinstance(func, ast.Name)
                and func.id in {"get_object_or_404", "get_list_or_404"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id[:1].isupper()
            ):
                what = f"{func.id}({node.args[0].id})"
            elif isinstance(func, ast.Attribute) and (
                func.attr in SHAPING
                or (func.attr in NARROWING and not _is_read(func.value, readers))
            ):
                what = f"{func.attr}: {ast.unparse(node)[:70]}"
        if what:
            found.setdefault(getattr(node, "lineno", 0), what)
    return sorted(found.items())


def view_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" not in f"/{relative}" and is_view_module(relative):
            yield relative, path


def test_no_view_or_api_module_reads_the_orm() -> None:
    uses = {
        name: kept
        for name, path in view_modules()
        if (
            kept := [
                (line, what)
                for line, what in orm_uses(path.read_text(encoding="utf-8"))
                if (name, what) not in ALLOWED
            ]
        )
    }
    assert uses == {}


def test_the_check_finds_each_kind_of_direct_read() -> None:
    source = (
        "from yanzhen.talent.selectors import talent_qs\n"
        "from yanzhen.core.scope import scope_of\n"
        "from yanzhen.talent import selectors\n"
        "def view(request, talent):\n"
        "    a = Talent.objects.filter(pk=1)\n"  # 5
        "    b = talent.history.all()\n"  # 6
        "    c = talent_qs(request.user).select_related('employer')\n"  # 7
        "    d = talent.agreements.order_by('pk')\n"  # 8
        "    e = Prefetch('x')\n"  # 9
        "    f = talent_qs(request.user).filter(pk=1).first()\n"
        "    g = selectors.talent_qs(request.user).order_by('pk')\n"
        "    h = scope_of(request.user).units().filter(pk=1)\n"
        "    i = f.filter(pk=1)\n"
        "    j = Talent.objects.none()\n"
        "    k = other(request.user).filter(pk=1)\n"  # 15
        "    m = get_object_or_404(Talent, pk=1)\n"  # 16
        "    n = get_object_or_404(talent_qs(request.user), pk=1)\n"
    )
    assert [line for line, _ in orm_uses(source)] == [5, 6, 7, 8, 9, 15, 16]


def test_view_modules_are_found_by_name() -> None:
    names = {name for name, _ in view_modules()}
    assert {"college/views.py", "core/import_views.py", "talent/views/registry.py"} <= names
    assert {"talent/api.py", "cooperation/followup_api.py"} <= names
    assert "college/selectors.py" not in names
