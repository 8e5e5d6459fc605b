"""State that lives where the student's code runs: a params dict there, numpy's seed there.

Through the sandbox, a dict a test passes to student code arrives as a copy, and what
the student did to it is copied back into the test's own arrays, in place, whichever
way it was done: `params[key] -= step` (the arrays a network's layers hold change) and
`params[key] = params[key] - step` (a new array; the layers keep the old one, and the
network never learns) look the same from here. `ResidentParams` puts the dict in the
student's process and keeps a handle to each array first stored in it, so a test can
read what happened to that array itself. Without a sandbox (the project's own tests
grade a plain module) it is a local dict with the same contract.

`seed_numpy` seeds numpy's global generator where the student's code runs (the book's
networks and its Dropout draw from np.random), so a regrade draws the same weights and
masks and says the same words; the seed is salted per submission (inputs.py), so its
author cannot know the draws ahead. `set_params` and `params_numerical_grad` reach a
student network's params in place, where its layers hold them; `subtract_from_params`
is the learning checks' training step. `function` puts one of the suite's own functions
beside the student's code. The loops among these cross the wall once, not once a step:
the sandbox runs them (Sandbox.probe, subtract_from, define).
"""

from __future__ import annotations

import itertools
import textwrap
from typing import Callable

import numpy as np

from ..sandbox.errors import StudentFault
from ..sandbox.proxy import Handle, ModuleProxy, remote_type
from . import inputs, tolerances as tol
from .student import Shielded

_NAMES = itertools.count(1)


def _module_of(student):
    """The module behind a StudentView: a sandbox ModuleProxy, or a plain module in our tests."""
    return object.__getattribute__(student, "_module")


def _sandbox_of(module):
    return object.__getattribute__(module, "_sb") if isinstance(module, ModuleProxy) else None


class ResidentParams:
    """A dict of arrays living beside the student's code; pass `.params` to it.

    `original(key)` is what the array first stored under `key` holds now; `current(key)`
    is what `params[key]` holds now, whichever array that is. Use as a context manager:
    leaving it drops the dict from the student's module.
    """

    def __init__(self, student, params: dict):
        arrays = {key: np.array(value) for key, value in params.items()}
        self._module = _module_of(student)
        self._sb = _sandbox_of(self._module)
        if self._sb is None:
            self.params = arrays
            self._originals = dict(arrays)
            return
        # A dunder name: listed by no names() call, so it never looks like the student's.
        self._name = f"__dlfs_resident_{next(_NAMES)}__"
        setattr(self._module, self._name, arrays)
        self.params = self._sb.ref(self._module, name=self._name)
        self._originals = {key: self._sb.ref(self.params, item=key) for key in arrays}

    def original(self, key) -> np.ndarray:
        if self._sb is None:
            return self._originals[key].copy()
        return np.asarray(self._sb.fetch(self._originals[key]))

    def current(self, key) -> np.ndarray:
        return np.array(self.params[key])

    def close(self) -> None:
        self._originals = {}
        if self._sb is not None:
            try:
                setattr(self._module, self._name, None)
            except StudentFault:
                pass  # the process is gone, and the dict with it

    def __enter__(self) -> ResidentParams:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def function(student, make_source: str, *data) -> tuple[Callable, Callable]:
    """A suite's own function twice: here, and where the student's code runs.

    `make_source` defines `make(*data)`, which returns the function (its imports inside
    make); data may hold the student's objects (a network whose loss the function calls).
    A function the student's code calls thousands of times (gradient_descent's f) costs a
    round trip per call as a callback; resident, it costs nothing to cross. It is the
    suite's function all the same: a student who changed it there only changes what their
    own code computes. Returns (local, resident); without a sandbox both are local."""
    namespace: dict = {}
    exec(compile(make_source, "<suite function>", "exec"), namespace)  # noqa: S102 - the suite's own source
    local = namespace["make"](*data)
    module = _module_of(student)
    sandbox = _sandbox_of(module)
    if sandbox is None:
        return local, local
    # make() inside a function of a dunder name: nothing lands in the student's namespace
    # but that name (listed by no names() call), so no global of theirs is overwritten.
    name = f"__dlfs_function_{next(_NAMES)}__"
    sandbox.define(name, f"def {name}():\n{textwrap.indent(make_source, '    ')}\n    return make\n")
    maker = sandbox.ref(module, name=name)
    return local, maker()(*(_unwrapped(value) for value in data))


