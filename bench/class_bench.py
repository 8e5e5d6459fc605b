"""Benchmark: a synthetic class of chapters 4, 5 and 7, graded as an instructor grades it.

Prints, in one run:
  - seconds per submission-chapter (median, p95) with 1 and 2 workers, throughput, and
    the speed-up from 1 to 2 workers;
  - the total time for 50, 100 and 200 submissions of one chapter (2 workers);
  - the same class on a 2-worker Dask LocalCluster (the --scheduler path, on loopback);
  - peak memory per worker process, and of the sandboxes under them;
  - a plain process per notebook (exec the cells, eight asserts: the floor) against this
    grader on the same chapter, with its whole suite and with the floor's eight asserts
    as its suite (bench/floor_ch04: what the grader costs around a suite that small);
  - the latency of the students' local check (python -m dlfs_check) on one notebook;
and ends with the line `median s per submission-chapter: X` (2 workers, as `make grade`
runs on this 2-core machine).

"Seconds per submission-chapter" is one notebook's own cost, as its results.json records
it (timings: ingest, sandbox start, load, suite, report); the throughput is the batch's
wall clock, the parent's serial work (gradebook, pages, class files) included.

The class: for each chapter, the reference (a correct notebook), its mutants
(reference/<chapter>/mutants.toml: one classic bug each) and broken uploads (a syntax
error, a truncated file), every file's bytes unique. Each chapter is its own batch, as
an instructor grades an assignment.

Run: make bench   (or: .venv/bin/python bench/class_bench.py; QUICK=1 for a smoke test)
"""

from __future__ import annotations

import logging
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.assignment import load_assignment, load_assignment_file  # noqa: E402
from autograder.batch import run_batch  # noqa: E402
from autograder.executor import LocalPoolExecutor, SerialExecutor  # noqa: E402
from autograder.submissions import Submission  # noqa: E402
from tests.mutants.catalogue import mutants_of, notebook  # noqa: E402

QUICK = os.environ.get("QUICK") == "1"
CHAPTERS = ("ch04", "ch05", "ch07")
PER_CHAPTER = 4 if QUICK else 20          # submissions of each chapter in the class
SCALES = (5, 10, 20) if QUICK else (50, 100, 200)
SCALE_CHAPTER = "ch04"
CHECK_RUNS = 1 if QUICK else 3

# Of every ten students: six correct, three with one classic bug, one broken upload (in
# this order, so that a QUICK class of four still has one of each kind).
MIX = ["correct", "mutant", "correct", "broken", "correct", "mutant", "correct", "correct", "mutant", "correct"]


def build_class(folder: Path, chapter: str, count: int, offset: int = 0) -> list[Submission]:
    """`count` distinct notebooks of `chapter` in `folder`, as students would upload them."""
    assignment = load_assignment(chapter)
    mutants = [m for m in mutants_of(assignment) if m.expect != "full"]
    folder.mkdir(parents=True, exist_ok=True)
    subs = []
    for i in range(count):
        kind = MIX[(offset + i) % len(MIX)]
        student = f"{chapter}_{offset + i:04d}_{kind}"
        path = folder / f"{student}.ipynb"
        if kind == "correct":
            nb = notebook(assignment)
        elif kind == "mutant":
            nb = notebook(assignment, mutants[(offset + i) % len(mutants)])
        else:
            nb = notebook(assignment)
        nb.cells[0].source += f"\n# student {student}\n"      # every file's bytes differ
        # Broken uploads alternate (and start differently in each chapter): a cell that
        # does not parse, or a file cut in half.
        truncated = kind == "broken" and ((offset + i) // len(MIX) + CHAPTERS.index(chapter)) % 2
        if kind == "broken" and not truncated:
            nb.cells[-1].source += "\ndef broken(:\n"
        text = nbformat.writes(nb)
        if truncated:
            text = text[: len(text) // 2]
        path.write_text(text, encoding="utf-8")
        subs.append(Submission(student, path))
    return subs


class MemorySampler:
    """Peak resident memory of this process's children (the workers) and of their own
    children (sandboxes), sampled with psutil; None when psutil is not installed."""

    def __init__(self, interval: float = 0.2):
        try:
            import psutil
        except ImportError:
            self.psutil = None
            return
        self.psutil = psutil
        self.interval = interval
        self.workers: dict[int, int] = {}
        self.sandbox = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.psutil:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self.psutil:
            self._stop.set()
            self._thread.join()

    def _run(self):
        me = self.psutil.Process()
        while not self._stop.wait(self.interval):
            try:
                children = me.children(recursive=True)
            except self.psutil.Error:
                continue
            for child in children:
                try:
                    rss = child.memory_info().rss
                    direct = child.ppid() == me.pid
                except self.psutil.Error:
                    continue
                if direct:
                    self.workers[child.pid] = max(self.workers.get(child.pid, 0), rss)
                else:
                    self.sandbox = max(self.sandbox, rss)


def grade_class(classes: dict[str, list[Submission]], out: Path, executor_for) -> dict:
    """Each chapter as its own batch; the submissions' own seconds and the wall clock."""
    own, wall, count, statuses = [], 0.0, 0, {}
    for chapter, subs in classes.items():
        began = time.perf_counter()
        # Closed here, and timed with the batch: ending a pool is part of what a batch costs.
        with closing(executor_for(len(subs))) as executor:
            batch = run_batch(subs, out / chapter, assignment=load_assignment(chapter), force=True,
                              executor=executor)
        own += [r.timings.total for r in batch.results]
        wall += time.perf_counter() - began
        count += len(batch.results)
        for r in batch.results:
            statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    return {"own": own, "wall": wall, "count": count, "statuses": statuses}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def row(label: str, run: dict) -> str:
    return (f"{label:<28} {statistics.median(run['own']):>8.3f} {p95(run['own']):>8.3f} "
            f"{run['wall'] / run['count']:>10.3f} {run['count'] / run['wall']:>10.2f}")


def local_check_latency(work: Path) -> float:
    """`python -m dlfs_check NOTEBOOK` in a copy of the chapter folder students get."""
    folder = work / "student" / "ch04_training"
    shutil.copytree(ROOT / "student_template" / "ch04_training", folder)
    nbformat.write(notebook(load_assignment("ch04")), folder / "ch04_training.ipynb")
    times = []
    for _ in range(CHECK_RUNS):
        began = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "dlfs_check", "ch04_training.ipynb", "--lang", "en"],
                              cwd=folder, capture_output=True, text=True)
        times.append(time.perf_counter() - began)
        if proc.returncode != 0:
            sys.exit(f"the local check failed on the reference notebook:\n{proc.stdout}{proc.stderr}")
    return statistics.median(times)


