"""The optimizers of section 6.1: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam.

Each is made with the book's positional arguments and driven by update(params, grads) on
a dict shaped like a network's (a 2-D W1 and a 1-D b1): the parameters after each call
against the reference (state kept across calls), the book's defaults, and the arrays
changed in place, since a network's layers hold those very arrays.
"""

import numpy as np
import pytest

from autograder.feedback import msg
from autograder.grading.checks import CheckFailed, assert_close, note
from autograder.grading.resident import ResidentParams
from reference.ch06_training_techniques.hints import optimizer_variants, trajectory

# After a few float64 steps the same rule agrees to ~1e-15. Where a notebook puts the
# book's 1e-7 (inside or outside a square root, or nowhere), or folds Adam's bias
# correction into m and v as the paper does, parameters of magnitude >= 0.5 move by
# < 3e-6 relative on these inputs; every classic miss moves them by > 1e-3. Only the
# AdaGrad tests made for it (a zero gradient, gradients of 1e-4) look at the 1e-7.
OPT_RTOL = 1e-5
OPT_ATOL = 1e-7

SHAPES = {"W1": (3, 4), "b1": (4,)}
STEPS = 4

# The book's order of constructor arguments (students rename them, so they are passed
# positionally), with values other than the defaults so that a swapped pair shows.
HYPER = {
    "SGD": {"lr": 0.1},
    "Momentum": {"lr": 0.1, "momentum": 0.8},
    "Nesterov": {"lr": 0.1, "momentum": 0.8},
    "AdaGrad": {"lr": 0.1},
    "RMSprop": {"lr": 0.05, "decay_rate": 0.9},
    "Adam": {"lr": 0.05, "beta1": 0.8, "beta2": 0.95},
}


def _params(rng):
    # Magnitudes in [1, 2]: four steps of AdaGrad, RMSprop or Adam (each at most ~lr / 0.3)
    # leave them >= 0.5, away from zero, where an absolute tolerance would decide.
    return {k: rng.uniform(1.0, 2.0, s) * rng.choice([-1.0, 1.0], s) for k, s in SHAPES.items()}


def _grad_steps(rng, steps=STEPS, scale=1.0):
    # Magnitudes in [0.5, 2] * scale: no entry so small that 1e-7 would matter (see OPT_RTOL).
    return [{k: scale * rng.uniform(0.5, 2.0, s) * rng.choice([-1.0, 1.0], s)
             for k, s in SHAPES.items()} for _ in range(steps)]


def _signature(name, hyper):
    return f"{name}({', '.join(repr(v) for v in hyper.values())})"


def _expected(reference, name, hyper, params, grad_steps):
    """The reference's trajectories; Nesterov's in both published orders (preferred first)."""
    if name == "Nesterov":
        return [trajectory(reference.Nesterov(**hyper, order=order), params, grad_steps)
                for order in reference.Nesterov.ORDERS]
    return [trajectory(getattr(reference, name)(**hyper), params, grad_steps)]


def _agrees(got, step):
    return all(np.allclose(got[k], step[k], rtol=OPT_RTOL, atol=OPT_ATOL) for k in SHAPES)


def check_updates(student, reference, rng, name, hyper=None, grad_steps=None):
    """Run the student's optimizer over grad_steps; compare params after every call.

    `hyper` None means the suite's HYPER values; {} means the book's defaults."""
    positional = list((HYPER[name] if hyper is None else hyper).values())
    hyper = dict(zip(HYPER[name], positional))
    params = _params(rng)
    grad_steps = grad_steps or _grad_steps(rng)
    candidates = _expected(reference, name, hyper, params, grad_steps)
    first_order = candidates[0]
    variants = optimizer_variants(name, hyper, params, grad_steps)
    opt = getattr(student.inplace, name)(*positional)
    mine = {k: v.copy() for k, v in params.items()}
    made = _signature(name, hyper) if positional else f"{name}()"
    for step, grads in enumerate(grad_steps):
        before = {k: v.copy() for k, v in mine.items()}
        opt.update(mine, {k: g.copy() for k, g in grads.items()})
        # Keep the published versions the answers so far agree with (Nesterov's two orders).
        still = [c for c in candidates if _agrees(mine, c[step])]
        candidates = still or candidates[:1]
        for key in SHAPES:
            assert_close(mine[key], candidates[0][step][key],
                         call=f"{made}.update(params, grads) (call {step + 1} of "
                              f"{len(grad_steps)}): params['{key}']",
                         inputs={f"params['{key}'] before": before[key],
                                 f"grads['{key}']": grads[key]},
                         rtol=OPT_RTOL, atol=OPT_ATOL,
                         variants={h: v[step][key] for h, v in variants.items()})
    if name == "Nesterov" and len(candidates) == 1 and candidates[0] is not first_order:
        note(msg("note.nesterov_other_order"))


