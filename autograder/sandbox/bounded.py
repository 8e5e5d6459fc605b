"""A trusted function run in the grader on arguments student code chose, within bounds.

A function lent to the student's module (substitute.py) runs here, in the grader's own
process, whenever student code calls it, on whatever it passes. inbound.callback_args
already admits only real numbers and arrays of at most max_elements; that bounds what
an argument costs to receive, not what the call costs: `im2col(x, 3, 3, 1, 5000)` on a
tiny x makes the grader pad it to 10,000 x 10,000 and build a column matrix of 7 GB.
So each call is refused before it starts when an integer is beyond INT_BOUND or the
arrays together hold more than max_elements, and runs under a temporary address-space
limit (Linux) and a timer (main thread only), and what it returns must be no larger
than what it may take. A refusal is OverBounds: the caller learns nothing from the call.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from collections.abc import Callable, Iterator

import numpy as np

from .inbound import CallbackRefused

try:
    import resource
except ImportError:  # not on this platform: the memory bound is left out
    resource = None

# The largest integer a hidden suite hands to code that may call a lent function is 400
# (MultiLayerNet's fan-in, which reaches he_std/xavier_std); a CNN's filter sizes,
# strides and pads there are at most 7, 2 and 1, and labels are below 10. 1024 leaves
# room for other suites (MNIST's fan-in 784) while a filter or pad of that size on a
# small input is already more than the memory bound below lets through.
INT_BOUND = 1024
# A lent call is a reference helper on a test's small arrays: milliseconds.
SECONDS = 2.0
# Address space the call may add to the grader's current one. The arrays it may take
# and return are at most 8 MiB each (2**20 float64); a reference helper makes a few
# temporaries of that size, never hundreds.
MEMORY_MARGIN = 512 * 1024 * 1024

_LOCK = threading.RLock()   # one bounded call at a time: the limits are process-wide


class OverBounds(CallbackRefused):
    """A lent call refused because of its size or cost, not its types."""


class _Expired(BaseException):
    """Raised by the timer's signal handler; BaseException, so no `except Exception` eats it."""


def _integers_within(value) -> bool:
    if type(value) is int or isinstance(value, np.integer):
        return -INT_BOUND <= int(value) <= INT_BOUND
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu" and value.size:
        return int(value.min()) >= -INT_BOUND and int(value.max()) <= INT_BOUND
    return True


def _elements(value, depth: int = 0) -> int:
    """How many numbers `value` holds, counted through a few levels of lists, tuples, dicts."""
    if isinstance(value, (np.ndarray, np.generic)):
        return int(value.size)
    if depth < 4 and isinstance(value, (list, tuple)):
        return sum(_elements(v, depth + 1) for v in value)
    if depth < 4 and isinstance(value, dict):
        return sum(_elements(v, depth + 1) for v in value.values())
    return 1


def check_args(args, max_elements: int) -> None:
    for index, value in enumerate(args):
        if not _integers_within(value):
            raise OverBounds(f"argument {index + 1}: integers passed to a grader function must lie "
                             f"within +-{INT_BOUND}")
    total = sum(_elements(v) for v in args)
    if total > max_elements:
        raise OverBounds(f"the arguments of a grader function may hold {max_elements} numbers "
                         f"together, not {total}")


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def _memory_cap(margin: int) -> Iterator[None]:
    """RLIMIT_AS lowered to the current address space + margin for the block, then put back;
    an allocation past it raises MemoryError instead of growing the grader."""
    current = _address_space() if resource is not None and sys.platform.startswith("linux") else None
    if current is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = current + margin
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield   # already at least as tight
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _Timer:
    armed = False

    def fire(self, signum, frame):
        if self.armed:
            self.armed = False   # raises once: the code that disarms it is never interrupted twice
            raise _Expired


@contextmanager
def _time_cap(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds`, raising _Expired where Python next runs; only on the main
    thread (the only one signals reach) and when no one else's ITIMER_REAL is running."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    timer = _Timer()
    previous = signal.signal(signal.SIGALRM, timer.fire)
    timer.armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            timer.armed = False
        except _Expired:
            pass   # the alarm rang as the call ended: the call did end
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(fn: Callable, args, max_elements: int, *, seconds: float = SECONDS,
         margin: int = MEMORY_MARGIN):
    """fn(*args) within the bounds above; OverBounds when a bound refuses or stops it."""
    check_args(args, max_elements)
    start = time.monotonic()
    with _LOCK:
        try:
            with _memory_cap(margin), _time_cap(seconds):
                value = fn(*args)
        except MemoryError:
            raise OverBounds(f"a grader function needed more than {margin >> 20} MiB for these arguments") from None
        except _Expired:
            raise OverBounds(f"a grader function took longer than {seconds:g}s on these arguments") from None
    if time.monotonic() - start > seconds:
        # Off the main thread no timer runs, and C code only yields to it when it returns.
        raise OverBounds(f"a grader function took longer than {seconds:g}s on these arguments")
    size = _elements(value)
    if size > max_elements:
        raise OverBounds(f"a grader function may return {max_elements} numbers, not {size}")
    return value
