"""Chapter 5's classic misses, computed from the reference on the test's own inputs.

Each function returns {hint name: the value that miss produces} for one returned value
(dx, dW, db, ...); the sentences are this folder's messages.toml (`hint.<name>`). See
ch03's hints for the convention. Variants are the reference plus one mistake, and a
variant that happens to equal the right answer on these inputs is dropped, so a hint
cannot fire for an answer that is right.
"""

from __future__ import annotations

import numpy as np

from ..ch03_neural_networks.activations import sigmoid, softmax


def _differing(right, variants: dict) -> dict:
    right = np.asarray(right, dtype=np.float64)
    kept = {}
    for name, value in variants.items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape != right.shape or not np.allclose(value, right, rtol=1e-6, atol=1e-12):
            kept[name] = value
    return kept


def mul_backward_variants(x, y, dout) -> tuple[dict, dict]:
    """(variants of dx, variants of dy) of MulLayer.backward after forward(x, y)."""
    dx, dy = np.multiply(dout, y), np.multiply(dout, x)
    return (_differing(dx, {"mul_backward_swapped": np.multiply(dout, x)}),
            _differing(dy, {"mul_backward_swapped": np.multiply(dout, y)}))


def add_backward_variants(x, y, dout) -> tuple[dict, dict]:
    """(variants of dx, variants of dy) of AddLayer.backward: MulLayer's rule copied over."""
    return (_differing(dout, {"add_backward_multiplied": np.multiply(dout, y)}),
            _differing(dout, {"add_backward_multiplied": np.multiply(dout, x)}))


def relu_backward_variants(x, dout) -> dict:
    x, dout = np.asarray(x), np.asarray(dout)
    right = np.where(x <= 0, 0.0, dout)
    return _differing(right, {"relu_backward_no_mask": dout,
                              "relu_backward_mask_inverted": np.where(x <= 0, dout, 0.0)})


def sigmoid_backward_variants(x, dout) -> dict:
    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    y = sigmoid(x)
    return _differing(dout * (1.0 - y) * y, {"sigmoid_backward_from_x": dout * (1.0 - x) * x,
                                             "sigmoid_backward_no_dout": (1.0 - y) * y})


def affine_dx_variants(x, W, dout) -> dict:
    x = np.asarray(x)
    dx2 = np.asarray(dout).reshape(x.shape[0], -1) @ np.asarray(W).T
    return _differing(dx2.reshape(x.shape), {"affine_dx_not_reshaped": dx2})


def affine_dW_variants(x, dout) -> dict:
    x2 = np.asarray(x).reshape(np.asarray(x).shape[0], -1)
    dW = x2.T @ np.asarray(dout)
    return _differing(dW, {"affine_dw_transposed": dW.T})


def affine_db_variants(dout) -> dict:
    dout = np.asarray(dout, dtype=np.float64)
    return _differing(dout.sum(axis=0), {"affine_db_axis": dout.sum(axis=1),
                                         "affine_db_not_summed": dout,
                                         "affine_db_mean": dout.mean(axis=0)})


def softmax_with_loss_backward_variants(x, t) -> dict:
    """dx of backward(1) after forward(x, t), for a batch x (N, C) and one-hot or label t."""
    y = softmax(np.asarray(x, dtype=np.float64))
    t = np.asarray(t)
    onehot = t if t.size == y.size else np.eye(y.shape[-1])[t]
    n = y.shape[0]
    return _differing((y - onehot) / n, {"swl_backward_no_batch_mean": y - onehot,
                                         "swl_backward_sign": (onehot - y) / n})


def net_gradient_variants(net, x, t) -> dict:
    """{key: variants of gradient()[key]} for the reference TwoLayerNet `net` on (x, t).

    The misses a student's layers carry into the network (db summed over the wrong axis or
    averaged, dW transposed, no batch mean) and the network's own (keys of the two layers swapped),
    each computed from the reference's layers with that one mistake."""
    grads = net.gradient(x, t)
    # The upstream gradient each Affine received, from the caches gradient() just filled.
    dout2 = net.lastLayer.backward(1)
    dout1 = net.layers["Relu1"].backward(net.layers["Affine2"].backward(dout2))
    douts = {"1": dout1, "2": dout2}
    n = np.asarray(x).shape[0]
    variants = {}
    for key, right in grads.items():
        other = key[0] + ("2" if key[1] == "1" else "1")
        wrong = {"backprop_net_keys_swapped": grads[other], "swl_backward_no_batch_mean": right * n}
        if key[0] == "W":
            wrong["affine_dw_transposed"] = right.T
        else:
            wrong["affine_db_axis"] = douts[key[1]].sum(axis=1)
            wrong["affine_db_mean"] = douts[key[1]].mean(axis=0)
        variants[key] = _differing(right, wrong)
    return variants


def confident_scores(rng, n: int, c: int, scale: float = 1000.0):
    """Scores a trained net gives when it is sure (x of order `scale`), and labels t of
    which half are the highest score and half are not. With scale 1000 an unshifted
    np.exp overflows (inf / inf is nan), and a wrong answer's probability is exactly 0,
    so a log without its 1e-7 gives inf; the book's softmax and cross-entropy give finite
    values (16.1 per confidently wrong sample)."""
    top = rng.integers(c, size=n)
    x = rng.normal(size=(n, c)) + scale * np.eye(c)[top]
    t = np.where(np.arange(n) % 2 == 0, top, (top + 1) % c)
    return x, t


def exact_softmax_loss(x, t) -> float:
    """The batch mean of log-sum-exp(x) - x[t]: softmax cross-entropy computed without
    the 1e-7, stably (log-softmax). Finite everywhere; it differs from the book's loss
    only where the book's 1e-7 outweighs a probability (a confidently wrong sample)."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    t = np.asarray(t)
    labels = t.reshape(x.shape).argmax(axis=1) if t.size == x.size else t.reshape(-1)
    top = x.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(x - top).sum(axis=1)) + top[:, 0]
    return float(np.mean(log_sum - x[np.arange(x.shape[0]), labels]))


def confident_loss_variants(x, t) -> dict:
    """What an unshifted softmax (nan) and a log without its 1e-7 (inf) give on confident scores."""
    return {"softmax_overflow": np.nan, "cee_no_delta": np.inf}
