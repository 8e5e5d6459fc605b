"""Chapter 4 numerical differentiation and gradient descent."""

import numpy as np


def numerical_diff(f, x):
    """Central difference: error O(h^2) instead of the forward difference's O(h)."""
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x):
    """df/dx for x of any shape, by central differences one element at a time.

    x is perturbed in place (f is called as f(x), and callers such as
    `lambda W: net.loss(x, t)` rely on f seeing the network's own array), then each
    element is put back to its original value. x must be floating point: an int array
    would silently round x + h back to x.
    """
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a float array, got {x.dtype}")
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + h
        fxh1 = f(x)
        x[idx] = original - h
        fxh2 = f(x)
        x[idx] = original
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """step_num steps of x -= lr * grad f(x); init_x itself is left untouched."""
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
    return x


def params_numerical_gradient(loss, params, keys):
    """{key: d loss() / d params[key]} by central differences.

    `loss` takes no argument: it reads the parameters, which numerical_gradient perturbs
    in place, as the book's `loss_W = lambda W: net.loss(x, t)` does.
    """
    return {k: numerical_gradient(lambda _: loss(), params[k]) for k in keys}
