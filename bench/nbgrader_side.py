"""Benchmark: this grader against nbgrader's autograde, side by side, on the same 20 ch04
notebooks (issue 16: this grader with 2 workers at least 10x faster than nbgrader).

nbgrader is not a dependency of this project. It runs from a separate environment named
by NBGRADER_PYTHON (or --nbgrader-python); without one this prints how to make one and
exits 0, so `make bench` runs everywhere.

What is timed:
  - nbgrader: `nbgrader autograde ch04` over all 20 submissions, the whole command (wall
    clock). It executes each notebook in a fresh Jupyter kernel, one after another.
  - this grader: run_batch of the same 20 notebooks with LocalPoolExecutor(2), as
    bench/class_bench.py grades a batch (pool start and end included), with its full
    ch04 suite and with the floor's eight asserts as its suite (bench/floor_ch04), the
    same checks nbgrader runs.

The nbgrader course is built in a temp dir: a source notebook whose answer cells hold the
chapter's reference code and whose test cells are the eight asserts of the plain-process
floor in bench/class_bench.py (PLAIN), taken from its text, so both sides check the same
class of things against the same reference values. nbgrader does less than this grader:
eight asserts, no TwoLayerNet, no gradient checks, no sandbox, no feedback pages; the
comparison favours nbgrader. The course is released with `nbgrader generate_assignment`;
each student's cells go into the released notebook's answer cells (which keep their
nbgrader ids), under submitted/<student>/ch04/ch04_training.ipynb. A truncated upload is
placed as its bytes, as a student would have uploaded it.

Run: NBGRADER_PYTHON=/tmp/nbg/bin/python .venv/bin/python bench/nbgrader_side.py
Make one: python3.11 -m venv /tmp/nbg && /tmp/nbg/bin/pip install nbgrader numpy
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from class_bench import PLAIN, ROOT, build_class, floor_suite, grade_class  # noqa: E402

from autograder.executor import LocalPoolExecutor  # noqa: E402

CHAPTER, COUNT, NOTEBOOK = "ch04", 20, "ch04_training"
HOW = ("nbgrader side by side: skipped (set NBGRADER_PYTHON to a Python that has nbgrader, "
       "e.g. python3.11 -m venv /tmp/nbg && /tmp/nbg/bin/pip install nbgrader numpy)")


def nbgrader_python(argv: list[str]) -> str | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nbgrader-python", default=os.environ.get("NBGRADER_PYTHON"))
    python = parser.parse_args(argv).nbgrader_python
    if not python:
        return None
    try:
        found = subprocess.run([python, "-c", "import nbgrader, numpy, ipykernel"], capture_output=True)
    except OSError:
        found = None
    if found is None or found.returncode != 0:
        print(f"note: {python} cannot import nbgrader, numpy and ipykernel")
        return None
    return python


def floor_cells() -> tuple[str, list[str]]:
    """The floor's setup and its eight asserts, as nbgrader cells: the student's names are
    the kernel's globals there (ns["name"] -> name), the reference is the same import."""
    lines = PLAIN.strip().splitlines()
    start = next(i for i, line in enumerate(lines) if "exec(" in line) + 1
    asserts = [re.sub(r'ns\["(\w+)"\]', r"\1", line) for line in lines[start:] if line.startswith("assert ")]
    values = [line for line in lines[start:] if not line.startswith("assert ")]
    if len(asserts) != 8:
        sys.exit(f"the floor in class_bench.py has {len(asserts)} asserts, not 8: update this bench")
    # The floor runs from the project root, where `reference` imports; the kernel runs in
    # the course's folder, so the root goes on its path.
    setup = "\n".join([f"import sys\nsys.path.insert(0, {str(ROOT)!r})", "import numpy as np",
                       "from reference.ch04_training import losses", *values])
    return setup, asserts


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (pool workers,
    sandboxes, nbgrader and its kernels): what each side cost, whatever else the
    machine runs; the wall clock grows with other processes' load, this barely does."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def nbgrader_meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(answers: list[str]) -> nbformat.NotebookNode:
    """The instructor's notebook: one answer cell per reference cell, then the floor."""
    cells = [new_code_cell(f"### BEGIN SOLUTION\n{code}\n### END SOLUTION",
                           metadata=nbgrader_meta(f"answer_{i}", solution=True))
             for i, code in enumerate(answers)]
    setup, asserts = floor_cells()
    cells.append(new_code_cell(setup, metadata=nbgrader_meta("setup", locked=True)))
    cells += [new_code_cell(line, metadata=nbgrader_meta(f"test_{i}", grade=True, locked=True, points=1))
              for i, line in enumerate(asserts)]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def nbgrader(python: str, course: Path, *args: str) -> float:
    # nbgrader runs `alembic` (its database migrations) from PATH, as in an activated venv.
    env = {**os.environ, "PATH": f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    began = time.perf_counter()
    proc = subprocess.run([python, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True)
    took = time.perf_counter() - began
    if proc.returncode != 0 and args[0] != "autograde":   # autograde fails on the truncated uploads
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return took


def build_course(course: Path, subs) -> None:
    reference = nbformat.reads(subs[0].path.read_text(encoding="utf-8"), as_version=4)  # MIX[0]: correct
    (course / "source" / CHAPTER).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    nbformat.write(source_notebook([c.source for c in reference.cells if c.cell_type == "code"]),
                   course / "source" / CHAPTER / f"{NOTEBOOK}.ipynb")


def place_submissions(course: Path, subs) -> None:
    released = nbformat.read(course / "release" / CHAPTER / f"{NOTEBOOK}.ipynb", as_version=4)
    for sub in subs:
        target = course / "submitted" / sub.student_id / CHAPTER / f"{NOTEBOOK}.ipynb"
        target.parent.mkdir(parents=True)
        text = sub.path.read_text(encoding="utf-8")
        try:
            student = nbformat.reads(text, as_version=4)
        except Exception:
            target.write_text(text, encoding="utf-8")       # a truncated upload stays broken
            continue
        nb = nbformat.from_dict(released)
        code = [c.source for c in student.cells if c.cell_type == "code"]
        answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        for cell, source in zip(answers, code, strict=True):
            cell.source = source
        nbformat.write(nb, target)


def nbgrader_scores(python: str, course: Path) -> dict[int, int]:
    """How many students got each score out of 8 (a sanity check that it really graded)."""
    nbgrader(python, course, "export", "--to", str(course / "grades.csv"))
    counts: dict[str, int] = {}
    with open(course / "grades.csv", encoding="utf-8") as f:
        for line in csv.DictReader(f):
            score = int(float(line["raw_score"]))       # a notebook nbgrader could not read: 0
            counts[score] = counts.get(score, 0) + 1
    return dict(sorted(counts.items()))


def main(argv: list[str]) -> None:
    python = nbgrader_python(argv)
    if python is None:
        print(HOW)
        return
    logging.basicConfig(level=logging.CRITICAL)      # broken uploads are results, not news
    work = Path(tempfile.mkdtemp(prefix="dlfs-nbgrader-side-"))
    try:
        subs = build_class(work / "class" / CHAPTER, CHAPTER, COUNT)
        course = work / "course"
        build_course(course, subs)
        nbgrader(python, course, "generate_assignment", CHAPTER)
        place_submissions(course, subs)

        cpu = cpu_seconds()
        theirs = nbgrader(python, course, "autograde", CHAPTER)
        theirs_cpu = cpu_seconds() - cpu
        graded = sum(1 for s in subs if (course / "autograded" / s.student_id / CHAPTER / f"{NOTEBOOK}.ipynb").is_file())
        scores = nbgrader_scores(python, course)
        cpu = cpu_seconds()
        ours = grade_class({CHAPTER: subs}, work / "ours", lambda _n: LocalPoolExecutor(2))
        ours_cpu = cpu_seconds() - cpu
        eight = floor_suite(subs, work / "eight") * COUNT

        print(f"{COUNT} {CHAPTER} notebooks (correct, one-bug mutants, broken uploads), {os.cpu_count()} CPUs")
        print(f"nbgrader autograde (one kernel per notebook, in turn; the floor's 8 asserts): "
              f"{theirs:6.1f} s wall, {theirs_cpu:5.1f} s CPU  ({theirs / COUNT:.3f} s/nb; {graded} autograded, scores out of 8: {scores})")
        print(f"this grader, 2 workers (the full hidden suite):                      "
              f"{ours['wall']:6.1f} s wall, {ours_cpu:5.1f} s CPU  ({ours['wall'] / COUNT:.3f} s/nb; {dict(sorted(ours['statuses'].items()))})")
        print(f"this grader, 2 workers, the floor's 8 asserts as its suite (bench/floor_ch04):  "
              f"{eight:6.1f} s wall  ({eight / COUNT:.3f} s/nb)")
        print(f"this grader is {theirs / ours['wall']:.1f}x faster than nbgrader autograde in wall clock with its "
              f"full suite, {theirs / eight:.1f}x with the same 8 asserts (issue 16's target: 10x); "
              f"with its full suite it spends {ours_cpu / theirs_cpu:.2f}x nbgrader's CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
