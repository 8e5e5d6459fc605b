"""The student's own code for each graded item: kept with the result, shown on the page,
compared across the class (report/similarity.py).

Taken from ingest's kept blocks, whose lines are the notebook cell's lines, so a failure's
Where(cell, line) or a load error's (label, line) points into it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..text import clip
from .model import Cell, Definition

MAX_ITEM_SOURCE = 20 * 1024      # characters of one item's code kept with the result


@dataclass(frozen=True)
class ItemSource:
    """The definition graded for one item: its code, starting at `line` of cell `cell`."""
    cell: int
    line: int
    code: str

    @property
    def last_line(self) -> int:
        return self.line + self.code.count("\n")


def cell_label(number: int) -> str:
    """The label ingest gives cell `number`'s block (and a load error names it by)."""
    return Cell(number, "").label


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    targets = node.targets if isinstance(node, ast.Assign) else (
        [node.target] if isinstance(node, ast.AnnAssign) else [])
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def _top_level(tree: ast.Module):
    """Top-level statements, and those one block down (if / try / with), as ingest keeps them."""
    for node in tree.body:
        yield node
        for field in ("body", "orelse", "finalbody"):
            yield from (n for n in getattr(node, field, ()) if isinstance(n, ast.stmt))
        for handler in getattr(node, "handlers", ()):
            yield from handler.body


def _find(source: str, name: str, line: int) -> tuple[int, str] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = [n for n in _top_level(tree) if _defines(n, name)]
    if not found:
        return None
    node = next((n for n in found if n.lineno == line), found[-1])
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])
    lines = source.splitlines()[start - 1:node.end_lineno]
    indent = min((len(s) - len(s.lstrip()) for s in lines if s.strip()), default=0)
    return start, "\n".join(s[indent:] for s in lines)


def item_sources(blocks: list[tuple[str, str]], definitions: dict[str, Definition],
                 bindings: dict[str, str]) -> dict[str, ItemSource]:
    """item -> the code of the student's definition bound to it (an alias: what it names)."""
    by_label = dict(blocks)
    out: dict[str, ItemSource] = {}
    for item, name in bindings.items():
        definition = definitions.get(name)
        for _ in range(3):  # an alias points at the definition that holds the code
            if definition is None or definition.kind != "alias" or not definition.target:
                break
            definition = definitions.get(definition.target) or definition
            if definition.kind != "alias":
                break
        source = by_label.get(cell_label(definition.cell)) if definition is not None else None
        if source is None:
            continue
        found = _find(source, definition.name, definition.line)
        if found:
            out[item] = ItemSource(definition.cell, found[0], clip(found[1], MAX_ITEM_SOURCE))
    return out
