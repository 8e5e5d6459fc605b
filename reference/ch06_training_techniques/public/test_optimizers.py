"""Public checks of the optimizers: each runs on a quadratic bowl whose minimum is known,
updates params in place, and keeps its state per key. No expected step is stored."""

import numpy as np
import pytest

from dlfs_check import expect
from dlfs_check.expect import Fact

CENTER = {"W": np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]), "b": np.array([2.0, -0.5, 1.0])}
# (optimizer, its arguments, steps, how close to the minimum it must end)
RUNS = {
    "SGD": ({"lr": 0.1}, 100, 1e-3),
    "Momentum": ({"lr": 0.05, "momentum": 0.9}, 300, 1e-3),
    "Nesterov": ({"lr": 0.05, "momentum": 0.9}, 300, 1e-3),
    "AdaGrad": ({"lr": 0.5}, 300, 1e-2),
    "RMSprop": ({"lr": 0.01, "decay_rate": 0.99}, 1000, 5e-2),
    "Adam": ({"lr": 0.05}, 1000, 5e-2),
}


def _loss(params):
    return float(sum(np.sum((params[k] - CENTER[k]) ** 2) for k in CENTER))


def _descend(student, name, steps, kwargs):
    """Run `steps` updates on sum((p - c)²), whose gradient is 2(p - c), from p = 0."""
    optimizer = getattr(student.inplace, name)(**kwargs)
    params = {k: np.zeros_like(v) for k, v in CENTER.items()}
    for _ in range(steps):
        grads = {k: 2 * (params[k] - CENTER[k]) for k in params}
        optimizer.update(params, grads)
    return params


def _check_minimum(student, name):
    kwargs, steps, tol = RUNS[name]
    params = _descend(student, name, steps, kwargs)
    call = f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}).update x {steps}"
    for key in CENTER:
        expect.shape(params[key], CENTER[key].shape, f"params['{key}']")
    expect.holds(_loss(params) < 0.01 * _loss({k: np.zeros_like(v) for k, v in CENTER.items()}),
                 Fact("손실이 1/100 아래로 줄어듦", "the loss falls below 1/100 of its start"), call,
                 "hint.step_direction")
    for key in CENTER:
        expect.close(params[key], CENTER[key], Fact("최솟값 근처", "near the minimum"), call,
                     "hint.step_direction", rtol=0, atol=tol)


def _check_state_per_key(student, name, rng):
    """Updating {W, b} together equals updating {W} and {b} with two optimizers."""
    kwargs = RUNS[name][0]
    together = getattr(student.inplace, name)(**kwargs)
    alone = {k: getattr(student.inplace, name)(**kwargs) for k in CENTER}
    params = {k: rng.normal(size=v.shape) for k, v in CENTER.items()}
    apart = {k: v.copy() for k, v in params.items()}
    for _ in range(3):
        grads = {k: rng.normal(size=v.shape) for k, v in CENTER.items()}
        together.update(params, {k: g.copy() for k, g in grads.items()})
        for key in CENTER:
            one = {key: apart[key]}
            alone[key].update(one, {key: grads[key].copy()})
            apart[key] = one[key]
    for key in CENTER:
        expect.close(params[key], apart[key], Fact("키마다 따로 갱신한 것과 같음", "same as updating each key alone"),
                     f"{name}.update(params, grads)['{key}']", "hint.state_per_key")


@pytest.mark.item("SGD")
def test_sgd_step(student, rng):
    """SGD 한 번의 갱신은 params - lr * grads 이고, params 안의 배열을 바꾼다
    one SGD update is params - lr * grads, done on the arrays inside params"""
    params, grads = {"W": rng.normal(size=(2, 3))}, {"W": rng.normal(size=(2, 3))}
    start = params["W"].copy()
    student.inplace.SGD(lr=0.1).update(params, grads)
    expect.close(params["W"], start - 0.1 * grads["W"], Fact("p - lr·g", "p - lr·g"), "SGD(lr=0.1).update",
                 "hint.update_in_place")


@pytest.mark.item("SGD")
def test_sgd_reaches_the_minimum(student):
    """SGD 가 2차 함수의 최솟값에 닿는다
    SGD reaches the minimum of a quadratic"""
    _check_minimum(student, "SGD")


@pytest.mark.item("Momentum")
def test_momentum_reaches_the_minimum(student):
    """Momentum 이 2차 함수의 최솟값에 닿는다
    Momentum reaches the minimum of a quadratic"""
    _check_minimum(student, "Momentum")


@pytest.mark.item("Momentum")
def test_momentum_keeps_state_per_key(student, rng):
    """Momentum 의 속도 v 는 키마다 따로다
    Momentum keeps a velocity per key"""
    _check_state_per_key(student, "Momentum", rng)


@pytest.mark.item("Nesterov")
def test_nesterov_reaches_the_minimum(student):
    """Nesterov 가 2차 함수의 최솟값에 닿는다
    Nesterov reaches the minimum of a quadratic"""
    _check_minimum(student, "Nesterov")


@pytest.mark.item("Nesterov")
def test_nesterov_keeps_state_per_key(student, rng):
    """Nesterov 의 속도 v 는 키마다 따로다
    Nesterov keeps a velocity per key"""
    _check_state_per_key(student, "Nesterov", rng)


@pytest.mark.item("AdaGrad")
def test_adagrad_reaches_the_minimum(student):
    """AdaGrad 가 2차 함수의 최솟값에 가까이 간다
    AdaGrad gets close to the minimum of a quadratic"""
    _check_minimum(student, "AdaGrad")


@pytest.mark.item("AdaGrad")
def test_adagrad_keeps_state_per_key(student, rng):
    """AdaGrad 의 h 는 키마다 따로다
    AdaGrad keeps h per key"""
    _check_state_per_key(student, "AdaGrad", rng)


@pytest.mark.item("RMSprop")
def test_rmsprop_reaches_the_minimum(student):
    """RMSprop 이 2차 함수의 최솟값에 가까이 간다
    RMSprop gets close to the minimum of a quadratic"""
    _check_minimum(student, "RMSprop")


@pytest.mark.item("RMSprop")
def test_rmsprop_keeps_state_per_key(student, rng):
    """RMSprop 의 h 는 키마다 따로다
    RMSprop keeps h per key"""
    _check_state_per_key(student, "RMSprop", rng)


@pytest.mark.item("Adam")
def test_adam_reaches_the_minimum(student):
    """Adam 이 2차 함수의 최솟값에 가까이 간다
    Adam gets close to the minimum of a quadratic"""
    _check_minimum(student, "Adam")


@pytest.mark.item("Adam")
def test_adam_keeps_state_per_key(student, rng):
    """Adam 의 m, v 는 키마다 따로다
    Adam keeps m and v per key"""
    _check_state_per_key(student, "Adam", rng)
