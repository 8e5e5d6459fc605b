"""A chapter's reference as a student would paste it: one notebook cell per module.

The modules a chapter's package needs (its own and those of earlier chapters it imports)
come in dependency order, with package-relative imports dropped: in one notebook
namespace the imported names already exist, and only a renaming import needs a line.
The reference-as-notebook test, the mutation runner and publishing all start from this,
so what they grade is the code the reference proves.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from .chapters import chapters_root


@dataclass(frozen=True)
class ModuleSource:
    path: Path          # the reference module's file
    name: str           # its path under the reference package, e.g. "ch05_backprop/layers"
    source: str         # the module as a notebook cell (relative imports dropped)


def chapter_sources(chapter_dir: Path) -> list[ModuleSource]:
    """The modules the chapter package imports, dependencies first, as notebook cells."""
    root = chapters_root().resolve()
    order: list[Path] = []
    visiting: set[Path] = set()

    def visit(path: Path) -> None:
        if path in order or path in visiting:
            return
        visiting.add(path)
        for dependency in _relative_dependencies(path, root):
            visit(dependency)
        visiting.discard(path)
        if path.name != "__init__.py":
            order.append(path)

    visit((chapter_dir / "__init__.py").resolve())
    return [ModuleSource(p, p.relative_to(root).with_suffix("").as_posix(), _as_cell(p))
            for p in order]


def _relative_dependencies(path: Path, root: Path) -> list[Path]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            package = path.parent
            for _ in range(node.level - 1):
                package = package.parent
            base = package.joinpath(*node.module.split(".")) if node.module else package
            target = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
            if target.is_file() and target.resolve().is_relative_to(root):
                found.append(target.resolve())
    return found


def _as_cell(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    drop: set[int] = set()
    renames: dict[int, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            drop.update(range(node.lineno - 1, node.end_lineno))
            renames[node.lineno - 1] = [f"{a.asname} = {a.name}" for a in node.names
                                        if a.asname and a.asname != a.name]
    out = []
    for index, line in enumerate(lines):
        out += renames.get(index, [])
        if index not in drop:
            out.append(line)
    return "\n".join(out).strip() + "\n"
