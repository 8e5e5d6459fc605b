"""Where the chapters live: the folders of the `reference` package that hold an assignment.toml.

A chapter folder is everything that decides its grades (reference modules, assignment
config, hidden suite, hints and their sentences). It is found as package data through
importlib.resources, never through a path outside the package, so an installed grader
(a wheel on a worker, a Gradescope image) finds the same chapters as a checkout.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGE = "reference"
CONFIG_NAME = "assignment.toml"
MESSAGES_NAME = "messages.toml"


def chapters_root() -> Path:
    return Path(str(importlib.resources.files(PACKAGE)))


def chapter_dirs(root: Path | None = None) -> list[Path]:
    """Every chapter folder under `root` (default: the reference package), sorted by name."""
    root = root or chapters_root()
    return sorted(p.parent for p in root.glob(f"*/{CONFIG_NAME}")) if root.is_dir() else []


def package_of(chapter_dir: Path) -> str | None:
    """The dotted name a chapter folder imports as, when it is one of the package's own."""
    try:
        chapter_dir.resolve().relative_to(chapters_root().resolve())
    except ValueError:
        return None
    return f"{PACKAGE}.{chapter_dir.name}" if (chapter_dir / "__init__.py").is_file() else None
