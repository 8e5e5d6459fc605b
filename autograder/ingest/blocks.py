"""Definitions written inside top-level `if`, `try` and `with` blocks.

Students wrap definitions in blocks for ordinary reasons: `try: import cupy as np` /
`except ImportError: import numpy as np`, an `if True:` left over from toggling code, a
`with np.errstate(...):` around a helper. Such a block is opened: what it defines is
kept by the same rules as top-level statements, everything else in it becomes `pass`
(and is counted as skipped), and it stays on its lines, so tracebacks keep their lines.

- `if`: opened only when its test is constant (a literal, or built from kept names), and
  kept as written, so the test decides at load time as it would in the notebook; a
  literal test's dead branch is dropped here. A test that runs code (`if train():`,
  `if __name__ == "__main__":`) leaves the block skipped whole: the graded module is
  imported, not run as a script, and its condition cannot be known here.
- `try`: each clause runs in turn (`try:`, `except ...:`, `else:`, `finally:` become
  `if True:`). Skipped statements can no longer raise, so the handler a grading run
  needs would otherwise never run; it is the later clause, so its definitions win
  (`import numpy as np` after the failed `import cupy as np`).
- `with`: the header becomes `if True:`; a context manager changes nothing that a def,
  a class or an import binds.

Nested blocks are opened by the same rules; loops and the rest are skipped whole.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from autograder.ingest.emit import guarded_import
from autograder.ingest.model import Cell, Definition, Edit, split_lines
from autograder.ingest.rules import bindings, is_constant, is_local_check, rebound_names

BLOCK_KIND = {ast.If: "if", ast.Try: "try", ast.TryStar: "try", ast.With: "with"}
COMPOUND = (ast.If, ast.Try, ast.TryStar, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor,
            ast.While, ast.Match)
DEFINING = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class BlockPlan:
    """What opening one block keeps, in source order, and how its text changes."""

    # Each inner statement that runs, with what it defines (None: skipped).
    steps: list[tuple[ast.stmt, list[Definition] | None]] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    # Nested blocks skipped whole although they define names: (line, kind, names).
    hidden: list[tuple[int, str, list[str]]] = field(default_factory=list)

    @property
    def keeps_anything(self) -> bool:
        return any(bound is not None for _, bound in self.steps)


def block_kind(stmt: ast.stmt) -> str:
    return BLOCK_KIND.get(type(stmt), "")


def open_block(stmt: ast.stmt, cell: Cell, usable: Mapping[str, Definition]) -> BlockPlan | None:
    """The plan for a top-level block, or None when it must be skipped whole.

    `usable` is only read: the caller replays the plan's steps to change its own state.
    The published check cell's try statement is not opened: it is skipped as a local check."""
    if is_local_check(stmt):
        return None
    return _Planner(cell).open(stmt, _Overlay(usable))


def hidden_definitions(stmt: ast.stmt) -> list[str]:
    """Names a compound statement defines in its bodies (not inside its own defs)."""
    names: list[str] = []
    stack = [stmt] if isinstance(stmt, COMPOUND) else []
    while stack:
        node = stack.pop()
        for body in _bodies(node):
            for inner in body:
                if isinstance(inner, DEFINING):
                    names.append(inner.name)
                elif isinstance(inner, COMPOUND):
                    stack.append(inner)
    return sorted(set(names))


def _bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    if isinstance(node, ast.Match):
        yield from (case.body for case in node.cases)
        return
    for name in ("body", "orelse", "finalbody"):
        yield getattr(node, name, [])
    for handler in getattr(node, "handlers", []):
        yield handler.body


class _Overlay(Mapping):
    """Names bound and unbound while planning, over the caller's usable names."""

    def __init__(self, base: Mapping[str, Definition]):
        self.base, self.added, self.removed = base, {}, set()

    def __getitem__(self, name: str) -> Definition:
        if name in self.added:
            return self.added[name]
        if name in self.removed:
            raise KeyError(name)
        return self.base[name]

    def __iter__(self):
        yield from self.added
        yield from (n for n in self.base if n not in self.added and n not in self.removed)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def bind(self, name: str, definition: Definition) -> None:
        self.added[name] = definition
        self.removed.discard(name)

    def unbind(self, name: str) -> None:
        self.added.pop(name, None)
        self.removed.add(name)


