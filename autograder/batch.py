"""Grade many submissions: cache look-up in the parent, sandboxed grading in worker processes.

The parent owns the gradebook and every file under OUT, so workers never race on them.
One broken submission, or even a dead worker, costs that submission a result marked as
an error, never the batch.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .assignment import Assignment
from .gradebook import Gradebook
from .messages import say
from .pipeline import Prepared, error_results, grade, prepare
from .report.render import atomic_write, render_dashboard, write_submission, write_summary_csv
from .submissions import Submission

log = logging.getLogger("autograder.batch")


@dataclass
class BatchResult:
    results: list[dict]
    elapsed: float
    cached: int


def _grade_in_worker(prep: Prepared, seed: int) -> dict:
    return grade(prep, seed=seed)


def _crashed_worker_results(prep: Prepared) -> dict:
    prep.error = {"code": "worker_crashed", "message": say("worker_crashed")}
    return error_results(prep)


def run_batch(submissions: list[Submission], out_dir: Path, *, assignment: Assignment | None = None,
              jobs: int | None = None, force: bool = False, seed: int = 0,
              progress: Callable[[dict], None] | None = None) -> BatchResult:
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    finished: dict[str, dict] = {}
    cached = 0
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        def finish(prep: Prepared, results: dict, reused: int | None = None) -> None:
            if reused is not None:
                results["dlfs"]["reused_run"] = reused
            book.record(student_id=prep.submission.student_id, source_path=str(prep.submission.path),
                        results=results, reused_run=reused)
            write_submission(out_dir, results)
            finished[prep.submission.student_id] = results
            if progress:
                progress(results)

        to_grade: list[Prepared] = []
        for sub in submissions:
            prep = prepare(sub, assignment)
            if prep.error:
                finish(prep, error_results(prep))
                continue
            hit = None if force else book.cached(prep.sha256, prep.assignment.id,
                                                 prep.provenance["assignment_version"],
                                                 prep.provenance["grader_version"])
            if hit:
                run_id, stored = hit
                stored["dlfs"].update(student_id=sub.student_id, source=str(sub.path))
                cached += 1
                finish(prep, stored, reused=run_id)
            else:
                to_grade.append(prep)

        if jobs == 1 or len(to_grade) <= 1:
            for prep in to_grade:
                finish(prep, grade(prep, seed=seed))
        else:
            _grade_parallel(to_grade, jobs, seed, finish)

        latest = book.latest_results()
        write_summary_csv(out_dir / "summary.csv", latest)
        atomic_write(out_dir / "dashboard.html", render_dashboard(latest))
    ordered = [finished[s.student_id] for s in submissions if s.student_id in finished]
    return BatchResult(ordered, time.monotonic() - started, cached)


def _grade_parallel(preps: list[Prepared], jobs: int, seed: int, finish) -> None:
    # No max_tasks_per_child: on Python 3.11 the pool stops replacing retired workers and
    # the batch hangs (seen here at the 50th notebook). The runner unloads each suite's
    # modules after a run, so a long-lived worker does not accumulate them.
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(_grade_in_worker, p, seed): p for p in preps}
        for future in as_completed(futures):
            prep = futures[future]
            try:
                results = future.result()
            except BrokenProcessPool:
                # Student code never runs in a worker, so this is our fault or the OOM
                # killer's; the submission gets an error result and the batch goes on.
                log.error("grading worker died while grading %s", prep.submission.path)
                results = _crashed_worker_results(prep)
            finish(prep, results)
    except BaseException:
        # A broken hidden suite or Ctrl-C: do not grade the rest of the class first.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
