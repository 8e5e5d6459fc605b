"""Benchmark: where one submission's hidden-suite phase spends its time.

Grades chapter notebooks (the reference and a few mutants from tests/mutants/catalogue.py)
in this process, one after another, as a worker does, each with its own salt, and splits
the suite phase (pipeline.Timings.suite) into pytest's startup and configuration,
collection (module imports included), the tests' setup, call and teardown, and the
root-cause reruns (roots.trace) inside calls. The first submission of a chapter is
reported apart: it pays for what a worker does once.

Run: .venv/bin/python bench/suite_phase.py [ROUNDS] [--chapters ch04 ch05 ch07]
     [--fingerprint FILE]   (writes every outcome, durations aside, to compare two runs)
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import pipeline  # noqa: E402
from autograder.assignment import load_assignment  # noqa: E402
from autograder.grading import plugin as plugin_module, roots  # noqa: E402
from autograder.submissions import Submission  # noqa: E402
from tests.mutants.catalogue import mutants_of, notebook  # noqa: E402

MUTANTS_PER_CHAPTER = 2


class Phases:
    """Wall-clock marks of one suite run, taken by a plugin registered beside ours."""

    def __init__(self):
        self.marks: dict[str, float] = {}
        self.tests = {"setup": 0.0, "call": 0.0, "teardown": 0.0}
        self.roots = 0.0
        self.manager = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config):
        self.marks.setdefault("configured", time.perf_counter())

    @pytest.hookimpl(hookwrapper=True)
    def pytest_collection(self, session):
        self.marks["collect_start"] = time.perf_counter()
        yield
        self.marks["collect_end"] = time.perf_counter()

    def pytest_runtest_logreport(self, report):
        self.tests[report.when] += report.duration

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self):
        self.marks["finished"] = time.perf_counter()


CURRENT: list[Phases] = []


def _instrument() -> None:
    """Register a Phases plugin with every GradingPlugin, and time roots.trace."""
    original_init = plugin_module.GradingPlugin.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        phases = Phases()
        phases.marks["init"] = time.perf_counter()
        CURRENT.append(phases)
        self._bench_phases = phases

    def pytest_plugin_registered(self, plugin, manager):
        if plugin is self and not manager.is_registered(self._bench_phases):
            manager.register(self._bench_phases)
            self._bench_phases.manager = manager

    plugin_module.GradingPlugin.__init__ = init
    plugin_module.GradingPlugin.pytest_plugin_registered = pytest_plugin_registered
    original_trace = roots.trace

    def trace(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original_trace(*args, **kwargs)
        finally:
            if CURRENT:
                CURRENT[-1].roots += time.perf_counter() - started

    roots.trace = trace
    plugin_module.roots.trace = trace


def _notebooks(chapter: str, folder: Path) -> list[tuple[str, Path]]:
    assignment = load_assignment(chapter)
    chosen = [None, *[m for m in mutants_of(assignment) if m.expect != "full"][:MUTANTS_PER_CHAPTER]]
    paths = []
    for mutant in chosen:
        name = f"{chapter}__{mutant.id if mutant else 'reference'}"
        path = folder / f"{name}.ipynb"
        nb = notebook(assignment, mutant)
        for number, cell in enumerate(nb.cells):
            cell.id = f"cell-{number}"   # nbformat draws ids: fixed, so the salt is the same each run
        nbformat.write(nb, path)
        paths.append((name, path))
    return paths


def _fingerprint(name: str, secret: bytes, result) -> list[str]:
    lines = [f"{name} {secret.hex()} {result.status} {result.points}/{result.max_points}"]
    for outcome in result.outcomes:
        lines.append("  " + repr(dataclasses.replace(outcome, duration=0.0)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rounds", nargs="?", type=int, default=4)
    parser.add_argument("--chapters", nargs="*", default=["ch04", "ch05", "ch07"])
    parser.add_argument("--fingerprint", type=Path)
    args = parser.parse_args()
    _instrument()
    printed: list[str] = []
    print(f"{'notebook':<40} {'suite':>6} {'start':>6} {'collect':>7} {'setup':>6} "
          f"{'call':>6} {'roots':>6} {'tdown':>6} {'rest':>6}  (seconds, median of rounds 2..)")
    everything = []
    with tempfile.TemporaryDirectory(prefix="dlfs-suite-bench-") as tmp:
        for chapter in args.chapters:
            assignment = load_assignment(chapter)
            for name, path in _notebooks(chapter, Path(tmp)):
                rows = []
                for round_ in range(args.rounds):
                    secret = bytes([round_ + 1]) * 32   # a salt per round, as per submission
                    prep = pipeline.prepare(Submission(name, path), assignment)
                    CURRENT.clear()
                    result = pipeline.grade(prep, secret=secret)
                    phases = CURRENT[-1]
                    if phases.manager.is_registered(phases):   # a suite kept: leave it as found
                        phases.manager.unregister(phases)
                    suite = result.timings.suite
                    m = phases.marks
                    tests = sum(phases.tests.values())
                    collect = m["collect_end"] - m["collect_start"] if "collect_end" in m else 0.0
                    start = m.get("configured", m["init"]) - m["init"]
                    rows.append((suite, start, collect, phases, suite - start - collect - tests))
                    everything.append((chapter, round_, suite))
                    printed += _fingerprint(name, secret, result)
                first = rows[0][0]
                later = rows[1:] or rows
                med = lambda f: statistics.median(f(r) for r in later)  # noqa: E731
                print(f"{name:<40} {med(lambda r: r[0]):6.3f} "
                      f"{med(lambda r: r[1]):6.3f} {med(lambda r: r[2]):7.3f} "
                      f"{med(lambda r: r[3].tests['setup']):6.3f} {med(lambda r: r[3].tests['call']):6.3f} "
                      f"{med(lambda r: r[3].roots):6.3f} {med(lambda r: r[3].tests['teardown']):6.3f} "
                      f"{med(lambda r: r[4]):6.3f}  first: {first:.3f}")
    later = [s for _, r, s in everything if r > 0]
    print(f"median suite s per submission (rounds 2..): {statistics.median(later):.3f}; "
          f"mean {statistics.mean(later):.3f}; first round mean "
          f"{statistics.mean(s for _, r, s in everything if r == 0):.3f}")
    if args.fingerprint:
        args.fingerprint.write_text("\n".join(printed) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
