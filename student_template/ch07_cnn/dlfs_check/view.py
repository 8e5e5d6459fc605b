"""The `student` a public test sees: the notebook's definitions under the book's names.

`student.softmax(x)` finds softmax (or an alias the assignment accepts, such as
`ce_loss` for cross_entropy_error) among the notebook's definitions. As in grading, calls
get copies of the test's arrays, so a function that changes its input in place cannot
change what the test compares next; `student.inplace` lets the student's changes reach the
test's own objects, for the tests about in-place behaviour (an optimizer's update).
"""

from __future__ import annotations

import numpy as np


class NotDefined(Exception):
    """The item is not in the notebook under its name or an alias."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(name)


class Imported(Exception):
    """The item is there, but imported from a module instead of written in the notebook."""

    def __init__(self, name: str, module: str):
        self.name, self.module = name, module
        super().__init__(f"{name} from {module}")


class NotCallable(Exception):
    """The item's name holds a value, not a function or class."""

    def __init__(self, name: str, kind: str):
        self.name, self.kind = name, kind
        super().__init__(f"{name}: {kind}")


class StudentCode:
    def __init__(self, namespace: dict, aliases: dict | None = None, *, inplace: bool = False):
        self._namespace = namespace
        self._aliases = dict(aliases or {})
        self._inplace = inplace

    @property
    def inplace(self) -> StudentCode:
        return StudentCode(self._namespace, self._aliases, inplace=True)

    def __getattr__(self, book_name: str):
        if book_name.startswith("_"):
            raise AttributeError(book_name)
        for name in [book_name, *self._aliases.get(book_name, [])]:
            if name in self._namespace:
                value = self._namespace[name]
                home = self._namespace.get("__name__")
                module = getattr(value, "__module__", home)
                if not callable(value):
                    raise NotCallable(book_name, type(value).__name__)
                if module != home:
                    # Written in the notebook means defined in its namespace (its __name__).
                    raise Imported(book_name, str(module))
                return value if self._inplace else _guard(value)
        raise NotDefined(book_name)


def _copy(value):
    if isinstance(value, Guarded):
        return object.__getattribute__(value, "_target")
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


_DATA = (np.ndarray, np.generic, int, float, complex, str, bytes, list, tuple, dict, type(None))


def _guard(value):
    return value if isinstance(value, _DATA) else Guarded(value)


class Guarded:
    """A student function, class or object whose calls get copies of their arguments."""

    __slots__ = ("_target",)

    def __init__(self, target):
        object.__setattr__(self, "_target", target)

    def __call__(self, *args, **kwargs):
        target = object.__getattribute__(self, "_target")
        return _guard(target(*_copy(args), **_copy(kwargs)))

    def __getattr__(self, name):
        return _guard(getattr(object.__getattribute__(self, "_target"), name))

    def __setattr__(self, name, value):
        setattr(object.__getattribute__(self, "_target"), name, value)

    def __getitem__(self, key):
        return _guard(object.__getattribute__(self, "_target")[key])

    def __repr__(self):
        return repr(object.__getattribute__(self, "_target"))
