"""Chapter 6's classic misses, computed from the reference on the test's own inputs.

Each function returns {hint name: the value that miss produces}; the sentences are this
folder's messages.toml (`hint.<name>`). See ch03's hints for the convention. A wrong
optimizer is the reference class with one change, run over the same gradients.
"""

from __future__ import annotations

import numpy as np

from .normalization import BN_EPS
from .optimizers import _EPS, SGD, AdaGrad, Adam, Momentum, RMSprop


def _quiet(fn):
    with np.errstate(all="ignore"):
        return fn()


def trajectory(optimizer, params: dict, grad_steps: list[dict]) -> list[dict]:
    """params after each optimizer.update(params, grads), on copies of everything."""
    current = {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    after = []
    for grads in grad_steps:
        _quiet(lambda: optimizer.update(current, {k: np.array(g) for k, g in grads.items()}))
        after.append({key: value.copy() for key, value in current.items()})
    return after


# --- optimizers: the reference with one change ------------------------------------------

class _SgdUphill(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


class _MomentumUphill(Momentum):
    def update(self, params, grads):
        for key in params:
            v = self._state(self.v, key, params[key])
            v *= self.momentum
            v += self.lr * grads[key]
            params[key] += v


class _MomentumForgets(Momentum):
    def update(self, params, grads):
        self.v = {}
        super().update(params, grads)


class _AdaGradNoEps(AdaGrad):
    def update(self, params, grads):
        for key in params:
            h = self._state(self.h, key, params[key])
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(h)


class _AdaGradEpsInside(AdaGrad):
    def update(self, params, grads):
        for key in params:
            h = self._state(self.h, key, params[key])
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(h + _EPS)


class _AdaGradForgets(AdaGrad):
    def update(self, params, grads):
        self.h = {}
        super().update(params, grads)


class _RMSpropDecaySwapped(RMSprop):
    def update(self, params, grads):
        for key in params:
            h = self._state(self.h, key, params[key])
            h *= 1 - self.decay_rate
            h += self.decay_rate * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + _EPS)


class _RMSpropForgets(RMSprop):
    def update(self, params, grads):
        self.h = {}
        super().update(params, grads)


class _AdamNoBiasCorrection(Adam):
    def update(self, params, grads):
        self.iter += 1
        for key in params:
            m = self._state(self.m, key, params[key])
            v = self._state(self.v, key, params[key])
            g = grads[key]
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g * g - v)
            params[key] -= self.lr * m / (np.sqrt(v) + _EPS)


class _AdamForgets(Adam):
    def update(self, params, grads):
        self.m, self.v = {}, {}
        super().update(params, grads)


_MISSES = {
    "SGD": {"sgd_uphill": _SgdUphill},
    "Momentum": {"momentum_uphill": _MomentumUphill, "optimizer_state_lost": _MomentumForgets},
    # Nesterov's classic miss is plain momentum: the look-ahead term left out.
    "Nesterov": {"nesterov_is_momentum": Momentum},
    "AdaGrad": {"adagrad_no_eps": _AdaGradNoEps, "adagrad_eps_inside_sqrt": _AdaGradEpsInside,
                "optimizer_state_lost": _AdaGradForgets},
    "RMSprop": {"rmsprop_decay_swapped": _RMSpropDecaySwapped,
                "optimizer_state_lost": _RMSpropForgets},
    "Adam": {"adam_no_bias_correction": _AdamNoBiasCorrection,
             "optimizer_state_lost": _AdamForgets},
}


def optimizer_variants(name: str, hyper: dict, params: dict, grad_steps: list[dict]) -> dict:
    """{hint name: params after each step under that miss} for the book's optimizer `name`
    built with keyword arguments `hyper` (Nesterov's take its lr and momentum)."""
    variants = {}
    for hint, cls in _MISSES.get(name, {}).items():
        kwargs = {k: v for k, v in hyper.items() if k in ("lr", "momentum")} \
            if name == "Nesterov" else hyper
        variants[hint] = trajectory(cls(**kwargs), params, grad_steps)
    return variants


# --- initial weight scales (measured, so compared loosely by the suite) ----------------

