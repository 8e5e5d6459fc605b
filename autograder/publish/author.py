"""Build a chapter's source notebook from its tasks.toml and its reference: the generator.

The notebook is an nbgrader-style source: every solution region is the reference's own
code (objects.py cuts it out), so the source notebook and the reference never drift, and
a test fails when the committed source.ipynb differs from what this builds now. Points
come from the hidden suite's markers (points.py); a chapter without a suite shows none.
"""

from __future__ import annotations

import ast
import builtins
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .objects import ChapterCode, as_given, as_solution, chapter_code, with_solution_bodies
from .points import chapter_points
from .spec import Spec, SpecError, Task
from .text import points_text, render

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_BUILTINS = set(dir(builtins)) | {"__name__", "__file__"}


def _cell_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


def _code(code: ChapterCode, task: Task, *, item_bodies: bool) -> str:
    """A task's objects in reference order: given as is, helpers wholly as solutions (side
    by side in one region), code with its bodies as solutions (wholly, for a constant)."""
    parts: list[str] = []
    helpers: list = []
    for name in sorted(task.names, key=lambda n: code.objects[n].order):
        obj = code.objects[name]
        if name not in task.given and (name in task.helpers or not item_bodies or
                                       not isinstance(obj.node, (ast.FunctionDef, ast.ClassDef))):
            helpers.append(obj)
            continue
        if helpers:
            parts.append(as_solution(*helpers))
            helpers = []
        parts.append(as_given(obj) if name in task.given else with_solution_bodies(obj))
    if helpers:
        parts.append(as_solution(*helpers))
    return "\n\n\n".join(parts) + "\n"


def _check_names(spec: Spec, code: ChapterCode) -> None:
    """Every name a task shows exists once; every name the notebook's code uses is defined."""
    listed = [n for t in (spec.given, spec.earlier, *spec.tasks) if t for n in t.names]
    unknown = sorted(set(listed) - set(code.objects))
    twice = sorted({n for n in listed if listed.count(n) > 1})
    if unknown or twice:
        raise SpecError(f"{spec.folder}: unknown names {unknown}, names listed twice {twice}")
    defined = set(listed) | {_bound(imp) for line in code.imports for imp in _import_names(line)}
    for name in listed:
        missing = _free_names(code.objects[name].node) - defined - _BUILTINS
        if missing:
            raise SpecError(f"{spec.folder}: {name} uses {sorted(missing)}, which no task, "
                            f"[given] or [earlier] puts in the notebook")


def _import_names(line: str) -> list:
    return [a for node in ast.parse(line).body for a in node.names]


def _bound(alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def _free_names(node: ast.AST) -> set:
    """Names read inside `node` that nothing inside it binds (an over-generous notion of
    'bound', which is enough to catch a helper the notebook forgot)."""
    read, bound = set(), set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            (read if isinstance(child.ctx, ast.Load) else bound).add(child.id)
        elif isinstance(child, ast.arg):
            bound.add(child.arg)
        elif isinstance(child, (ast.FunctionDef, ast.ClassDef)) and child is not node:
            bound.add(child.name)
        elif isinstance(child, ast.alias):
            bound.add(_bound(child))
    return read - bound


def build_source(spec: Spec) -> nbformat.NotebookNode:
    code = chapter_code(spec.reference_dir)
    _check_names(spec, code)
    points = chapter_points(spec)
    cells = [new_markdown_cell(render("intro.md.j2", title=spec.title, intro=spec.intro), id="intro"),
             new_markdown_cell(render("setup.md.j2"), id="setup-md"),
             new_code_cell("\n".join(code.imports) + "\n", id="setup")]
    if spec.given:
        cells += [new_markdown_cell(render("given.md.j2"), id="given-md"),
                  new_code_cell(_code(code, spec.given, item_bodies=False), id="given")]
    if spec.earlier:
        shown = [n for n in spec.earlier.code]
        cells += [new_markdown_cell(render("earlier.md.j2", names=shown), id="earlier-md"),
                  new_code_cell(_code(code, spec.earlier, item_bodies=True), id="earlier")]
    for number, task in enumerate(spec.tasks, start=1):
        heading = render("task.md.j2", number=number, task=task,
                         points=points_text(points.get(task.item)))
        cells += [new_markdown_cell(heading, id=_cell_id(f"task-{task.item}-md")),
                  new_code_cell(_code(code, task, item_bodies=True), id=_cell_id(f"task-{task.item}"))]
    nb = new_notebook(cells=cells)
    nb.metadata.update({"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                        "dlfs": {"assignment": spec.assignment_id, "version": spec.version,
                                 "source": f"assignments/{spec.folder}/tasks.toml"}})
    for cell in nb.cells:
        # Hand-written source cells are easier to diff as one string than as lines.
        cell.source = cell.source.rstrip("\n")
    return nb
