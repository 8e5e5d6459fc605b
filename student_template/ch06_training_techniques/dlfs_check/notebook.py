"""A saved notebook -> the namespace its definitions make, without running its experiments.

Like the grader, only imports, def/class, and constants (literals, names already kept,
numpy/math calls) are run, cell by cell, in a fresh namespace: a training loop, a plot
or `check_all()` at the top level is skipped. The student's code runs in this process,
which is fine on the student's own laptop (grading runs it in a sandbox instead).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

NAMESPACE_NAME = "__dlfs_notebook__"
NUMERIC_MODULES = ("numpy", "math")
PURE_BUILTINS = {"range", "len", "int", "float", "bool", "str", "list", "tuple", "dict", "set",
                 "abs", "min", "max", "round", "sum", "zip", "enumerate", "sorted", "reversed"}


class NotANotebook(ValueError):
    """The file cannot be read as a Jupyter notebook."""


@dataclass
class Problem:
    key: str          # catalog entry: ui.syntax_error, ui.statement_failed, ui.cell_magic
    fields: dict


@dataclass
class Loaded:
    namespace: dict
    metadata: dict
    problems: list = field(default_factory=list)


def read_notebook(path: Path) -> tuple[dict, list[str]]:
    """(notebook metadata, the source of each code cell); nbformat 4, or 3 (worksheets)."""
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise NotANotebook(str(exc)) from None
    if not isinstance(data, dict):
        raise NotANotebook("not a JSON object")
    cells = data.get("cells")
    if cells is None:
        cells = [c for sheet in data.get("worksheets", []) for c in sheet.get("cells", [])]
    if not isinstance(cells, list):
        raise NotANotebook("no list of cells")
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            text = cell.get("source", cell.get("input", ""))
            sources.append("".join(text) if isinstance(text, list) else str(text))
    metadata = data.get("metadata")
    return (metadata if isinstance(metadata, dict) else {}), sources


def load_notebook(path: Path) -> Loaded:
    metadata, sources = read_notebook(path)
    loaded = Loaded({"__name__": NAMESPACE_NAME}, metadata)
    for number, source in enumerate(sources, start=1):
        _run_cell(number, source, loaded)
    return loaded


def _without_magics(source: str) -> str | None:
    """Magic and shell lines blanked (line numbers kept); None for a cell magic cell."""
    if source.lstrip().startswith("%%"):
        return None
    lines = source.splitlines()
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def _run_cell(number: int, source: str, loaded: Loaded) -> None:
    code = _without_magics(source)
    if code is None:
        loaded.problems.append(Problem("ui.cell_magic", {"cell": number}))
        return
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        loaded.problems.append(Problem("ui.syntax_error", {"cell": number, "line": exc.lineno or 0,
                                                           "message": exc.msg}))
        return
    namespace = loaded.namespace
    for stmt in tree.body:
        if not _kept(stmt, namespace):
            continue
        try:
            exec(compile(ast.Module(body=[stmt], type_ignores=[]), f"<cell {number}>", "exec"),
                 namespace)
        except Exception as exc:  # the student's line fails; the rest of the notebook loads
            loaded.problems.append(Problem("ui.statement_failed", {
                "cell": number, "line": stmt.lineno, "error": f"{type(exc).__name__}: {exc}"}))


def _kept(stmt: ast.stmt, namespace: dict) -> bool:
    if isinstance(stmt, ast.Import):
        return True
    if isinstance(stmt, ast.ImportFrom):
        return stmt.module != "__future__"
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(stmt, ast.Assign):
        return all(_is_name_target(t) for t in stmt.targets) and _constant(stmt.value, namespace)
    if isinstance(stmt, ast.AnnAssign):
        return stmt.value is not None and _is_name_target(stmt.target) \
            and _constant(stmt.value, namespace)
    if isinstance(stmt, ast.AugAssign):
        return isinstance(stmt.target, ast.Name) and stmt.target.id in namespace \
            and _constant(stmt.value, namespace)
    return False


def _is_name_target(node: ast.expr) -> bool:
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(isinstance(e, ast.Name) for e in node.elts)
    return isinstance(node, ast.Name)


def _constant(node, namespace: dict) -> bool:
    """Built from literals, names already defined, and calls that only compute numbers."""
    if node is None or isinstance(node, (ast.Constant, ast.Lambda)):
        return True
    if isinstance(node, ast.Name):
        return node.id in namespace
    if isinstance(node, ast.Call):
        return _pure(node.func, namespace) and all(_constant(a, namespace) for a in node.args) \
            and all(_constant(k.value, namespace) for k in node.keywords)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.BinOp, ast.UnaryOp,
                         ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript, ast.Slice,
                         ast.Attribute, ast.Starred, ast.JoinedStr, ast.FormattedValue,
                         ast.keyword)) or type(node).__name__ == "Index":
        return all(_constant(child, namespace) for child in ast.iter_child_nodes(node)
                   if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop,
                                             ast.boolop, ast.cmpop)))
    return False


def _pure(func: ast.expr, namespace: dict) -> bool:
    if isinstance(func, ast.Name):
        if func.id in namespace:
            return _numeric_module(namespace[func.id])
        return func.id in PURE_BUILTINS
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or root.id not in namespace:
        return False
    value = namespace[root.id]
    # np.arange(...) computes numbers; so does a method of a kept array (W.reshape(2, 3)).
    return _numeric_module(value) or not callable(value)


def _numeric_module(value) -> bool:
    module = getattr(value, "__name__", "") if type(value).__name__ == "module" \
        else getattr(value, "__module__", "") or ""
    return module.split(".")[0] in NUMERIC_MODULES
