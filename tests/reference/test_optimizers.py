"""Chapter 6 optimizers against torch.optim (test-only oracle) and hand-worked steps.

Each test runs several steps on two parameter arrays with fresh random gradients per step,
mapping the book's conventions onto torch's; where the mapping is exact the tolerance is
float64 round-off.
"""

import numpy as np
import pytest
import torch

from reference.ch06_training_techniques.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

pytestmark = pytest.mark.torch

STEPS = 6
# Exact mappings: the two sides differ only in float64 operation order.
EXACT = dict(rtol=1e-12, atol=1e-14)


def run_pair(ours, make_torch, rng, before_step=None):
    """Apply the same gradient sequence to our optimizer and to torch's; return both params."""
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    tparams = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    topt = make_torch(list(tparams.values()))
    for step in range(1, STEPS + 1):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        ours.update(params, grads)
        for k, tp in tparams.items():
            tp.grad = torch.tensor(grads[k])
        if before_step:
            before_step(topt, step)
        topt.step()
    return params, {k: v.detach().numpy() for k, v in tparams.items()}


def assert_same(a, b, **tol):
    for k in a:
        np.testing.assert_allclose(a[k], b[k], **tol)


def test_sgd(rng):
    ours, theirs = run_pair(SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1), rng)
    assert_same(ours, theirs, **EXACT)


def test_momentum(rng):
    # Book: v <- mu*v - lr*g, p += v.  Torch: buf <- mu*buf + g, p -= lr*buf.
    # With a constant lr, v == -lr*buf at every step, so the parameters agree exactly.
    ours, theirs = run_pair(Momentum(lr=0.1, momentum=0.9),
                            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), rng)
    assert_same(ours, theirs, **EXACT)


def test_nesterov_step_first_is_torch_nesterov(rng):
    # step_first: p += mu^2*v_old - (1+mu)*lr*g == mu*v_new - lr*g, which with v = -lr*buf
    # is torch's p -= lr*(g + mu*buf_new).
    ours, theirs = run_pair(Nesterov(lr=0.1, momentum=0.9, order="step_first"),
                            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                            rng)
    assert_same(ours, theirs, **EXACT)


def test_nesterov_velocity_first_hand_worked():
    # Scalar, lr=0.1, mu=0.5, gradients 1 then 2; v updated first, then
    # p += mu^2*v - (1+mu)*lr*g:
    #   step 1: v = -0.1;           p = 1 + 0.25*(-0.1) - 0.15 = 0.825
    #   step 2: v = -0.05-0.2=-0.25; p = 0.825 + 0.25*(-0.25) - 0.3 = 0.4625
    opt = Nesterov(lr=0.1, momentum=0.5)
    assert opt.order == "velocity_first"
    p = {"x": np.array([1.0])}
    opt.update(p, {"x": np.array([1.0])})
    assert p["x"][0] == pytest.approx(0.825, abs=1e-15)
    opt.update(p, {"x": np.array([2.0])})
    assert p["x"][0] == pytest.approx(0.4625, abs=1e-15)


def test_nesterov_orders_differ_and_bad_order_rejected():
    a, b = Nesterov(lr=0.1, momentum=0.5), Nesterov(lr=0.1, momentum=0.5, order="step_first")
    pa, pb = {"x": np.array([1.0])}, {"x": np.array([1.0])}
    for g in (1.0, 2.0):
        a.update(pa, {"x": np.array([g])})
        b.update(pb, {"x": np.array([g])})
    # step_first by hand: p = 0.85, then 0.85 + 0.25*(-0.1) - 0.3 = 0.525.
    assert pb["x"][0] == pytest.approx(0.525, abs=1e-15)
    assert pa["x"][0] != pytest.approx(pb["x"][0])
    with pytest.raises(ValueError):
        Nesterov(order="sideways")


def test_adagrad(rng):
    # Torch's Adagrad also adds eps outside the sqrt; only its default eps (1e-10) differs.
    ours, theirs = run_pair(AdaGrad(lr=0.1),
                            lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-7), rng)
    assert_same(ours, theirs, **EXACT)


def test_rmsprop(rng):
    # torch alpha is the book's decay_rate; eps is outside the sqrt in both.
    ours, theirs = run_pair(RMSprop(lr=0.01, decay_rate=0.9),
                            lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7), rng)
    assert_same(ours, theirs, **EXACT)


def test_adam_matches_torch_with_mapped_eps(rng):
    # The book adds 1e-7 to sqrt(v); torch adds eps to sqrt(v_hat) = sqrt(v)/sqrt(1-b2^t).
    # Multiplying out, the book's step is torch's with eps_t = 1e-7/sqrt(1-b2^t), so torch's
    # eps is set to that before every step and the two agree to round-off.
    b2 = 0.999

    def set_eps(topt, t):
        for group in topt.param_groups:
            group["eps"] = 1e-7 / np.sqrt(1 - b2**t)

    ours, theirs = run_pair(Adam(lr=0.01, beta1=0.9, beta2=b2),
                            lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, b2)),
                            rng, before_step=set_eps)
    assert_same(ours, theirs, **EXACT)


def test_adam_differs_from_torch_default_eps_only_slightly(rng):
    # Without the mapping the difference is the eps placement alone: nonzero (so the mapped
    # test above is not vacuous) yet far below one step (lr = 0.01), since the effective eps
    # (1e-7/sqrt(1-b2^t) <= 3.2e-6) changes a step by about eps/|g| relative.
    ours, theirs = run_pair(Adam(lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01, eps=1e-7), rng)
    diff = max(np.max(np.abs(ours[k] - theirs[k])) for k in ours)
    assert 0 < diff < 1e-4


def test_adam_first_step_hand_worked():
    # t=1: m = 0.1*g, v = 0.001*g^2, lr_t = lr*sqrt(0.001)/0.1, so the step is
    # lr*g/(|g| + 1e-7/sqrt(0.001)) -- about lr*sign(g).
    opt = Adam(lr=0.5)
    p = {"x": np.array([0.0, 0.0])}
    opt.update(p, {"x": np.array([2.0, -3.0])})
    eps_eff = 1e-7 / np.sqrt(0.001)
    np.testing.assert_allclose(p["x"], [-0.5 * 2 / (2 + eps_eff), 0.5 * 3 / (3 + eps_eff)],
                               rtol=1e-12)


@pytest.mark.parametrize("make", [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam])
def test_updates_in_place_and_state_is_lazy_per_key(make, rng):
    opt = make()
    W = rng.standard_normal((2, 2))
    params = {"W": W}
    opt.update(params, {"W": np.ones((2, 2))})
    assert params["W"] is W
    # A key that appears later gets its own state instead of raising.
    params["b"] = np.zeros(3)
    opt.update(params, {"W": np.ones((2, 2)), "b": np.ones(3)})
    assert np.all(params["b"] < 0)
