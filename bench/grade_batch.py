"""Benchmark: grade a class of notebooks end to end and report seconds per notebook.

Builds N distinct submissions (the bundled examples with a comment that makes every file's
bytes unique, so the gradebook cache cannot help) and runs the real CLI on them.

Run: make bench   (or: .venv/bin/python bench/grade_batch.py [N] [JOBS])
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
# One chapter, so the whole class is graded as it (a correct and a buggy notebook).
SOURCES = ["park_jiwoo_ch04.ipynb", "lee_younghee_ch04.ipynb"]


def build_class(folder: Path, count: int) -> None:
    for i in range(count):
        nb = nbformat.read(ROOT / "examples" / SOURCES[i % len(SOURCES)], as_version=4)
        nb.cells[1].source += f"\n# student {i:04d}"
        nbformat.write(nb, folder / f"student_{i:04d}.ipynb")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    jobs = sys.argv[2] if len(sys.argv) > 2 else "2"
    work = Path(tempfile.mkdtemp(prefix="dlfs-bench-"))
    try:
        (work / "class").mkdir()
        build_class(work / "class", count)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(work / "class"),
                               "--out", str(work / "out"), "--jobs", jobs, "--assignment", "ch04"],
                              cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"grading failed ({proc.returncode}):\n{proc.stderr}")
        graded = sum(1 for p in (work / "out" / "students").glob("*/results.json"))
        print(f"graded {graded}/{count} notebooks with --jobs {jobs} in {elapsed:.1f} s: "
              f"{elapsed / count:.3f} s per notebook (wall), {count / elapsed:.1f} notebooks/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