def he_scale_variants(n_in: int, n_out: int) -> dict:
    return {"he_scale_is_xavier": np.sqrt(1.0 / n_in), "init_scale_fan_out": np.sqrt(2.0 / n_out),
            "init_scale_constant": 0.01}


def xavier_scale_variants(n_in: int, n_out: int) -> dict:
    return {"xavier_scale_is_he": np.sqrt(2.0 / n_in),
            "xavier_scale_glorot": np.sqrt(2.0 / (n_in + n_out)),
            "init_scale_fan_out": np.sqrt(1.0 / n_out), "init_scale_constant": 0.01}


# --- batch normalization -----------------------------------------------------------------

def _flat(x):
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(x.shape[0], -1)


def batchnorm_forward_variants(gamma, beta, x, momentum=0.9) -> dict:
    """A fresh layer's training forward, under each miss (running stats start at zero)."""
    x2 = _flat(x)
    mu, var = x2.mean(axis=0), x2.var(axis=0)

    def normalised(m, v, eps=BN_EPS):
        return _quiet(lambda: (gamma * (x2 - m) / np.sqrt(v + eps) + beta).reshape(np.shape(x)))

    return {
        # Updated the running statistics first, then normalised with them.
        "batchnorm_running_in_training": normalised((1 - momentum) * mu, (1 - momentum) * var),
        "batchnorm_no_eps": normalised(mu, var, eps=0.0),
        "batchnorm_no_gamma_beta": _quiet(lambda: ((x2 - mu) / np.sqrt(var + BN_EPS))
                                          .reshape(np.shape(x))),
    }


def batchnorm_running_variants(batches, momentum=0.9) -> dict:
    """{"mean": {hint: value}, "var": {hint: value}} after training forwards on `batches`."""
    swapped_mean = swapped_var = 0.0
    for x in batches:
        x2 = _flat(x)
        swapped_mean = (1 - momentum) * swapped_mean + momentum * x2.mean(axis=0)
        swapped_var = (1 - momentum) * swapped_var + momentum * x2.var(axis=0)
    last = _flat(batches[-1])
    return {"mean": {"batchnorm_momentum_swapped": swapped_mean,
                     "batchnorm_running_is_last_batch": last.mean(axis=0)},
            "var": {"batchnorm_momentum_swapped": swapped_var,
                    "batchnorm_running_is_last_batch": last.var(axis=0)}}


def batchnorm_backward_variants(gamma, x, dout) -> dict:
    """{"dx": {...}, "dgamma": {...}, "dbeta": {...}} of a training-mode backward."""
    x2, d2 = _flat(x), _flat(dout)
    inv_std = 1.0 / np.sqrt(x2.var(axis=0) + BN_EPS)
    xn = (x2 - x2.mean(axis=0)) * inv_std
    dxn = d2 * gamma

    def shaped(dx):
        return dx.reshape(np.shape(x))

    return {
        "dx": {"batchnorm_backward_no_variance_path": shaped(inv_std * (dxn - dxn.mean(axis=0))),
               "batchnorm_backward_constant_stats": shaped(inv_std * dxn)},
        "dgamma": {"batchnorm_dparams_wrong_axis": (d2 * xn).sum(axis=1)},
        "dbeta": {"batchnorm_dparams_wrong_axis": d2.sum(axis=1)},
    }


# --- multi-layer networks ----------------------------------------------------------------

def weight_decay_loss_variants(loss, params: dict, lam: float) -> dict:
    """The loss with the decay term left out or without its 1/2."""
    penalty = 0.5 * lam * sum(np.sum(v * v) for k, v in params.items() if k.startswith("W"))
    return {"multilayernet_decay_missing": loss - penalty,
            "multilayernet_decay_no_half": loss + penalty}


def weight_decay_grad_variants(grads: dict, params: dict, lam: float) -> dict:
    """{key: {hint: dW under that miss}} for the weights W1, W2, ..."""
    return {key: {"multilayernet_decay_missing_in_grad": grads[key] - lam * params[key],
                  "multilayernet_decay_doubled_in_grad": grads[key] + lam * params[key]}
            for key in grads if key.startswith("W")}