class _Planner:
    def __init__(self, cell: Cell):
        self.cell = cell
        self.lines = [line.encode("utf-8") for line in split_lines(cell.source)]

    def open(self, stmt: ast.stmt, usable: _Overlay) -> BlockPlan | None:
        plan = BlockPlan()
        if isinstance(stmt, ast.If):
            if not is_constant(stmt.test, usable):
                return None
            literal = isinstance(stmt.test, ast.Constant)
            truth = bool(stmt.test.value) if literal else None
            self._body(stmt.body, plan, usable, live=truth is not False)
            self._body(stmt.orelse, plan, usable, live=truth is not True)
        elif isinstance(stmt, ast.With):
            self._header(plan, stmt.lineno, stmt.col_offset, stmt.body[0])
            self._body(stmt.body, plan, usable)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            self._try(stmt, plan, usable)
        else:
            return None
        return plan

    def _try(self, stmt: ast.Try | ast.TryStar, plan: BlockPlan, usable: _Overlay) -> None:
        self._header(plan, stmt.lineno, stmt.col_offset, stmt.body[0])
        self._body(stmt.body, plan, usable)
        previous = stmt.body
        for handler in stmt.handlers:
            self._header(plan, handler.lineno, handler.col_offset, handler.body[0])
            self._body(handler.body, plan, usable)
            previous = handler.body
        for clause in (stmt.orelse, stmt.finalbody):
            if clause:
                # `else:` and `finally:` have no position in the tree: the header is the
                # first line of code between the previous clause and this one's body.
                line, col = self._keyword_after(previous[-1].end_lineno, clause[0])
                self._header(plan, line, col, clause[0])
                self._body(clause, plan, usable)
                previous = clause

    def _body(self, body: list[ast.stmt], plan: BlockPlan, usable: _Overlay,
              live: bool = True) -> None:
        for stmt in body:
            if not live:
                # Never runs, in the notebook or here: gone, neither kept nor counted.
                plan.edits.append(self._replace(stmt, "pass"))
            elif isinstance(stmt, ast.Pass):
                continue  # `except ImportError: pass` stays as it is, uncounted
            elif type(stmt) in BLOCK_KIND:
                self._nested(stmt, plan, usable)
            else:
                self._simple(stmt, plan, usable)

    def _nested(self, stmt: ast.stmt, plan: BlockPlan, usable: _Overlay) -> None:
        inner_usable = _Overlay(usable)
        inner = self.open(stmt, inner_usable)
        if inner is not None and inner.keeps_anything:
            plan.steps += inner.steps
            plan.edits += inner.edits
            plan.hidden += inner.hidden
            for name in inner_usable.removed - inner_usable.added.keys():
                usable.unbind(name)
            for name, definition in inner_usable.added.items():
                usable.bind(name, definition)
            return
        if inner is None:
            if names := hidden_definitions(stmt):
                plan.hidden.append((stmt.lineno, block_kind(stmt), names))
        else:
            plan.hidden += inner.hidden  # what it could keep it would have kept
        self._skip(stmt, plan, usable)

    def _simple(self, stmt: ast.stmt, plan: BlockPlan, usable: _Overlay) -> None:
        bound = bindings(stmt, self.cell.number, usable)
        if bound is None:
            if names := hidden_definitions(stmt):
                plan.hidden.append((stmt.lineno, _kind_name(stmt), names))
            self._skip(stmt, plan, usable)
            return
        plan.steps.append((stmt, bound))
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            plan.edits.append(self._replace(stmt, guarded_import(self.cell.label, stmt)))
        for definition in bound:
            if definition.name != "*":
                usable.bind(definition.name, definition)

    def _skip(self, stmt: ast.stmt, plan: BlockPlan, usable: _Overlay) -> None:
        plan.steps.append((stmt, None))
        plan.edits.append(self._replace(stmt, "pass"))
        for name in rebound_names(stmt):
            usable.unbind(name)

    def _replace(self, stmt: ast.stmt, text: str) -> Edit:
        decorators = getattr(stmt, "decorator_list", [])
        first = min([stmt.lineno] + [d.lineno for d in decorators])
        return Edit(first, stmt.col_offset, stmt.end_lineno, stmt.end_col_offset, text)

    def _header(self, plan: BlockPlan, line: int, col: int, first: ast.stmt) -> None:
        """Turn a clause header that starts at (line, col) into `if True:`."""
        body_line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
        if self.lines[body_line - 1][:first.col_offset].strip():
            # `try: import cupy as np`: the body shares the header's last line.
            plan.edits.append(Edit(line, col, body_line, first.col_offset, "if True: "))
        else:
            end = body_line - 1
            plan.edits.append(Edit(line, col, end, len(self.lines[end - 1]), "if True:"))

    def _keyword_after(self, after: int, first: ast.stmt) -> tuple[int, int]:
        body_line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
        for number in range(after + 1, body_line + 1):
            text = self.lines[number - 1]
            code = text.lstrip()
            if code and not code.startswith(b"#"):
                return number, len(text) - len(code)
        return body_line, 0  # not reached: the keyword is on the body's line at the latest


def _kind_name(stmt: ast.stmt) -> str:
    kind = block_kind(stmt)
    return kind or type(stmt).__name__.lower().removeprefix("async")
