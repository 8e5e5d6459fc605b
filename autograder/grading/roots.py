"""When a test of one item fails because of another graded item, say where to look.

Items call each other: `simpleNet.loss` calls the student's `cross_entropy_error`,
`SimpleConvNet` every layer. An exception raised inside another graded item is that
item's to fix; the sentence here names it, with its cell and line. A wrong value is
traced by running the failing test again with the reference's version of each other
graded function lent to the student's module (the reference's code runs in the grader,
called back from the sandbox): if the test then passes, the helpers it called are named.
A graded class (a layer a network is built from) cannot be lent as a call: the
reference's class is defined in the student's module under the student's name for the
rerun instead (lending.py), and only classes already charged in this run are lent.

The items whose reference version makes the test pass are returned with the sentence
(`Root`); the plugin forgives the test when every one of them is charged by its own
tests, so one slip costs points once, at its item (README "Hidden suites").

Student code can call what is lent on anything while the test runs again: a call beyond
the bounds of sandbox/bounded.py is refused and the retry then claims nothing, and a
retry whose loans were called ends with the student's process restarted (substitute.py),
so nothing computed with the reference's help reaches a later test.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ..feedback import Message, cell_of, msg
from ..sandbox.errors import StudentFault, StudentRaised
from ..sandbox.proxy import ModuleProxy
from ..sandbox.substitute import defined, substituted
from .checks import collecting_notes
from .lending import class_block

# A failing test is run again (once, or a few times when helpers must be told apart)
# only when it was quick: a slow one would double the time a weak submission costs.
RERUN_SECONDS = 2.0
# The restarts retries cause are not charged to the submission (they are the grader's
# doing), so a notebook slow to load could make each one costly: past this much in
# restarts, a submission's failing tests are not run again.
RESTART_SECONDS = 30.0

def _owners(bindings: dict[str, str]) -> dict[str, set[str]]:
    """Student name -> the graded items (book names) it stands for."""
    owners: dict[str, set[str]] = {}
    for book, student_name in bindings.items():
        owners.setdefault(student_name, set()).add(book)
    return owners


def raised_in_other_item(exc: StudentRaised, item: str, bindings: dict[str, str]) -> Message | None:
    """The sentence naming the other graded item `exc` was raised in, or None.

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
        cell = cell_of(label)
        if item in books or cell is None:
            return None
        return msg("grading.root.raised_in_other_item", name=name, cell=cell, line=line)
    return None


def _sandbox_of(student):
    module = getattr(student, "_module", None)
    return object.__getattribute__(module, "_sb") if isinstance(module, ModuleProxy) else None


def _helpers(reference, bindings: dict[str, str], item: str) -> dict[str, tuple[str, Callable]]:
    """Other graded items the reference has as plain functions: book name -> (student name, it)."""
    own = bindings.get(item)
    found = {}
    for book, student_name in bindings.items():
        fn = getattr(reference, book, None)
        if book != item and student_name != own and inspect.isfunction(fn):
            found[book] = (student_name, fn)
    return found


def _classes(reference, bindings: dict[str, str], item: str, lendable: set[str]) -> dict[str, tuple[str, str]]:
    """Other graded items that are classes in the reference, among `lendable`: book name ->
    (student name, the block defining the reference's class under it)."""
    own = bindings.get(item)
    found = {}
    for book in sorted(lendable):
        cls, student_name = getattr(reference, book, None), bindings.get(book)
        if book == item or student_name in (None, own) or not inspect.isclass(cls):
            continue
        try:
            found[book] = (student_name, class_block(cls, student_name))
        except (OSError, TypeError, ValueError):
            continue   # its source cannot be written out: not lent
    return found


def _rerun(test: pytest.Function, fresh_rng: Callable) -> bool:
    """Run the test function again, with a fresh rng (the same draws); True when it passes."""
    if "rng" in test.funcargs:
        test.funcargs["rng"] = fresh_rng()
    try:
        with collecting_notes():
            test.runtest()
    except (Exception, pytest.fail.Exception, pytest.skip.Exception):  # noqa: BLE001 - any way of not passing
        return False
    return True


class _Exceeded(Exception):
    """Student code called a lent helper beyond its bounds: the retry claims nothing."""


def _passes_with(sb, test, fresh_rng, helpers: dict, classes: dict | None = None) -> tuple[bool, set[str]]:
    """Whether the test passes with these reference helpers and classes lent, and which
    helpers were called (lent classes count as used); helpers student code called with
    arguments that may not cross are left out, in turn. _Exceeded when a call went beyond
    bounded.call's bounds."""
    helpers, classes = dict(helpers), dict(classes or {})
    while helpers or classes:
        called: set[str] = set()

        def lent(book, fn):
            def call(*args):
                called.add(book)
                return fn(*args)
            call.__name__ = book
            return call

        # With classes lent, `defined` restarts the process afterwards: one restart, not two.
        with defined(sb, [block for _, block in classes.values()]), \
                substituted(sb, {name: lent(book, fn) for book, (name, fn) in helpers.items()},
                            restarts=not classes) as loans:
            passed = _rerun(test, fresh_rng)
        if any(loan.exceeded for loan in loans.values()):
            raise _Exceeded
        refused = {book for book, (name, _) in helpers.items() if loans[name].refused}
        if not refused:
            return passed, called | set(classes)
        helpers = {book: pair for book, pair in helpers.items() if book not in refused}
    return False, set()


@dataclass(frozen=True)
class Root:
    """Where a failing test's cause lies: the sentence for the student, and the book names
    of the graded items with whose reference version the test passes."""
    sentence: Message | None = None
    items: tuple[str, ...] = ()


def trace(test: pytest.Function, student, reference, item: str, fresh_rng: Callable,
          seconds: float, charged: set[str] = frozenset()) -> Root:
    """The other graded items with whose reference version the failing test passes: every
    graded function, and the graded classes in `charged` (items that already lost points
    in this run). Root() when none does, the test was slow, or the code is not sandboxed."""
    sb = _sandbox_of(student)
    if sb is None or reference is None or seconds > RERUN_SECONDS or sb.restart_seconds > RESTART_SECONDS:
        return Root()
    bindings = getattr(student, "_bindings", {})
    unavailable = set(getattr(student, "_unavailable", {}))
    helpers = _helpers(reference, bindings, item)
    classes = _classes(reference, bindings, item, set(charged) - unavailable)
    if not helpers and not classes:
        return Root()
    try:
        passed, called = _passes_with(sb, test, fresh_rng, helpers, classes)
        if not passed or not called:
            return Root()
        blamed = sorted(called)
        if len(blamed) > 1:
            # Several were used: name the ones that alone are enough, if any is.
            def alone(book):
                pair = {book: (helpers | classes)[book]}
                return _passes_with(sb, test, fresh_rng, *((pair, {}) if book in helpers else ({}, pair)))[0]
            blamed = [book for book in blamed if alone(book)] or blamed
    except (StudentFault, _Exceeded):
        return Root()  # a global could not be lent, the process died, or a loan was abused: no claim
    names = ", ".join(f"`{(helpers | classes)[book][0]}`" for book in blamed)
    return Root(msg("grading.root.passes_with_reference", names=names), tuple(blamed))
