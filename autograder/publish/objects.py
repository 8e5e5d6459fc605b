"""A chapter's reference, cut into its top-level objects, and rendered with solution regions.

The modules come from reference_source.chapter_sources (dependency order, as notebook
cells); each top-level def, class or assignment becomes one named object, with the
comment lines right above it. An object is rendered one of three ways:

    given             as it is (starter code: a constant, a small utility)
    solution          wholly inside ### BEGIN/END SOLUTION (a helper the student writes)
    solution bodies   signatures kept, every function body a solution region; a class's
                      other statements (docstring, constants) and its private helper
                      methods (`_build`) are a region too, so their design is the student's

so the solution regions are the reference's own lines, never a copy that can drift.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from ..reference_source import chapter_sources

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class ObjectError(ValueError):
    """A reference module has a statement publishing does not know how to place."""


@dataclass(frozen=True)
class RefObject:
    name: str
    module: str            # path under reference/, e.g. "ch03_neural_networks/activations"
    order: int             # position in the chapter's notebook order
    node: ast.stmt
    lines: tuple           # the module cell's lines
    start: int             # first line (0-based), leading comment lines included
    end: int               # one past the last line

    @property
    def text(self) -> str:
        return "\n".join(self.lines[self.start:self.end])


@dataclass(frozen=True)
class ChapterCode:
    imports: tuple         # import statements, deduplicated, in order
    objects: dict          # name -> RefObject


def chapter_code(chapter_dir: Path) -> ChapterCode:
    imports: list[str] = []
    objects: dict[str, RefObject] = {}
    order = 0
    for module in chapter_sources(chapter_dir):
        lines = tuple(module.source.splitlines())
        for node in ast.parse(module.source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                text = "\n".join(lines[node.lineno - 1:node.end_lineno])
                if text not in imports:
                    imports.append(text)
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # the module docstring
            for name in _names(node, module.name):
                if name in objects:
                    raise ObjectError(f"{module.name}: {name} is defined twice in the chapter")
                objects[name] = RefObject(name, module.name, order, node, lines,
                                          _leading_comments(lines, _first_line(node)),
                                          node.end_lineno)
                order += 1
    return ChapterCode(tuple(imports), objects)


def _names(node: ast.stmt, module: str) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
        return [node.targets[0].id]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    raise ObjectError(f"{module}, line {node.lineno}: a top-level {type(node).__name__} "
                      f"is not a definition publishing can place")


def _first_line(node: ast.stmt) -> int:
    """0-based index of the node's first line, decorators included."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators]) - 1


def _leading_comments(lines, first: int) -> int:
    start = first
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _header_end(lines, first: int) -> int:
    """One past the last line of the `def ...:` / `class ...:` header starting at `first`."""
    text = "\n".join(lines[first:]) + "\n"
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    seen_keyword = False
    for token in tokens:
        if token.type == tokenize.NAME and token.string in ("def", "class"):
            seen_keyword = True
        elif seen_keyword and token.type == tokenize.NEWLINE:
            return first + token.start[0]
    raise ObjectError(f"no end of header after line {first + 1}")


def _region(body: list[str], indent: str) -> list[str]:
    return [indent + BEGIN, *body, indent + END]


def as_given(obj: RefObject) -> str:
    return obj.text


def as_solution(*objects: RefObject) -> str:
    """Objects wholly inside one region (neighbouring helpers need only one stub)."""
    lines: list[str] = []
    for obj in objects:
        lines += ([""] * 2 if lines else []) + list(obj.lines[obj.start:obj.end])
    return "\n".join(_region(lines, ""))


def with_solution_bodies(obj: RefObject) -> str:
    node = obj.node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return "\n".join(_function(obj.lines, obj.start, node))
    if isinstance(node, ast.ClassDef):
        return "\n".join(_class(obj.lines, obj.start, node))
    raise ObjectError(f"{obj.name}: only a function or class has a body to leave out")


def _function(lines, start: int, node) -> list[str]:
    header_end = _header_end(lines, _first_line(node))
    indent = " " * node.body[0].col_offset
    return [*lines[start:header_end], *_region(list(lines[header_end:node.end_lineno]), indent)]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _class(lines, start: int, node: ast.ClassDef) -> list[str]:
    header_end = _header_end(lines, _first_line(node))
    out = list(lines[start:header_end])
    indent = " " * node.body[0].col_offset
    pending: list[str] = []       # class-level statements not yet closed into a region
    cursor = header_end
    for stmt in node.body:
        first = _leading_comments(lines, _first_line(stmt))
        gap = [line for line in lines[cursor:first] if not line.strip()]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _private(stmt.name):
            if pending:
                out += _region(pending, indent)
                pending = []
            out += gap + _function(lines, first, stmt)
        else:
            if pending:
                pending += gap
            else:
                out += gap
            pending += list(lines[first:stmt.end_lineno])
        cursor = stmt.end_lineno
    if pending:
        out += _region(pending, indent)
    return out
