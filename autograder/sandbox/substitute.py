"""Globals of the student's module replaced by trusted functions for a while, then restored.

The grader asks "would this test pass with a correct `softmax`?" by lending the
reference's softmax to the student's module under the student's name: student code that
calls it calls back into the grader (the reference's code never enters the sandbox),
and the student's own function is put back afterwards.

While a loan stands, student code can call it on inputs of its own choosing and keep
what it returns (in a global, in a file) for the tests still to come. So once anything
lent was called, the process is restarted when the block ends: the student's blocks are
replayed into a new one, and nothing the old one held survives. A loan captured by
student code is dead after the block either way (its calls raise LookupError).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .callbacks import Lent
from .errors import StudentFault


@contextmanager
def substituted(sb, replacements: dict[str, Callable], *,
                restarts: bool = True) -> Iterator[dict[str, Lent]]:
    """Within the block, each global `name` of the student's module is the trusted function
    given for it; yields the Lent wrapper of each (`refused` says student code called it
    with arguments that may not cross, `exceeded` beyond the bounds of bounded.call).
    `restarts=False`: the caller restarts the process itself (`defined` around this block
    always does), so the student's functions are only put back. StudentFault if a global
    cannot be replaced."""
    originals, lent = {}, {}
    printed_from = sb.output_mark()
    try:
        for name, fn in replacements.items():
            originals[name] = sb.ref(sb.module, name)
            lent[name] = Lent(fn, sb.limits.max_callback_elements)
            setattr(sb.module, name, lent[name])
        yield lent
    finally:
        for loan in lent.values():
            sb._callbacks.give_back(loan)
        if restarts and any(loan.calls for loan in lent.values()):
            # Replaying the student's blocks also restores their globals; what student code
            # printed meanwhile may hold what the loans computed, and is dropped.
            sb.restart(forget_output_since=printed_from)
        else:
            for name, original in originals.items():
                try:
                    setattr(sb.module, name, original)
                except StudentFault:
                    pass  # the process was restarted: replaying the student's blocks restored it


# The label of a lent definition's block: it names no cell, so a frame in it is not the
# student's to fix (grading.roots reads "cell N" labels only).
LOAN_LABEL = "reference loan"


@contextmanager
def defined(sb, blocks: list[str]) -> Iterator[None]:
    """Within the block, each source block (grading.lending.class_block) has been run in the
    student's module, rebinding a student global to a reference class; afterwards the
    process is always restarted, since student code may have built on what was lent.
    StudentFault (StudentRaised among them) if a block cannot be run."""
    if not blocks:
        yield
        return
    printed_from = sb.output_mark()
    try:
        with sb._lock:
            for source in blocks:
                sb._exec_block(LOAN_LABEL, source)
        yield
    finally:
        # Replaying the student's blocks puts their own definitions back; what student code
        # printed meanwhile may hold the lent class's workings, and is dropped.
        sb.restart(forget_output_since=printed_from)
