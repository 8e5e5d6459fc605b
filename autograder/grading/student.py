"""The `student` fixture: the submission seen under the book's names.

Hidden tests write `student.softmax(x)`. The view maps that book name to whatever the
student called it (an alias such as `ce_loss`), and refuses items that are missing,
imported instead of written, or not callable, with the message the report shows.

Calls get copies of the test's arrays, lists and dicts: a student function that changes
its input in place (`y -= t`) must not change the expected value the test computes next,
nor the inputs the report shows. A test about in-place behaviour itself (is x restored?
does update() change params?) asks for `student.inplace`, where the student's changes
reach the test's own objects, as they would in a notebook.

A class whose constructor refuses the book's keyword arguments only because the student
named its parameters differently (`TwoLayerNet(input_size=...)` against `__init__(self,
n_in, ...)`) is built again with the same values by position, in the order of the
reference's signature (`orders`, handed in by the caller: this module imports no
reference), so the item's other tests still run; the test's outcome carries a note.
"""

from __future__ import annotations

import numpy as np

from ..feedback import Part, msg
from ..sandbox.errors import StudentRaised
from ..sandbox.proxy import Handle, remote_type


class ItemUnavailable(Exception):
    """The graded item cannot be called; `reason` says why (a message, or text as given)."""

    def __init__(self, reason: Part | str):
        self.reason = reason
        super().__init__(reason)


class StudentView:
    def __init__(self, module, bindings: dict[str, str] | None = None,
                 unavailable: dict[str, Part | str] | None = None, *, inplace: bool = False,
                 orders: dict[str, tuple[str, ...]] | None = None, salt: bytes = b""):
        # `module` is a sandbox ModuleProxy in grading, or a plain module in our own tests.
        # `orders`: for a class item, the reference constructor's parameter names in order.
        # `salt`: what resident.seed_numpy mixes into the seeds a suite asks for (inputs.py).
        self._module = module
        self._bindings = dict(bindings or {})
        self._unavailable = dict(unavailable or {})
        self._inplace = inplace
        self._orders = dict(orders or {})
        self._salt = salt

    @property
    def inplace(self) -> StudentView:
        """The same submission, with the student's in-place changes reaching the caller."""
        return StudentView(self._module, self._bindings, self._unavailable, inplace=True,
                           orders=self._orders, salt=self._salt)

    def __getattr__(self, book_name: str):
        if book_name.startswith("_"):
            raise AttributeError(book_name)
        if book_name in self._unavailable:
            raise ItemUnavailable(self._unavailable[book_name])
        value = getattr(self._module, self._bindings.get(book_name, book_name))
        if self._inplace:
            return value
        if book_name in self._orders and not isinstance(value, _DATA):
            return Shielded(value, (book_name, self._orders[book_name]))
        return _shield(value)


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

    __slots__ = ("_target", "_book")

    def __init__(self, target, book: tuple[str, tuple[str, ...]] | None = None):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_book", book)  # (book name, reference parameter order)

    def __call__(self, *args, **kwargs):
        target = object.__getattribute__(self, "_target")
        try:
            return _shield(target(*_copied(args), **_copied(kwargs)))
        except (TypeError, StudentRaised) as exc:
            book = object.__getattribute__(self, "_book")
            positional = _by_position(target, exc, book, args, kwargs)
            if positional is None:
                raise
        result = _shield(target(*_copied(positional)))
        # checks imports this module, so its note() is looked up only when it is needed.
        from .checks import note
        note(msg("grading.constructor_positional", name=book[0],
                 keywords=", ".join(f"{k}=" for k in kwargs)))
        return result

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


def _by_position(target, exc: Exception, book: tuple[str, tuple[str, ...]] | None,
                 args: tuple, kwargs: dict) -> tuple | None:
    """The same call with its keyword arguments moved to their positions in the book's
    signature, or None when a retry is not clearly the same call: only a class, only for
    a TypeError about an unexpected keyword argument, only when every keyword is one of
    the book's and they fill the positions right after the positional arguments."""
    if book is None or not kwargs or not _is_class(target):
        return None
    kind = exc.exc_type if isinstance(exc, StudentRaised) else type(exc).__name__
    text = exc.message if isinstance(exc, StudentRaised) else str(exc)
    if kind != "TypeError" or "unexpected keyword argument" not in text:
        return None
    order = book[1]
    if not set(kwargs) <= set(order):
        return None
    places = sorted(order.index(k) for k in kwargs)
    if places != list(range(len(args), len(args) + len(kwargs))):
        return None
    return tuple(args) + tuple(kwargs[order[i]] for i in places)


def _is_class(target) -> bool:
    if isinstance(target, Handle):
        return remote_type(target) == "type"
    return isinstance(target, type)


def kind_of(value) -> str:
    """The type a student returned, as the student would name it (not our wrappers')."""
    if isinstance(value, Shielded):
        value = object.__getattribute__(value, "_target")
    if isinstance(value, Handle):
        return remote_type(value)
    return type(value).__name__
