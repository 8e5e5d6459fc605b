"""Grade many submissions: cache look-up where the batch runs, grading through an executor.

The batch owns the gradebook and every file under OUT, so workers never race on them.
One broken submission, or even a dead worker, costs that submission a result marked as
an error, never the batch. Each student's files live in OUT/students/<id>/, apart from
the batch's own files (gradebook, summary, dashboard), so no student id can name one.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .assignment import Assignment
from .executor import Executor, WorkerLost, local_executor
from .gradebook import Gradebook
from .messages import say
from .pipeline import Prepared, error_result, grade, prepare
from .report.history import history_rows
from .report.exports import read_roster, write_exports
from .report.similarity import find_similar
from .report.render import (DEFAULT_LANG, atomic_write, render_dashboard, write_submission,
                            write_summary_csv)
from .result import ErrorCode, GradingResult, RunError
from .submissions import Submission

log = logging.getLogger("autograder.batch")

STUDENTS_DIR = "students"


@dataclass
class BatchResult:
    results: list[GradingResult]
    elapsed: float
    cached: int


def run_batch(submissions: list[Submission], out_dir: Path, *, assignment: Assignment | None = None,
              assignment_from_file: bool = False, jobs: int | None = None, force: bool = False,
              seed: int = 0, executor: Executor | None = None,
              progress: Callable[[GradingResult], None] | None = None,
              lang: str | None = None, roster: Path | None = None) -> BatchResult:
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    finished: dict[str, GradingResult] = {}
    cached = 0
    configs: dict = {}
    roster_rows = read_roster(roster)     # read first: a bad roster fails before any grading

    def config(prep: Prepared):
        if prep.assignment is None:
            return None
        if prep.assignment not in configs:
            configs[prep.assignment] = prep.assignment.load()
        return configs[prep.assignment]

    def page_lang(prep: Prepared) -> str:
        """The command line's --lang, else the assignment's [report] lang, else Korean."""
        return lang or getattr(config(prep), "lang", None) or DEFAULT_LANG

    with Gradebook(out_dir / "gradebook.sqlite") as book:
        def finish(prep: Prepared, result: GradingResult) -> None:
            book.record(result)
            write_submission(out_dir / STUDENTS_DIR, result, page_lang(prep),
                             getattr(config(prep), "visibility", None),
                             history_rows(book.history(result.student_id)))
            finished[prep.submission.student_id] = result
            if progress:
                progress(result)

        to_grade: list[Prepared] = []
        for sub in submissions:
            prep = prepare(sub, assignment, assignment_from_file=assignment_from_file)
            if prep.error:
                finish(prep, error_result(prep))
                continue
            hit = None if force else book.cached(prep.provenance)
            if hit:
                run_id, stored = hit
                cached += 1
                # The stored result, as this student's file: same bytes, same grade.
                finish(prep, dataclasses.replace(stored, provenance=prep.provenance,
                                                 reused_run=run_id))
            else:
                to_grade.append(prep)

        executor = executor or local_executor(jobs, len(to_grade))
        work = functools.partial(grade, seed=seed)
        for prep, outcome in executor.run(work, to_grade):
            if isinstance(outcome, WorkerLost):
                # Student code never runs in a worker, so this is our fault or the OOM
                # killer's; the submission gets an error result and the batch goes on.
                log.error("grading worker died while grading %s: %s", prep.submission.path,
                          outcome.detail)
                outcome = error_result(prep, RunError(ErrorCode.WORKER_CRASHED, say("batch.error.worker_crashed")))
            finish(prep, outcome)

        latest = book.latest_results()
        write_summary_csv(out_dir / "summary.csv", latest)
        write_exports(out_dir, latest, roster_rows, lang or DEFAULT_LANG)
        similar = find_similar(latest)
        for skipped in similar.skipped:
            log.warning("similarity: %s's %s left out (%s)", skipped.student_id, skipped.item, skipped.reason)
        atomic_write(out_dir / "dashboard.html", render_dashboard(latest, STUDENTS_DIR, lang or DEFAULT_LANG,
                                                                  similar.pairs, similar.skipped))
    ordered = [finished[s.student_id] for s in submissions if s.student_id in finished]
    return BatchResult(ordered, time.monotonic() - started, cached)
