"""Benchmark: sandbox start-up, call round trip and array throughput, in each isolation layer,
started fresh (an interpreter per sandbox) and from the warm pool (a fork of a template);
then where a fresh start's time goes.

Run: make bench   (or: .venv/bin/python bench/sandbox_latency.py [--starts N])
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from autograder.sandbox import Limits, Sandbox, isolation, pool  # noqa: E402

ECHO = [("cell 1", "def echo(x):\n    return x\n")]
MODES = {"fresh": "off", "warm pool": "fork"}


def _cpu_of(pid: int) -> float:
    """CPU seconds of a process and of the children it has reaped."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _cpu(layer: str) -> float:
    """CPU seconds spent so far by this process, its reaped children and (warm) the template's."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    found = [t for key, t in pool._templates.items() if key[0] == layer]
    if found:
        family = [found[0].popen.pid]
        for pid in list(family):
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as fh:
                    family += [int(child) for child in fh.read().split()]
            except OSError:
                pass
        total += sum(_cpu_of(pid) for pid in family)
    return total


def measure(layer: str, mode: str, starts: int) -> dict:
    os.environ[pool.ENV_POOL] = MODES[mode]
    with Sandbox(Limits(), isolation=layer) as box:  # warms the template (and the layer's self-test)
        box.load(ECHO)
    times, cpu_before = [], _cpu(layer)
    for _ in range(starts):
        began = time.perf_counter()
        with Sandbox(Limits(), isolation=layer) as box:
            box.load(ECHO)
            times.append(time.perf_counter() - began)
    # A killed bwrap's inner processes are reaped outside this process tree: their CPU time
    # is not counted anywhere this process can read.
    cpu = (_cpu(layer) - cpu_before) / starts if mode != "fresh" or layer != "bubblewrap" else None
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
        described = box.isolation
    return {"layer": described, "start": statistics.median(times), "p95": sorted(times)[int(0.95 * (starts - 1))],
            "cpu": cpu, "call": call, "array": array}


def template_start(layer: str) -> float:
    pool.shutdown()
    began = time.perf_counter()
    pool.template(layer)
    return time.perf_counter() - began


def _median_run(argv: list[str], env: dict, times: int = 7) -> float:
    took = []
    for _ in range(times):
        began = time.perf_counter()
        subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=True, env=env)
        took.append(time.perf_counter() - began)
    return statistics.median(took)


def breakdown() -> list[tuple[str, float]]:
    """A fresh bubblewrap start, one step at a time: the wall, the interpreter, numpy, the shim."""
    root = tempfile.mkdtemp(prefix="ag-bench-")
    workdir = os.path.join(root, "work")
    os.mkdir(workdir)
    cmd = isolation.build_command(isolation.BUBBLEWRAP, root, workdir, (0, 1), Limits().workdir_bytes)
    wall = cmd.argv[:cmd.argv.index("--") + 1]
    python = [os.path.realpath(sys.executable), "-I"]
    on_path = f"import sys; sys.path.insert(0, {isolation.INSIDE_ROOT!r}); "
    env = isolation.environment(cmd.workdir_inside, cmd.mplconfig_inside)  # one BLAS thread, as inside
    return [("bwrap, /bin/true", _median_run(wall + ["/bin/true"], env)),
            ("bwrap, python -I -c pass", _median_run(wall + python + ["-c", "pass"], env)),
            ("bwrap, python, import numpy", _median_run(wall + python + ["-c", on_path + "import numpy"], env)),
            ("bwrap, python, import the shim (numpy in it)",
             _median_run(wall + python + ["-c", on_path + "import autograder.sandbox.shim.main"], env)),
            ("no wall, python -I -c pass", _median_run(python + ["-c", "pass"], env)),
            ("no wall, python, import numpy", _median_run(python + ["-c", "import numpy"], env))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=20)
    starts = parser.parse_args().starts
    print(f"{'layer':<38} {'start':<9} {'start+load ms':>13} {'p95 ms':>7} {'CPU ms':>7} {'call us':>8} "
          f"{'1M float64 round trip ms':>25}")
    for layer in ("bubblewrap", "fallback"):
        for mode in MODES:
            try:
                m = measure(layer, mode, starts)
            except Exception as exc:  # a machine without bwrap still gets the fallback rows
                print(f"{layer:<38} {mode:<9} unavailable: {exc}")
                continue
            cpu = "n/a" if m["cpu"] is None else f"{m['cpu'] * 1e3:.1f}"
            print(f"{m['layer']:<38} {mode:<9} {m['start'] * 1e3:>13.1f} {m['p95'] * 1e3:>7.1f} {cpu:>7} "
                  f"{m['call'] * 1e6:>8.0f} {m['array'] * 1e3:>25.1f}")
    if pool.enabled():
        for layer in ("bubblewrap", "fallback"):
            try:
                print(f"template start, once per worker ({layer}): {template_start(layer) * 1e3:.0f} ms")
            except Exception as exc:
                print(f"template start ({layer}): unavailable: {exc}")
    try:
        print("where a fresh start goes (median of 7, ms):")
        for what, seconds in breakdown():
            print(f"  {what:<46} {seconds * 1e3:>6.1f}")
    except Exception as exc:
        print(f"  unavailable: {exc}")
    pool.shutdown()


if __name__ == "__main__":
    main()
