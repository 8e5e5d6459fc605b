"""Benchmark: reference Convolution / Pooling (forward+backward) against PyTorch CPU.

Single thread, float64, median of several repeats. For each convolution the floor is the
one GEMM it reduces to (im2col columns times the filter matrix), timed alone; the
backward pass needs two more GEMMs of the same size, so fwd+bwd can't get below ~3x it.

Run: make bench   (or: .venv/bin/python bench/conv_pool.py)
"""

import os

# Must be set before numpy/torch load their BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reference.ch07_cnn.conv import Convolution, Pooling  # noqa: E402
from reference.ch07_cnn.im2col import im2col  # noqa: E402

TARGET = 1.5
REPEATS = 11

SHAPES = [
    # name, (N, C, H, W), (FN, FH, FW), stride, pad, pool size/stride
    ("MNIST-like", (100, 1, 28, 28), (30, 5, 5), 1, 0, 2),
    ("CIFAR-like", (64, 16, 32, 32), (32, 3, 3), 1, 1, 2),
]


def median_time(fn, repeats=REPEATS):
    fn()  # warm-up: first-touch page faults and lazy BLAS init are not what we measure
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def conv_cases(x, W, b, stride, pad):
    conv = Convolution(W, b, stride, pad)
    dout = np.random.default_rng(1).standard_normal(conv.forward(x).shape)

    def ours_fwd():
        conv.forward(x)

    def ours():
        conv.forward(x)
        conv.backward(dout)

    tx = torch.from_numpy(x).requires_grad_()
    tW = torch.from_numpy(W).requires_grad_()
    tb = torch.from_numpy(b).requires_grad_()
    tdout = torch.from_numpy(dout)

    def torch_fwd():
        # Autograd enabled, as in training: for float64 torch's no_grad path dispatches to a
        # different kernel that is about 2x slower here, which would flatter us.
        F.conv2d(tx, tW, tb, stride=stride, padding=pad)

    def torch_fb():
        F.conv2d(tx, tW, tb, stride=stride, padding=pad).backward(tdout)

    col = im2col(x, W.shape[2], W.shape[3], stride, pad)
    col_W = np.ascontiguousarray(W.reshape(W.shape[0], -1).T)

    # The product can be formed in either orientation; the floor is the faster one.
    gemm_a = lambda: col @ col_W  # noqa: E731
    gemm_b = lambda: col_W.T @ col.T  # noqa: E731
    gemm = gemm_a if median_time(gemm_a) <= median_time(gemm_b) else gemm_b

    return (ours_fwd, torch_fwd, gemm), (ours, torch_fb, gemm)


def pool_cases(x, size):
    pool = Pooling(size, size, stride=size)
    dout = np.random.default_rng(2).standard_normal(pool.forward(x).shape)

    def ours_fwd():
        pool.forward(x)

    def ours():
        pool.forward(x)
        pool.backward(dout)

    tx = torch.from_numpy(x).requires_grad_()
    tdout = torch.from_numpy(dout)

    def torch_fwd():
        F.max_pool2d(tx, size, size)

    def torch_fb():
        F.max_pool2d(tx, size, size).backward(tdout)

    return (ours_fwd, torch_fwd, None), (ours, torch_fb, None)


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    rows = []
    for name, (n, c, h, w), (fn, fh, fw), stride, pad, psize in SHAPES:
        x = rng.standard_normal((n, c, h, w))
        W = rng.standard_normal((fn, c, fh, fw)) * 0.1
        b = rng.standard_normal(fn)
        conv_fwd, conv_fb = conv_cases(x, W, b, stride, pad)
        # Pool what this convolution produces, as the networks do.
        y = Convolution(W, b, stride, pad).forward(x)
        pool_fwd, pool_fb = pool_cases(np.ascontiguousarray(y), psize)
        for label, (ours, theirs, floor) in (
            ("conv fwd", conv_fwd), ("conv fwd+bwd", conv_fb),
            ("pool fwd", pool_fwd), ("pool fwd+bwd", pool_fb),
        ):
            t_ours, t_torch = median_time(ours), median_time(theirs)
            t_floor = median_time(floor) if floor else None
            rows.append((name, label, t_ours, t_torch, t_floor))

    print(f"float64, 1 thread, median of {REPEATS}; target ours/torch <= {TARGET}")
    header = f"{'shape':<11} {'op':<13} {'ours ms':>8} {'torch ms':>9} {'ours/torch':>11} " \
             f"{'gemm ms':>8} {'ours/gemm':>10}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, label, t_ours, t_torch, t_floor in rows:
        ratio = t_ours / t_torch
        worst = max(worst, ratio)
        gemm_ms = f"{t_floor * 1e3:8.2f}" if t_floor else f"{'-':>8}"
        gemm_ratio = f"{t_ours / t_floor:10.2f}" if t_floor else f"{'-':>10}"
        flag = "" if ratio <= TARGET else "  (over target)"
        print(f"{name:<11} {label:<13} {t_ours * 1e3:8.2f} {t_torch * 1e3:9.2f} "
              f"{ratio:11.2f} {gemm_ms} {gemm_ratio}{flag}")
    print(f"worst ours/torch: {worst:.2f}")


if __name__ == "__main__":
    main()
