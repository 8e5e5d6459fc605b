"""The student's own code for each graded item: kept with the result, shown on the page,
compared across the class (similarity.py).

Taken from ingest's kept blocks, whose lines are the notebook cell's lines, so a
traceback's `File "<cell 5>", line 3` points into it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..ingest.model import Definition
from ..text import clip

MAX_ITEM_SOURCE = 20 * 1024      # characters of one item's code kept with the result
_CELL_LABEL = re.compile(r"^cell (\d+)$")
# Where a traceback or a load error names a line of the student's notebook.
_LINE_REFS = (re.compile(r'File "<cell (\d+)>", line (\d+)'),
              re.compile(r"\bcell (\d+), line (\d+)"))


@dataclass(frozen=True)
class ItemSource:
    """The definition graded for one item: its code, starting at `line` of cell `cell`."""
    cell: int
    line: int
    code: str


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
    by_cell = {int(m.group(1)): source for label, source in blocks
               if (m := _CELL_LABEL.match(label))}
    out: dict[str, ItemSource] = {}
    for item, name in bindings.items():
        definition = definitions.get(name)
        for _ in range(3):  # an alias points at the definition that holds the code
            if definition is None or definition.kind != "alias" or not definition.target:
                break
            definition = definitions.get(definition.target) or definition
            if definition.kind != "alias":
                break
        if definition is None or definition.cell not in by_cell:
            continue
        found = _find(by_cell[definition.cell], definition.name, definition.line)
        if found:
            out[item] = ItemSource(definition.cell, found[0], clip(found[1], MAX_ITEM_SOURCE))
    return out


def failing_lines(source: ItemSource, messages: list[str]) -> set[int]:
    """Lines of `source.code` (from 1) that a message names as where it failed."""
    last = source.line + source.code.count("\n")
    marked = set()
    for message in messages:
        for pattern in _LINE_REFS:
            for cell, line in pattern.findall(message):
                if int(cell) == source.cell and source.line <= int(line) <= last:
                    marked.add(int(line) - source.line + 1)
    return marked