def seed_numpy(student, seed: int) -> bool:
    """np.random.seed(seed) where the student's code runs, through the numpy the notebook
    imported (as np or numpy); False when it imported none. The seed is salted with the
    submission's salt, when the student view carries one."""
    module = _module_of(student)
    try:
        salt = object.__getattribute__(student, "_salt")
    except AttributeError:
        salt = b""
    seed = inputs.numpy_seed(salt, seed)
    for name in ("np", "numpy"):
        try:
            candidate = getattr(module, name)
        except (AttributeError, StudentFault):
            continue
        is_numpy = remote_type(candidate) == "module" if isinstance(candidate, Handle) \
            else candidate is np
        if not is_numpy:
            continue
        try:
            candidate.random.seed(seed)
        except (AttributeError, StudentFault):
            continue
        return True
    return False


def _unwrapped(obj):
    return object.__getattribute__(obj, "_target") if isinstance(obj, Shielded) else obj


def params_in_place(net):
    """The network's params dict itself: a handle into the sandbox, or the local dict."""
    target = _unwrapped(net)
    if isinstance(target, Handle):
        sandbox = object.__getattribute__(target, "_sb")
        return sandbox.ref(target, name="params")
    return target.params


def set_params(net, values: dict) -> None:
    """Write `values` into the network's own parameter arrays (in the sandbox when the net
    lives there), so its layers, which hold those arrays, compute with them."""
    write_params(params_in_place(net), values)


def write_params(params, values: dict) -> None:
    """`values` into the arrays of `params` (a network's params dict, from params_in_place).
    In the sandbox, all of them in one exchange: a training loop writes every step."""
    arrays = {key: np.asarray(value, dtype=np.float64) for key, value in values.items()}
    if isinstance(params, Handle):
        object.__getattribute__(params, "_sb").write_into(params, arrays)
        return
    for key, value in arrays.items():
        write_into(params, key, value)


def subtract_from_params(net, steps: dict) -> None:
    """`net.params[key] -= step` for every key, the book's training step as written (in the
    sandbox when the net lives there, in one exchange; net.params looked up anew)."""
    target = _unwrapped(net)
    if isinstance(target, Handle):
        object.__getattribute__(target, "_sb").subtract_from(target, "params", steps)
        return
    params = target.params
    for key, step in steps.items():
        params[key] -= step


def _array_in_place(params, key):
    """params[key] itself (a handle to the array in the sandbox), not a copy of it."""
    if isinstance(params, Handle):
        return object.__getattribute__(params, "_sb").ref(params, item=key)
    return params[key]


def write_into(params, key, value: np.ndarray) -> None:
    """params[key][...] = value: into the existing array, which the layers also hold."""
    _array_in_place(params, key)[...] = value


def param_in_place(net, key):
    """net.params[key] itself, not a copy: a handle to the array in the sandbox (which a
    call can pass back, and the student's code then changes in place), or the local array."""
    return _array_in_place(params_in_place(net), key)


def params_numerical_grad_and_error(net, key, loss, *args, h: float = tol.BACKWARD_CHECK_H,
                                   **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """params_numerical_grad with step h, and how far that estimate may be off, per entry:
    its difference from the estimate with step 2h. Where a loss curves sharply (batch
    norm over a nearly constant column) or a kink lies within reach of the step, the two
    disagree, and an analytic gradient that misses the estimate by that much is not
    wrong; where the loss is smooth they agree to round-off and the check stays as
    strict as ever."""
    grad = params_numerical_grad(net, key, loss, *args, h=h, **kwargs)
    coarse = params_numerical_grad(net, key, loss, *args, h=2 * h, **kwargs)
    return grad, np.abs(grad - coarse)


def params_numerical_grad(net, key, loss, *args, h: float = tol.BACKWARD_CHECK_H, **kwargs) -> np.ndarray:
    """d loss(*args, **kwargs) / d net.params[key] by central differences, perturbing one
    entry at a time of the network's own array (as the book's `lambda W: net.loss(x, t)`
    does, since the loss reads its parameters, not an argument), and putting each entry
    back. `loss` is the student's bound method (net.loss). In the sandbox every entry's
    two evaluations happen there, the whole array's in one exchange."""
    array = param_in_place(net, key)
    method = _unwrapped(loss)
    if isinstance(array, Handle) and isinstance(method, Handle):
        sandbox = object.__getattribute__(array, "_sb")
        shape = np.shape(sandbox.fetch(array))
        indices = list(np.ndindex(shape))
        values = sandbox.probe(array, indices, h, method, args, kwargs)
        grad = np.zeros(shape)
        for index, (plus, minus) in zip(indices, values):
            grad[index] = (float(plus) - float(minus)) / (2 * h)
        return grad
    base = np.array(array[...], dtype=np.float64)
    grad = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        values = []
        try:
            for step in (h, -h):
                array[index] = base[index] + step
                values.append(float(loss(*args, **kwargs)))
        finally:  # a loss that raises must not leave the network perturbed
            array[index] = base[index]
        grad[index] = (values[0] - values[1]) / (2 * h)
    return grad