def check_in_place(student, rng, name):
    """update() changes the arrays it was given (not new ones) and leaves grads unchanged."""
    hyper = HYPER[name]
    params, grads = _params(rng), _grad_steps(rng, steps=1)[0]
    sent = {k: g.copy() for k, g in grads.items()}
    opt = getattr(student.inplace, name)(*hyper.values())
    call = f"{_signature(name, hyper)}.update(params, grads)"
    with ResidentParams(student, params) as resident:
        opt.update(resident.params, sent)
        for key in SHAPES:
            now = resident.current(key)
            if np.array_equal(now, params[key]):
                raise CheckFailed(msg("grading.not_true", call=call,
                                      what=f"params['{key}'] changes"))
            assert_close(resident.original(key), now,
                         call=f"{call}: the array params['{key}'] held before the call",
                         inputs={f"params['{key}'] before": params[key]},
                         variants={"optimizer_rebinds": params[key]})
    for key in SHAPES:
        assert_close(sent[key], grads[key], call=f"{call}: grads['{key}'] after the call",
                     inputs={f"grads['{key}'] before": grads[key]})


# --- SGD -------------------------------------------------------------------------------

@pytest.mark.item("SGD")
@pytest.mark.points(2)
def test_sgd_step(student, reference, rng):
    """SGD(lr).update(params, grads) does params[key] -= lr * grads[key] for a 2-D W1 and a 1-D b1"""
    check_updates(student, reference, rng, "SGD")


@pytest.mark.item("SGD")
def test_sgd_default_lr(student, reference, rng):
    """SGD() uses the book's default lr = 0.01"""
    check_updates(student, reference, rng, "SGD", hyper={})


@pytest.mark.item("SGD")
@pytest.mark.points(2)
def test_sgd_updates_in_place(student, rng):
    """update changes the arrays in params in place (the layers hold them) and leaves grads as they were"""
    check_in_place(student, rng, "SGD")


# --- Momentum --------------------------------------------------------------------------

@pytest.mark.item("Momentum")
@pytest.mark.points(2)
def test_momentum_first_step(student, reference, rng):
    """Momentum(lr, momentum): the first update is v = -lr * grad, then params += v"""
    check_updates(student, reference, rng, "Momentum", grad_steps=_grad_steps(rng, steps=1))


@pytest.mark.item("Momentum")
@pytest.mark.points(2)
def test_momentum_keeps_velocity(student, reference, rng):
    """Momentum keeps v between calls: v = momentum * v - lr * grad over four updates"""
    check_updates(student, reference, rng, "Momentum")


@pytest.mark.item("Momentum")
def test_momentum_defaults(student, reference, rng):
    """Momentum() uses the book's defaults lr = 0.01, momentum = 0.9"""
    check_updates(student, reference, rng, "Momentum", hyper={})


@pytest.mark.item("Momentum")
def test_momentum_updates_in_place(student, rng):
    """Momentum's update changes the arrays in params in place and leaves grads as they were"""
    check_in_place(student, rng, "Momentum")


# --- Nesterov --------------------------------------------------------------------------

@pytest.mark.item("Nesterov")
@pytest.mark.points(2)
def test_nesterov_first_step(student, reference, rng):
    """Nesterov(lr, momentum): the first update follows either published order of v and the step"""
    check_updates(student, reference, rng, "Nesterov", grad_steps=_grad_steps(rng, steps=1))


@pytest.mark.item("Nesterov")
@pytest.mark.points(2)
def test_nesterov_keeps_velocity(student, reference, rng):
    """Nesterov keeps v between calls, over four updates"""
    check_updates(student, reference, rng, "Nesterov")


@pytest.mark.item("Nesterov")
def test_nesterov_defaults(student, reference, rng):
    """Nesterov() uses the book's defaults lr = 0.01, momentum = 0.9"""
    check_updates(student, reference, rng, "Nesterov", hyper={})


