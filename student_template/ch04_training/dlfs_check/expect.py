"""What public tests check with: shapes, invariants, self-consistency and hashed values.

A public test never holds an expected answer. It compares the student's code with itself
(a backward with the numerical gradient of the same forward, im2col with col2im), with
mathematics (rows of a softmax sum to 1, the minimum of a quadratic), or with a salted
hash (hashing.py). A failed check raises Miss, an AssertionError carrying a catalog key,
so it reads the same in Korean and English and counts as a failure under any runner.
"""

from __future__ import annotations

import numpy as np

from .hashing import digest
from .messages import DEFAULT_LANG, say

GRAD_LIMIT = 1e-5      # CS231n relative error: below this, a backward agrees with its forward
GRAD_ATOL = 1e-7       # entries this close count as equal (round-off near zero)
NUMERIC_H = 1e-5


class Miss(AssertionError):
    """A public check that failed: `why` and `hint` are catalog keys, `fields` their values."""

    def __init__(self, why: str, hint: str | None = None, **fields):
        self.why, self.hint, self.fields = why, hint, fields
        super().__init__(self.render("en")[0])

    def render(self, lang: str = DEFAULT_LANG) -> tuple[str, str]:
        fields = {k: (v.ko if lang == "ko" else v.en) if isinstance(v, Fact) else v
                  for k, v in self.fields.items()}
        return say(self.why, lang, **fields), (say(self.hint, lang) if self.hint else "")


class Fact:
    """A property named in both languages: Fact("각 행의 합이 1", "every row sums to 1")."""

    def __init__(self, ko: str, en: str):
        self.ko, self.en = ko, en


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def numbers(value, call: str, hint: str | None = "hint.return_array") -> np.ndarray:
    """The value as a float64 array, or a Miss saying what it was instead."""
    if value is None:
        raise Miss("why.none", hint, call=call)
    kind = type(value).__name__
    try:
        arr = np.asarray(value)
    except Exception:
        raise Miss("why.not_numeric", hint, call=call, kind=kind) from None
    if arr.dtype.kind not in "biuf":
        raise Miss("why.not_numeric", hint, call=call, kind=f"{kind} ({arr.dtype})")
    return arr.astype(np.float64)


def scalar(value, call: str, hint: str | None = None) -> np.ndarray:
    """One number (a float, a 0-d or a one-element array), as a 0-d float64 array."""
    arr = numbers(value, call, hint)
    if arr.size != 1:
        raise Miss("why.shape", hint, call=call, got=str(arr.shape), want="()")
    return arr.reshape(())


def shape(value, want: tuple, call: str, hint: str | None = None) -> np.ndarray:
    arr = numbers(value, call)
    if arr.shape != tuple(want):
        raise Miss("why.shape", hint, call=call, got=str(arr.shape), want=str(tuple(want)))
    return arr


def kind(value, kinds: str, want: str, call: str, hint: str | None = None) -> None:
    """dtype.kind of the value is one of `kinds` ('iu' for int, 'f' for float, ...)."""
    got = np.asarray(value).dtype
    if got.kind not in kinds:
        raise Miss("why.dtype", hint, call=call, got=str(got), want=want)


def finite(value, call: str, hint: str | None = None) -> np.ndarray:
    arr = numbers(value, call)
    bad = int(np.sum(~np.isfinite(arr)))
    if bad:
        raise Miss("why.not_finite", hint, call=call, count=bad)
    return arr


def holds(condition: bool, what: Fact, call: str, hint: str | None = None) -> None:
    if not bool(condition):
        raise Miss("why.flag", hint, call=call, what=what)


def close(actual, other, what: Fact, call: str, hint: str | None = None,
          rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """`actual` equals `other`, a value the test derived from the student's own code or from
    mathematics (never a stored answer); only the size of the difference is shown."""
    a, b = numbers(actual, call, hint), np.asarray(other, dtype=np.float64)
    if a.shape != b.shape:
        raise Miss("why.shape", hint, call=call, got=str(a.shape), want=str(b.shape))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - b)
    if not np.all(np.isfinite(a)) or not np.all(diff <= atol + rtol * np.abs(b)):
        worst = float(np.nanmax(diff)) if np.any(np.isfinite(diff)) else float("inf")
        raise Miss("why.property", hint, call=call, what=what, diff=_fmt(worst))


def hashed(value, want_digest: str, salt: str, call: str, decimals: int = 4,
           hint: str | None = "hint.book_values") -> None:
    arr = finite(value, call, hint)
    if digest(arr, salt, decimals) != want_digest:
        raise Miss("why.hash", hint, call=call, decimals=decimals)


def keys(value, want, call: str, hint: str | None = "hint.params_layout") -> dict:
    if not isinstance(value, dict):
        raise Miss("why.not_dict", hint, call=call, kind=type(value).__name__)
    missing = [k for k in want if k not in value]
    if missing:
        raise Miss("why.keys", hint, call=call, missing=", ".join(missing))
    return value


def set_params(net, values: dict) -> None:
    """Write `values` into the arrays net.params holds (params[key][...] = value), as the
    book's training loop changes them, never a new dict: a network that keeps its
    parameter arrays elsewhere too computes with them. Tests get it as the `set_params`
    fixture, since the grader, running the same tests on a network it sees through
    copies, offers its own that writes where that network lives."""
    params = net.params
    for key, value in values.items():
        params[key][...] = value


# --- gradients ------------------------------------------------------------------------

def numerical_gradient(f, x, h: float = NUMERIC_H) -> np.ndarray:
    """d f(x) / dx by central differences, where f takes a fresh array each call."""
    base = np.array(x, dtype=np.float64)
    grad = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (float(f(up)) - float(f(down))) / (2 * h)
    return grad


def weighted_sum(forward, dout):
    """The scalar sum(forward(x) * dout), whose gradient is what backward(dout) returns."""
    weights = np.asarray(dout, dtype=np.float64)
    return lambda x: float(np.sum(np.asarray(forward(x), dtype=np.float64) * weights))


def rel_error(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    diff = np.abs(a - b)
    diff = np.where(diff <= GRAD_ATOL, 0.0, diff)
    return float(np.max(diff / np.maximum(1e-8, np.abs(a) + np.abs(b)))) if diff.size else 0.0


def gradient(analytic, numeric, call: str, hint: str | None = "hint.backward_matches_forward",
             limit: float = GRAD_LIMIT) -> None:
    """A backward's result agrees with the numerical gradient of the same student's forward."""
    arr = finite(analytic, call, hint)
    numeric = np.asarray(numeric, dtype=np.float64)
    if arr.shape != numeric.shape:
        raise Miss("why.shape", hint, call=call, got=str(arr.shape), want=str(numeric.shape))
    error = rel_error(arr, numeric)
    if not error <= limit:
        raise Miss("why.grad", hint, call=call, error=_fmt(error), limit=_fmt(limit))



def on_fresh_draws(check, attempts: int = 4) -> None:
    """Run `check(attempt)` until it passes, at most `attempts` times, each on fresh data.

    A ReLU kink or a max-pool switch hit by chance spoils a numerical gradient, even of a
    correct network (a few percent of draws with random weights): a correct backward
    passes one of a few fresh draws, a wrong one none. Only a failed check is retried;
    an error in the student's code is reported at once."""
    for attempt in range(attempts):
        try:
            check(attempt)
            return
        except Miss:
            if attempt == attempts - 1:
                raise
