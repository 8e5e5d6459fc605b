"""Benchmark: where one submission's hidden-suite phase spends its time.

Grades chapter notebooks (the reference and a few mutants from tests/mutants/catalogue.py)
in this process, one after another, as a worker does, each with its own salt, and splits
the suite phase (pipeline.Timings.suite) into the tests' setup, call and teardown, the
root-cause reruns (roots.trace) inside calls, and the rest (what is not a test: before
the suite was collected once per process, pytest's start, collection and end were
there). The first submission of a chapter is reported apart: it pays for what a worker
does once. `--fingerprint` writes every outcome (durations aside): two runs on
different code grade the same notebooks with the same salts, so the files must match.

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
from autograder.grading import collected, plugin as plugin_module, roots  # noqa: E402
from autograder.submissions import Submission  # noqa: E402
from tests.mutants.catalogue import mutants_of, notebook  # noqa: E402

MUTANTS_PER_CHAPTER = 2


class Phases:
    """What one suite run spent in its tests' phases and in root-cause reruns."""

    def __init__(self):
        self.tests = {"setup": 0.0, "call": 0.0, "teardown": 0.0}
        self.roots = 0.0


CURRENT: list[Phases] = []


class Timer:
    """Registered once per kept suite (pluggy keeps a record of every registration, so
    not once per run): adds each report's duration to this run's Phases."""

    target: Phases | None = None

    def pytest_runtest_logreport(self, report):
        self.target.tests[report.when] += report.duration


def _instrument() -> None:
    """Time each suite run with a Phases plugin (one per suite, kept with it), and roots.trace."""
    original_run = collected.CollectedSuite.run

    def run(self, plugin):
        phases = Phases()
        CURRENT.append(phases)
        if getattr(self, "_bench_timer", None) is None:
            self._bench_timer = Timer()
            self.config.pluginmanager.register(self._bench_timer)
        self._bench_timer.target = phases
        return original_run(self, plugin)

    collected.CollectedSuite.run = run
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
    print(f"{'notebook':<40} {'suite':>6} {'setup':>6} {'call':>6} {'roots':>6} {'tdown':>6} "
          f"{'rest':>6}  (seconds, median of rounds 2..; rest: all but the tests)")
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
                    suite = result.timings.suite
                    rows.append((suite, phases, suite - sum(phases.tests.values())))
                    everything.append((chapter, round_, suite))
                    printed += _fingerprint(name, secret, result)
                first = rows[0][0]
                later = rows[1:] or rows
                med = lambda f: statistics.median(f(r) for r in later)  # noqa: E731
                print(f"{name:<40} {med(lambda r: r[0]):6.3f} "
                      f"{med(lambda r: r[1].tests['setup']):6.3f} {med(lambda r: r[1].tests['call']):6.3f} "
                      f"{med(lambda r: r[1].roots):6.3f} {med(lambda r: r[1].tests['teardown']):6.3f} "
                      f"{med(lambda r: r[2]):6.3f}  first: {first:.3f}")
    later = [s for _, r, s in everything if r > 0]
    print(f"median suite s per submission (rounds 2..): {statistics.median(later):.3f}; "
          f"mean {statistics.mean(later):.3f}; first round mean "
          f"{statistics.mean(s for _, r, s in everything if r == 0):.3f}")
    if args.fingerprint:
        args.fingerprint.write_text("\n".join(printed) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
