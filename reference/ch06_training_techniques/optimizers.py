"""Chapter 6 parameter-update rules, with the book's conventions.

Every optimizer exposes `update(params, grads)`, which changes the arrays in `params` in
place (the networks hold references to them), and creates its per-key state on first
sight of a key, so one optimizer can serve any network.
"""

import numpy as np

_EPS = 1e-7  # the book adds this outside the square root


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class _Stateful:
    """Holds per-key state arrays, created as zeros the first time a key is updated."""

    def _state(self, store, key, like):
        if key not in store:
            store[key] = np.zeros_like(like)
        return store[key]


class Momentum(_Stateful):
    """v <- momentum*v - lr*g;  p <- p + v  (v holds a displacement, not a gradient sum)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key in params:
            v = self._state(self.v, key, params[key])
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Nesterov(_Stateful):
    """Nesterov momentum in the book's parameterisation (v as in Momentum).

    Both editions write the step as  p += momentum**2 * v - (1 + momentum) * lr * g
    and the velocity update as  v <- momentum*v - lr*g;  they differ in the order:

    order="velocity_first" (default; the current public code): v is updated first, so
        the step uses the new v. This is what readers copying today's code get.
    order="step_first" (the earlier printing): the step uses the old v, then v is updated.
        Since momentum**2*v_old - (1+momentum)*lr*g == momentum*v_new - lr*g, this order
        is exactly Sutskever's reformulated NAG (torch.optim.SGD(nesterov=True)).
    """

    ORDERS = ("velocity_first", "step_first")

    def __init__(self, lr=0.01, momentum=0.9, order="velocity_first"):
        if order not in self.ORDERS:
            raise ValueError(f"order must be one of {self.ORDERS}, got {order!r}")
        self.lr = lr
        self.momentum = momentum
        self.order = order
        self.v = {}

    def update(self, params, grads):
        mu, lr = self.momentum, self.lr
        velocity_first = self.order == "velocity_first"
        for key in params:
            v = self._state(self.v, key, params[key])
            g = grads[key]
            if velocity_first:
                v *= mu
                v -= lr * g
            params[key] += mu * mu * v
            params[key] -= (1 + mu) * lr * g
            if not velocity_first:
                v *= mu
                v -= lr * g


class AdaGrad(_Stateful):
    """h <- h + g*g;  p <- p - lr*g/(sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self._state(self.h, key, params[key])
            g = grads[key]
            h += g * g
            params[key] -= self.lr * g / (np.sqrt(h) + _EPS)


class RMSprop(_Stateful):
    """h <- decay*h + (1-decay)*g*g;  p <- p - lr*g/(sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self._state(self.h, key, params[key])
            g = grads[key]
            h *= self.decay_rate
            h += (1 - self.decay_rate) * g * g
            params[key] -= self.lr * g / (np.sqrt(h) + _EPS)


class Adam(_Stateful):
    """Adam with the bias correction folded into the step size, as the book writes it.

    m and v are the plain (uncorrected) moving averages; lr_t = lr*sqrt(1-b2^t)/(1-b1^t)
    undoes both biases at once. Because 1e-7 is added to sqrt(v) rather than to the
    corrected sqrt(v_hat), this equals the paper's form with a step-dependent epsilon
    1e-7/sqrt(1-b2^t) -- the only difference from the paper (and from torch.optim.Adam).
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        # One call is one time step for every key, so t is shared.
        self.iter += 1
        t = self.iter
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        for key in params:
            m = self._state(self.m, key, params[key])
            v = self._state(self.v, key, params[key])
            g = grads[key]
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g * g - v)
            params[key] -= lr_t * m / (np.sqrt(v) + _EPS)
