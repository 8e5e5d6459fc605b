"""When a test of one item fails because of another graded item, say where to look.

Items call each other: `simpleNet.loss` calls the student's `cross_entropy_error`,
`SimpleConvNet` every layer. An exception raised inside another graded item is that
item's to fix; the sentence here names it, with its cell and line. The score is not
touched: the test failed, whichever function was wrong.
"""

from __future__ import annotations

import re

from ..messages import say
from ..sandbox.errors import StudentRaised

# Labels ingest gives the student's blocks; the prelude and anything else name no cell.
_CELL_LABEL = re.compile(r"cell (\d{1,6})")


def _owners(bindings: dict[str, str]) -> dict[str, set[str]]:
    """Student name -> the graded items (book names) it stands for."""
    owners: dict[str, set[str]] = {}
    for book, student_name in bindings.items():
        owners.setdefault(student_name, set()).add(book)
    return owners


def raised_in_other_item(exc: StudentRaised, item: str, bindings: dict[str, str]) -> str:
    """The sentence naming the other graded item `exc` was raised in, or "".

    The innermost of the student's frames that belongs to a graded item decides (a
    helper of the student's own, not graded, is part of the item that called it): when
    that item is the test's own, the test's item is where to look, and nothing is said.
    A frame belongs to the item whose student name is the first part of its qualified
    name ("Affine" for "Affine.forward").
    """
    owners = _owners(bindings)
    for label, line, qualname in reversed(getattr(exc, "frames", ())):
        name = qualname.split(".", 1)[0]
        books = owners.get(name)
        if not books:
            continue
        cell = _CELL_LABEL.fullmatch(label)
        if item in books or cell is None:
            return ""
        return say("grading.root.raised_in_other_item", name=name, cell=cell.group(1), line=line)
    return ""
