"""A hidden test's title: the chapter's catalog entry when it has one, else its docstring.

A chapter's messages.toml may give each test a title in both languages under
`title.<assignment>.<file>__<function>`; a test without one is titled by the first line
of its docstring (else its function name), shown as written.
"""

from __future__ import annotations

from ..feedback import Part, Verbatim, msg
from ..messages import CATALOG


def title_key(test_id: str, assignment_id: str | None) -> str:
    """`title.<assignment>.<file>__<function>` without the test_ prefixes: the catalog key of
    a hidden test's title ("test_softmax.py::test_book_example" -> "softmax__book_example";
    a function name alone repeats across a chapter's files)."""
    path, _, function = test_id.partition("::")
    stem = path.rsplit("/", 1)[-1].removesuffix(".py").removeprefix("test_")
    function = function.split("[", 1)[0].removeprefix("test_")
    return f"title.{assignment_id}.{stem}__{function}".lower()


def title_of(test_id: str, assignment_id: str | None, docstring: str | None, name: str) -> Part:
    """The title of the test `test_id` (its function `name`, documented by `docstring`)."""
    key = title_key(test_id, assignment_id)
    if assignment_id and key in CATALOG:
        return msg(key)
    lines = [line.strip() for line in (docstring or "").strip().splitlines() if line.strip()]
    return Verbatim(lines[0] if lines else name)