@pytest.mark.item("Nesterov")
def test_nesterov_updates_in_place(student, rng):
    """Nesterov's update changes the arrays in params in place and leaves grads as they were"""
    check_in_place(student, rng, "Nesterov")


# --- AdaGrad ---------------------------------------------------------------------------

@pytest.mark.item("AdaGrad")
@pytest.mark.points(2)
def test_adagrad_first_step(student, reference, rng):
    """AdaGrad(lr): h += grad * grad, then params -= lr * grad / (sqrt(h) + 1e-7)"""
    check_updates(student, reference, rng, "AdaGrad", grad_steps=_grad_steps(rng, steps=1))


@pytest.mark.item("AdaGrad")
@pytest.mark.points(2)
def test_adagrad_keeps_h(student, reference, rng):
    """AdaGrad keeps summing grad * grad into h between calls, over four updates"""
    check_updates(student, reference, rng, "AdaGrad")


@pytest.mark.item("AdaGrad")
def test_adagrad_default_lr(student, reference, rng):
    """AdaGrad() uses the book's default lr = 0.01"""
    check_updates(student, reference, rng, "AdaGrad", hyper={})


@pytest.mark.item("AdaGrad")
def test_adagrad_zero_gradient(student, reference, rng):
    """a gradient entry of exactly 0 leaves its parameter unchanged (1e-7 keeps 0 / 0 away)"""
    steps = _grad_steps(rng, steps=2)
    steps[0]["b1"][:] = 0.0
    steps[0]["W1"][0, :] = 0.0
    check_updates(student, reference, rng, "AdaGrad", grad_steps=steps)


@pytest.mark.item("AdaGrad")
def test_adagrad_small_gradients(student, reference, rng):
    """with gradients of about 1e-4 a step is still about lr: 1e-7 is added after the square root"""
    check_updates(student, reference, rng, "AdaGrad", grad_steps=_grad_steps(rng, 2, scale=1e-4))


@pytest.mark.item("AdaGrad")
def test_adagrad_updates_in_place(student, rng):
    """AdaGrad's update changes the arrays in params in place and leaves grads as they were"""
    check_in_place(student, rng, "AdaGrad")


# --- RMSprop ---------------------------------------------------------------------------

@pytest.mark.item("RMSprop")
@pytest.mark.points(2)
def test_rmsprop_first_step(student, reference, rng):
    """RMSprop(lr, decay_rate): h = decay_rate * h + (1 - decay_rate) * grad**2, then lr * grad / (sqrt(h) + 1e-7)"""
    check_updates(student, reference, rng, "RMSprop", grad_steps=_grad_steps(rng, steps=1))


@pytest.mark.item("RMSprop")
@pytest.mark.points(2)
def test_rmsprop_keeps_h(student, reference, rng):
    """RMSprop keeps its moving average h between calls, over four updates"""
    check_updates(student, reference, rng, "RMSprop")


@pytest.mark.item("RMSprop")
def test_rmsprop_defaults(student, reference, rng):
    """RMSprop() uses the book's defaults lr = 0.01, decay_rate = 0.99"""
    check_updates(student, reference, rng, "RMSprop", hyper={})


@pytest.mark.item("RMSprop")
def test_rmsprop_updates_in_place(student, rng):
    """RMSprop's update changes the arrays in params in place and leaves grads as they were"""
    check_in_place(student, rng, "RMSprop")


# --- Adam ------------------------------------------------------------------------------

@pytest.mark.item("Adam")
@pytest.mark.points(2)
def test_adam_first_step(student, reference, rng):
    """Adam(lr, beta1, beta2): the first step, with bias correction, is about lr in size"""
    check_updates(student, reference, rng, "Adam", grad_steps=_grad_steps(rng, steps=1))


@pytest.mark.item("Adam")
@pytest.mark.points(2)
def test_adam_keeps_moments(student, reference, rng):
    """Adam keeps m, v and the step count between calls, over four updates"""
    check_updates(student, reference, rng, "Adam")


@pytest.mark.item("Adam")
def test_adam_defaults(student, reference, rng):
    """Adam() uses the book's defaults lr = 0.001, beta1 = 0.9, beta2 = 0.999"""
    check_updates(student, reference, rng, "Adam", hyper={})


@pytest.mark.item("Adam")
def test_adam_updates_in_place(student, rng):
    """Adam's update changes the arrays in params in place and leaves grads as they were"""
    check_in_place(student, rng, "Adam")