def dask_run(classes: dict[str, list[Submission]], out: Path) -> tuple[dict | None, float, dict]:
    try:
        import distributed
    except ImportError:
        return None, 0.0, {}
    from autograder.dask_executor import DaskExecutor
    logging.getLogger("distributed").setLevel(logging.ERROR)   # after its import, which sets it
    began = time.perf_counter()
    with MemorySampler() as memory, \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        start = time.perf_counter() - began
        executor = DaskExecutor(client)
        run = grade_class(classes, out, lambda _n: executor)
    return run, start, memory.workers


# The floor a grader is measured against: a fresh interpreter per notebook that runs the
# notebook's code cells and eight asserts against the reference, nothing else (no sandbox,
# no isolation, no feedback). Two at a time, as the 2-worker pool grades.
PLAIN = """
import json, sys
import numpy as np
from reference.ch04_training import losses
nb = json.load(open(sys.argv[1], encoding="utf-8"))
ns = {}
for cell in nb["cells"]:
    if cell["cell_type"] == "code":
        exec("".join(cell["source"]), ns)
y = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]]); t = np.array([[0, 1, 0], [0, 0, 1]])
f = lambda x: np.sum(x ** 2)
x = np.array([3.0, 4.0])
assert np.allclose(ns["mean_squared_error"](y[0], t[0]), losses.mean_squared_error(y[0], t[0]))
assert np.allclose(ns["mean_squared_error"](y, t), losses.mean_squared_error(y, t))
assert np.allclose(ns["cross_entropy_error"](y[0], t[0]), losses.cross_entropy_error(y[0], t[0]))
assert np.allclose(ns["cross_entropy_error"](y, t), losses.cross_entropy_error(y, t))
assert np.allclose(ns["cross_entropy_error"](y, t.argmax(1)), losses.cross_entropy_error(y, t.argmax(1)))
assert np.allclose(ns["numerical_diff"](lambda v: v ** 2, 3.0), 6.0, atol=1e-4)
assert np.allclose(ns["numerical_gradient"](f, x.copy()), [6.0, 8.0], atol=1e-4)
assert np.allclose(ns["gradient_descent"](f, x.copy(), lr=0.1, step_num=100), [0.0, 0.0], atol=1e-3)
"""


def plain_floor(subs: list[Submission]) -> float:
    """Wall seconds per notebook of the plain floor above, two processes at a time."""
    from concurrent.futures import ThreadPoolExecutor

    def one(sub: Submission) -> None:
        subprocess.run([sys.executable, "-c", PLAIN, str(sub.path)], cwd=ROOT, capture_output=True)

    began = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, subs))
    return (time.perf_counter() - began) / len(subs)


