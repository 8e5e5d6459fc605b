"""The `student` fixture: the submission seen under the book's names.

Hidden tests write `student.softmax(x)`. The view maps that book name to whatever the
student called it (an alias such as `ce_loss`), and refuses items that are missing,
imported instead of written, or not callable, with the message the report shows.
"""

from __future__ import annotations


class ItemUnavailable(Exception):
    """The graded item cannot be called; the message says why (already localised)."""


class StudentView:
    def __init__(self, module, bindings: dict[str, str] | None = None,
                 unavailable: dict[str, str] | None = None):
        # `module` is a sandbox ModuleProxy in grading, or a plain module in our own tests.
        self._module = module
        self._bindings = dict(bindings or {})
        self._unavailable = dict(unavailable or {})

    def __getattr__(self, book_name: str):
        if book_name.startswith("_"):
            raise AttributeError(book_name)
        if book_name in self._unavailable:
            raise ItemUnavailable(self._unavailable[book_name])
        return getattr(self._module, self._bindings.get(book_name, book_name))
