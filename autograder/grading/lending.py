"""A reference class written out as one block of source, to be defined in the student's module.

A function is lent to the sandbox as a call back into the grader (sandbox/substitute.py);
a class cannot be: its instances hold state and are handed around by student code. To ask
"would this network test pass with a correct `Affine`?", the reference's class itself is
defined in the student's module under the student's name, from its source, for one rerun
of the test; the process is restarted afterwards (substitute.defined), so nothing built
with it survives.

The block is self-contained and leaves one global behind, the class: everything the class
reads from its module (numpy, the reference functions it calls, constants) is defined
inside a wrapper function whose locals the class's methods close over, so the student's
own globals (a `softmax` of theirs, their `np`) are neither read nor replaced.
"""

from __future__ import annotations

import inspect
import textwrap
import types

_WRAPPER = "_dlfs_reference_loan"


def _names_read(code: types.CodeType) -> set[str]:
    """Global (and closure-free) names a code object and those nested in it read."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_read(const)
    return names


def _code_objects(obj) -> list[types.CodeType]:
    if inspect.isclass(obj):
        return [member.__code__ for member in vars(obj).values()
                if isinstance(member, (types.FunctionType, staticmethod, classmethod))
                and hasattr(member, "__code__")] + [
            member.__func__.__code__ for member in vars(obj).values()
            if isinstance(member, (staticmethod, classmethod))]
    return [obj.__code__]


def _is_reference(obj) -> bool:
    return (getattr(obj, "__module__", "") or "").split(".")[0] == "reference"


def class_block(cls: type, as_name: str) -> str:
    """Source that defines the reference class `cls` as the global `as_name`, with what it
    reads from its module (transitively) defined privately. ValueError when a global it
    reads cannot be written out (then nothing is lent)."""
    lines: list[str] = []      # imports and constants first, then definitions
    definitions: list[str] = []
    done: set[tuple[str, str]] = set()

    def need(obj) -> None:
        namespace = vars(inspect.getmodule(obj))
        for name in sorted(set().union(*map(_names_read, _code_objects(obj)))):
            if name not in namespace or (obj.__module__, name) in done:
                continue
            done.add((obj.__module__, name))
            value = namespace[name]
            if isinstance(value, types.ModuleType):
                lines.append(f"import {value.__name__} as {name}")
            elif isinstance(value, (int, float, str, bool)) and not isinstance(value, type):
                lines.append(f"{name} = {value!r}")
            elif _is_reference(value) and (inspect.isfunction(value) or inspect.isclass(value)):
                need(value)
                definitions.append(inspect.getsource(value))
                if value.__name__ != name:
                    definitions.append(f"{name} = {value.__name__}\n")
            elif callable(value) and getattr(value, "__module__", None) and hasattr(value, "__name__"):
                lines.append(f"from {value.__module__} import {value.__name__} as {name}")
            else:
                raise ValueError(f"cannot write out {name!r} read by {obj.__qualname__}")

    need(cls)
    body = "\n".join([*dict.fromkeys(lines), *definitions, inspect.getsource(cls),
                      f"return {cls.__name__}"])
    return (f"def {_WRAPPER}():\n{textwrap.indent(body, '    ')}\n\n"
            f"{as_name} = {_WRAPPER}()\ndel {_WRAPPER}\n")