def floor_suite(subs: list[Submission], out: Path) -> float:
    """Wall seconds per notebook of this grader with the floor's eight asserts as its suite
    (2 workers, the second of two runs: the first starts the workers' templates)."""
    assignment = load_assignment_file(ROOT / "bench" / "floor_ch04")
    walls = []
    for attempt in range(2):
        began = time.perf_counter()
        with closing(LocalPoolExecutor(2)) as executor:
            run_batch(subs, out / str(attempt), assignment=assignment, assignment_from_file=True,
                      force=True, executor=executor)
        walls.append(time.perf_counter() - began)
    return walls[-1] / len(subs)


def mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)      # broken uploads are results, not news
    work = Path(tempfile.mkdtemp(prefix="dlfs-class-bench-"))
    try:
        classes = {ch: build_class(work / "class" / ch, ch, PER_CHAPTER) for ch in CHAPTERS}
        total = sum(map(len, classes.values()))
        print(f"class: {total} submissions ({PER_CHAPTER} each of {', '.join(CHAPTERS)}: "
              f"correct, one-bug mutants, broken uploads); {os.cpu_count()} CPUs, "
              f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
              + (" [QUICK]" if QUICK else ""))

        one = grade_class(classes, work / "one", lambda _n: SerialExecutor())
        with MemorySampler() as pool_memory:
            two = grade_class(classes, work / "two", lambda _n: LocalPoolExecutor(2))
        print(f"\n{'':<28} {'median s':>8} {'p95 s':>8} {'wall s/nb':>10} {'nb/s':>10}")
        print(row("1 worker", one))
        print(row("2 workers", two))
        speedup = (two["count"] / two["wall"]) / (one["count"] / one["wall"])
        print(f"speed-up 1 -> 2 workers: {speedup:.2f}x (throughput)")
        print(f"statuses: {dict(sorted(two['statuses'].items()))}")

        print(f"\n{SCALE_CHAPTER}, 2 workers: total time by class size")
        scaled, scaled_runs = [], []
        for size in SCALES:
            subs = build_class(work / "scale" / str(size), SCALE_CHAPTER, size)
            run = grade_class({SCALE_CHAPTER: subs}, work / "scale-out" / str(size),
                              lambda _n: LocalPoolExecutor(2))
            scaled.append((size, run["wall"]))
            scaled_runs.append((size, run))
            print(f"  {size:>4} submissions: {run['wall']:7.1f} s  ({run['wall'] / size:.3f} s each)")
        (small, small_t), (large, large_t) = scaled[0], scaled[-1]
        print(f"  growth {small} -> {large}: {large_t / small_t:.2f}x time for {large / small:.0f}x "
              "submissions (linear: the same)")

        clustered, start, dask_memory = dask_run(classes, work / "dask")
        if clustered is None:
            print("\nDask LocalCluster: skipped (install dask[distributed] to measure it)")
        else:
            print(f"\nDask LocalCluster, 2 worker processes on loopback (cluster start {start:.1f} s):")
            print(row("2 Dask workers", clustered))
            print(f"  vs the local 2-worker pool: {(clustered['count'] / clustered['wall']) / (two['count'] / two['wall']):.2f}x throughput")

        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        if pool_memory.psutil is None:
            print(f"\npeak memory: largest child process {mb(children)} (ru_maxrss; psutil not installed)")
        else:
            workers = max(pool_memory.workers.values(), default=0)
            dask_workers = max(dask_memory.values(), default=0)
            print(f"\npeak memory per worker: {mb(workers)} (local pool)"
                  + (f", {mb(dask_workers)} (Dask worker)" if dask_memory else "")
                  + f"; a sandbox {mb(pool_memory.sandbox)}; largest child ever {mb(children)} (ru_maxrss)")

        floor = plain_floor(classes[SCALE_CHAPTER])
        graded = next(run for size, run in scaled_runs if size == max(SCALES))
        eight = floor_suite(classes[SCALE_CHAPTER], work / "floor-suite")
        print(f"\nplain process per notebook, 2 at a time (exec the cells, 8 asserts; the floor): "
              f"{floor:.3f} s/nb")
        print(f"  this grader, {max(SCALES)} {SCALE_CHAPTER} submissions, whole suite: "
              f"{graded['wall'] / graded['count']:.3f} s/nb = {graded['wall'] / graded['count'] / floor:.2f}x the floor")
        print(f"  this grader, the same {len(classes[SCALE_CHAPTER])} notebooks as the floor, the floor's 8 asserts "
              f"as its suite: {eight:.3f} s/nb = {eight / floor:.2f}x the floor")
        print(f"students' local check (python -m dlfs_check, ch04 reference): "
              f"{local_check_latency(work):.2f} s")
        print(f"median s per submission-chapter: {statistics.median(two['own']):.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
