"""The words of a notebook (task headings, introductions, the check cell), from Jinja templates.

Templates get plain data and only lay it out; a heading in Korean and English is written
once, here, for every chapter.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                              autoescape=False)


def render(name: str, **data) -> str:
    return _environment().get_template(name).render(**data).strip() + "\n"


def points_text(points: float | None) -> str:
    return f"{points:g}" if points else ""
