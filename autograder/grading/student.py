"""The `student` fixture: the submission seen under the book's names.

Hidden tests write `student.softmax(x)`. The view maps that book name to whatever the
student called it (an alias such as `ce_loss`), and refuses items that are missing,
imported instead of written, or not callable, with the message the report shows.

Calls get copies of the test's arrays, lists and dicts: a student function that changes
its input in place (`y -= t`) must not change the expected value the test computes next,
nor the inputs the report shows. A test about in-place behaviour itself (is x restored?
does update() change params?) asks for `student.inplace`, where the student's changes
reach the test's own objects, as they would in a notebook.
"""

from __future__ import annotations

import numpy as np

from ..sandbox.proxy import Handle, remote_type


class ItemUnavailable(Exception):
    """The graded item cannot be called; the message says why (already localised)."""


class StudentView:
    def __init__(self, module, bindings: dict[str, str] | None = None,
                 unavailable: dict[str, str] | None = None, *, inplace: bool = False):
        # `module` is a sandbox ModuleProxy in grading, or a plain module in our own tests.
        self._module = module
        self._bindings = dict(bindings or {})
        self._unavailable = dict(unavailable or {})
        self._inplace = inplace

    @property
    def inplace(self) -> StudentView:
        """The same submission, with the student's in-place changes reaching the caller."""
        return StudentView(self._module, self._bindings, self._unavailable, inplace=True)

    def __getattr__(self, book_name: str):
        if book_name.startswith("_"):
            raise AttributeError(book_name)
        if book_name in self._unavailable:
            raise ItemUnavailable(self._unavailable[book_name])
        value = getattr(self._module, self._bindings.get(book_name, book_name))
        return value if self._inplace else _shield(value)


def _copied(value):
    """The test's mutable data copied; everything else (callables, handles) as it is."""
    if isinstance(value, Shielded):
        return object.__getattribute__(value, "_target")
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


_DATA = (np.ndarray, np.generic, int, float, complex, str, bytes, list, tuple, dict, type(None))


def _shield(value):
    # Data comes back as it is; anything else is the student's (a function, a class, an
    # instance, or a sandbox Handle to one) and keeps copying arguments.
    return value if isinstance(value, _DATA) else Shielded(value)


class Shielded:
    """A student function, class or object whose calls receive copies of their arguments.

    Objects the calls return (student instances) are shielded too, so `net.loss(x, t)`
    on a network made through the view copies x and t as well.
    """

    __slots__ = ("_target",)

    def __init__(self, target):
        object.__setattr__(self, "_target", target)

    def __call__(self, *args, **kwargs):
        target = object.__getattribute__(self, "_target")
        return _shield(target(*_copied(args), **_copied(kwargs)))

    def __getattr__(self, name):
        return _shield(getattr(object.__getattribute__(self, "_target"), name))

    def __setattr__(self, name, value):
        setattr(object.__getattribute__(self, "_target"), name, value)

    def __getitem__(self, key):
        return _shield(object.__getattribute__(self, "_target")[key])

    def __setitem__(self, key, value):
        object.__getattribute__(self, "_target")[key] = value

    def __repr__(self):
        return repr(object.__getattribute__(self, "_target"))


def kind_of(value) -> str:
    """The type a student returned, as the student would name it (not our wrappers')."""
    if isinstance(value, Shielded):
        value = object.__getattribute__(value, "_target")
    if isinstance(value, Handle):
        return remote_type(value)
    return type(value).__name__
