"""A wrong signature is one cause: the hint for a TypeError about a graded item's parameters.

A `Convolution` without `pad`, an `im2col` without `pad`, a `BatchNormalization` whose
constructor does not take `momentum`: every test of the item then dies on the same
"takes N positional arguments" / "missing required positional argument" / "unexpected
keyword argument" TypeError, each with its own call, and the page showed one block per
call. The hint built here is the same for all of them (so the page groups them into one
block): it names the book's signature, read from the reference item with
inspect.signature, and what differs in the student's, read from ingest's shape of their
definition: a missing parameter with the book's default, a required one the book does
not have, one that needs the book's default.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping

from ..ingest.model import Params
from ..feedback import Message, msg
from .causes import NotebookSummary

# The TypeErrors Python raises for a call that does not fit a signature, with whose.
SIGNATURE_ERROR = re.compile(
    r"^(?P<qualname>[A-Za-z_][\w.]{0,200})\(\) (?:takes (?:no arguments|\d+ positional argument"
    r"|from \d+ to \d+ positional arguments)|missing \d+ required (?:positional|keyword-only) "
    r"arguments?: (?P<missing>.*)|got an unexpected keyword argument '(?P<keyword>\w+)')")
_QUOTED = re.compile(r"'(\w+)'")
# Parameters named in one hint, at most.
MAX_PARAMS = 4


def signature_hint(message: str, reference, bindings: Mapping[str, str],
                   notebook: NotebookSummary | None) -> Message | None:
    """The hint for a TypeError whose message is `message`, or None when it is not about
    the signature of a graded item the reference has and the notebook defines."""
    match = SIGNATURE_ERROR.match(message.strip())
    if match is None or reference is None or notebook is None:
        return None
    student_name, _, method = match.group("qualname").partition(".")
    book = _book_name(student_name, reference, bindings)
    definition = notebook.definitions.get(student_name)
    if book is None or definition is None or definition.shape is None:
        return None
    target, shown = _reference_callable(getattr(reference, book), book, method)
    yours = _student_params(definition.shape, method)
    if target is None or yours is None:
        return None
    try:
        parameters = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
    except (TypeError, ValueError):
        return None
    required_now = set(_QUOTED.findall(match.group("missing") or ""))
    details = _differences(parameters, yours, required_now)
    if not details:
        return None
    book_text = ", ".join(_parameter_text(p) for p in parameters)
    detail = details[0]
    for then in details[1:MAX_PARAMS]:
        detail = msg("grading.signature.also", first=detail, then=then)
    return msg("grading.signature.differs", name=shown, signature=f"{shown}({book_text})",
               yours=f"{student_name if method in ('', '__init__') else shown}({_params_text(yours)})",
               detail=detail)


def _book_name(student_name: str, reference, bindings: Mapping[str, str]) -> str | None:
    """The book name of the graded item the student wrote as `student_name`."""
    for book, name in bindings.items():
        if name == student_name and hasattr(reference, book):
            return book
    return student_name if student_name in bindings and hasattr(reference, student_name) else None


def _reference_callable(item, book: str, method: str):
    """(what a call of the student's `method` meets in the reference, how to name it)."""
    if inspect.isclass(item) and method and method != "__init__":
        found = inspect.getattr_static(item, method, None)
        return (getattr(item, method) if inspect.isfunction(found) else None), f"{book}.{method}"
    if inspect.isclass(item) or inspect.isfunction(item):
        return item, book
    return None, book


def _student_params(shape, method: str) -> Params | None:
    if method and method != "__init__":
        return dict(shape.methods).get(method)
    if shape.kind == "class" and shape.inherits_init:
        return None
    return shape.params


def _params_text(params: Params) -> str:
    """The student's parameters as written, their defaults elided (ingest keeps no values)."""
    names = [n if i < params.required else f"{n}=…" for i, n in enumerate(params.names)]
    return ", ".join(names + (["*…"] if params.variadic else []))


def _parameter_text(p: inspect.Parameter) -> str:
    return p.name if p.default is p.empty else f"{p.name}={p.default!r}"


def _differences(parameters: list[inspect.Parameter], yours: Params, required_now: set[str]) -> list[Message]:
    names = {p.name for p in parameters}
    details = []
    for p in parameters:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name not in yours.names and not yours.variadic:
            details.append(msg("grading.signature.missing", param=p.name) if p.default is p.empty
                           else msg("grading.signature.missing_default", param=p.name,
                                    default=repr(p.default)))
        elif p.name in required_now and p.default is not p.empty:
            details.append(msg("grading.signature.needs_default", param=p.name, default=repr(p.default)))
    for name in yours.names[:yours.required]:
        if name not in names:
            details.append(msg("grading.signature.extra", param=name))
    return details
