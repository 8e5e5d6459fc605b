"""Benchmark: what importing matplotlib adds to grading a notebook.

Two tables, median of several runs after a warm-up (which builds the font list when the
grader's cache has none):
  1. one ch04 notebook graded end to end (pipeline.prepare + grade, auto layer) as it
     is but for its import cell: numpy only; plus `import matplotlib.pyplot as plt`
     (the budget: at most BUDGET seconds more); and with a gradient_descent that plots
     in its loop, which pays for the real import when a test first calls it.
  2. one sandbox started and loaded, in each layer: numpy only; the deferred import; the
     real import (what every notebook that imports pyplot would pay without deferral).

Run: make bench   (or: .venv/bin/python bench/plotting.py [RUNS])
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from autograder.pipeline import grade, prepare  # noqa: E402
from autograder.sandbox import Limits, Sandbox  # noqa: E402
from autograder.submissions import Submission  # noqa: E402

BUDGET = 0.3
EXAMPLE = ROOT / "examples" / "park_jiwoo_ch04.ipynb"
NUMPY_ONLY = "import numpy as np"
WITH_PYPLOT = "import numpy as np\nimport matplotlib.pyplot as plt"
LOOP = "    for i in range(step_num):\n        x -= lr * numerical_gradient(f, x)\n"
PLOTTING_LOOP = ("    for i in range(step_num):\n        plt.scatter(x[0], x[1], s=4)\n"
                 "        x -= lr * numerical_gradient(f, x)\n"
                 "    plt.xlabel('x0')\n    plt.savefig('descent.png')\n    plt.show()\n")


def notebook(folder: Path, name: str, imports: str, plots: bool) -> Path:
    nb = nbformat.read(EXAMPLE, as_version=4)
    nb.cells[1].source = imports
    if plots:
        cell = next(c for c in nb.cells if "def gradient_descent" in c.source)
        assert LOOP in cell.source
        cell.source = cell.source.replace(LOOP, PLOTTING_LOOP)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def grade_seconds(paths: list[Path], runs: int) -> list[tuple[float, float]]:
    """Median seconds to grade each notebook, and its score (the same every run).

    The notebooks take turns, so a machine that gets busier or quieter meanwhile weighs
    on all of them alike."""
    times, scores = [[] for _ in paths], [None] * len(paths)
    for run in range(runs + 1):
        for index, path in enumerate(paths):
            began = time.perf_counter()
            result = grade(prepare(Submission(path.stem, path)))
            if run:  # the first round may build the font list, and imports the hidden suite
                times[index].append(time.perf_counter() - began)
            scores[index] = result.score.points
    return [(statistics.median(t), score) for t, score in zip(times, scores)]


def start_seconds(layer: str, sources: list[str], runs: int) -> list[float]:
    times = [[] for _ in sources]
    for run in range(runs + 1):
        for index, source in enumerate(sources):
            began = time.perf_counter()
            with Sandbox(Limits(), isolation=layer) as box:
                report = box.load([("cell 1", source)])
                if run:
                    times[index].append(time.perf_counter() - began)
            if not report.ok:
                raise RuntimeError(f"{layer}: {report.block_errors}")
    return [statistics.median(t) for t in times]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    work = Path(tempfile.mkdtemp(prefix="dlfs-bench-plot-"))
    try:
        cases = [("numpy only", notebook(work, "numpy_only", NUMPY_ONLY, False)),
                 ("+ import matplotlib.pyplot", notebook(work, "with_pyplot", WITH_PYPLOT, False)),
                 ("+ plots in gradient_descent", notebook(work, "plots", WITH_PYPLOT, True))]
        print(f"grading one ch04 notebook end to end, median of {runs}; budget for the import: +{BUDGET:g} s")
        measured = grade_seconds([path for _, path in cases], runs)
        base = measured[0][0]
        for (label, _), (seconds, score) in zip(cases, measured):
            extra = f"  ({seconds - base:+.3f} s)" if seconds is not base else ""
            print(f"  {label:<30} {seconds:7.3f} s  score {score:g}{extra}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sources = [("numpy only", NUMPY_ONLY), ("import pyplot (deferred)", WITH_PYPLOT),
               ("pyplot really imported", WITH_PYPLOT + "\nplt.gcf()")]
    print(f"sandbox start + load, median of {runs}")
    for layer in ("bubblewrap", "fallback"):
        try:
            medians = start_seconds(layer, [source for _, source in sources], runs)
            cells = [f"{label} {seconds * 1e3:6.0f} ms" for (label, _), seconds in zip(sources, medians)]
        except Exception as exc:  # a machine without bwrap still gets the fallback row
            print(f"  {layer:<11} unavailable: {exc}")
            continue
        print(f"  {layer:<11} " + " | ".join(cells))


if __name__ == "__main__":
    main()
