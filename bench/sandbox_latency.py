"""Benchmark: sandbox start-up, call round trip and array throughput, in each isolation layer.

Run: make bench   (or: .venv/bin/python bench/sandbox_latency.py)
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from autograder.sandbox import Limits, Sandbox  # noqa: E402

ECHO = [("cell 1", "def echo(x):\n    return x\n")]


def measure(layer: str) -> dict:
    starts = []
    for _ in range(5):
        began = time.perf_counter()
        with Sandbox(Limits(), isolation=layer) as box:
            box.load(ECHO)
            starts.append(time.perf_counter() - began)
    with Sandbox(Limits(), isolation=layer) as box:
        box.load(ECHO)
        echo = box.module.echo
        began = time.perf_counter()
        for _ in range(200):
            echo(1.0)
        call = (time.perf_counter() - began) / 200
        big = np.random.default_rng(0).random(1_000_000)
        began = time.perf_counter()
        echo(big)
        array = time.perf_counter() - began
        isolation = box.isolation
    return {"layer": isolation, "start": statistics.median(starts), "call": call, "array": array}


def main() -> None:
    print(f"{'layer':<38} {'start+load ms':>14} {'call us':>9} {'1M float64 round trip ms':>25}")
    for layer in ("bubblewrap", "fallback"):
        try:
            m = measure(layer)
        except Exception as exc:  # a machine without bwrap still gets the fallback row
            print(f"{layer:<38} unavailable: {exc}")
            continue
        print(f"{m['layer']:<38} {m['start'] * 1e3:>14.0f} {m['call'] * 1e6:>9.0f} {m['array'] * 1e3:>25.1f}")


if __name__ == "__main__":
    main()
