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

from .assignment import Assignment, load_assignment
from .class_chapter import settle_chapter
from .executor import Executor, WorkerLost, local_executor
from .feedback import msg
from .gradebook import Gradebook
from .messages import DEFAULT_LANG, console_lang, say
from .pipeline import Prepared, error_result, grade, prepare
from .poststage import Faults, StageFault, neutral
from .report import moodle
from .report.history import history_rows
from .report.exports import assignments_of, canvas_unmatched, export_builders
from .report.roster import Roster, read_roster
from .report.similarity import find_similar
from .report.render import (atomic_write, render_dashboard, render_feedback, summary_csv,
                            write_submission)
from .report.results_json import dumps, to_dict
from .result import ErrorCode, GradingResult, RunError
from .submissions import Submission

log = logging.getLogger("autograder.batch")

STUDENTS_DIR = "students"


@dataclass
class BatchResult:
    results: list[GradingResult]
    elapsed: float
    cached: int
    faults: list[StageFault] = dataclasses.field(default_factory=list)


def run_batch(submissions: list[Submission], out_dir: Path, *, assignment: Assignment | None = None,
              assignment_from_file: bool = False, jobs: int | None = None, force: bool = False,
              seed: int = 0, executor: Executor | None = None,
              progress: Callable[[GradingResult], None] | None = None,
              lang: str | None = None, roster: Path | None = None,
              canvas_ids: dict[str, str] | None = None) -> BatchResult:
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    finished: dict[str, GradingResult] = {}
    cached = 0
    configs: dict = {}
    class_roster = read_roster(roster)     # read first: a bad roster fails before any grading

    def config(prep: Prepared):
        if prep.assignment is None:
            return None
        if prep.assignment not in configs:
            configs[prep.assignment] = prep.assignment.load()
        return configs[prep.assignment]

    def page_lang(prep: Prepared) -> str:
        """The command line's --lang, else the assignment's [report] lang, else Korean."""
        return lang or getattr(config(prep), "lang", None) or DEFAULT_LANG

    faults = Faults()
    unrecorded: list[GradingResult] = []     # results the gradebook refused: still reported

    with Gradebook(out_dir / "gradebook.sqlite") as book:
        def finish(prep: Prepared, result: GradingResult) -> None:
            # Every stage after grading is fault-isolated (poststage.py): a failure costs
            # this student a note, never the batch.
            sid = result.student_id
            if faults.student("gradebook", sid, lambda: book.record(result)) is None:
                unrecorded.append(result)
            history = faults.student("history", sid, lambda: history_rows(book.history(sid)), [])
            def write():
                return write_submission(out_dir / STUDENTS_DIR, result, page_lang(prep),
                                        getattr(config(prep), "visibility", None), history)
            if faults.student("results", sid, write) is None:
                faults.student("results", sid, lambda: _write_plain_result(out_dir / STUDENTS_DIR, result,
                                                                          page_lang(prep)))
            finished[prep.submission.student_id] = result
            if progress:
                faults.student("progress", sid, lambda: progress(result))

        to_grade: list[Prepared] = []
        preps = [prepare(sub, assignment, assignment_from_file=assignment_from_file) for sub in submissions]
        # One chapter for the whole class, when most of it points to one.
        settle_chapter(preps, assignment, assignment_from_file)
        for prep in preps:
            if prep.error:
                finish(prep, error_result(prep))
                continue
            hit = None if force else book.cached(prep.provenance)
            if hit:
                # The store's result, typed (store/codec.py), never a results.json read back.
                run_id, stored = hit
                cached += 1
                # The stored result, as this student's file: same bytes, same grade.
                finish(prep, dataclasses.replace(stored, provenance=prep.provenance,
                                                 reused_run=run_id, chapter_note=prep.chapter_note))
            else:
                to_grade.append(prep)

        executor = executor or local_executor(jobs, len(to_grade))
        # Made once per output folder and kept there: regrades into it draw the same inputs.
        work = functools.partial(grade, seed=seed, secret=book.input_secret())
        for prep, outcome in executor.run(work, to_grade):
            if isinstance(outcome, WorkerLost):
                # Student code never runs in a worker, so this is our fault or the OOM
                # killer's; the submission gets an error result and the batch goes on.
                log.error("grading worker died while grading %s: %s", prep.submission.path,
                          outcome.detail)
                outcome = error_result(prep, RunError(ErrorCode.WORKER_CRASHED, msg("batch.error.worker_crashed")))
            finish(prep, outcome)

        latest = book.latest_per_assignment(
            on_error=lambda sid, exc: faults.note("gradebook", sid, exc, "dropped"))
    write_class_files(out_dir, _with_unrecorded(latest, unrecorded), faults, class_roster,
                      lang or DEFAULT_LANG, canvas_ids)
    ordered = [finished[s.student_id] for s in submissions if s.student_id in finished]
    return BatchResult(ordered, time.monotonic() - started, cached, faults.items)


def write_class_files(out_dir: Path, latest: list[GradingResult], faults: Faults,
                      class_roster: Roster, lang: str,
                      canvas_ids: dict[str, str] | None = None) -> None:
    """summary.csv, the exports and the dashboard from every (student, assignment)'s latest
    result; each stage drops or neutralises an offending student and still writes its file."""
    summary = faults.klass("summary", summary_csv, latest, None)
    if summary is not None:
        faults.student("summary", "", lambda: atomic_write(out_dir / "summary.csv", summary))
    builders = export_builders(class_roster, lang, assignments=assignments_of(latest),
                               canvas_ids=canvas_ids, page=_feedback_page(lang))
    for name, build in builders.items():
        text = faults.klass("exports", build, latest, None)
        if text is not None:
            faults.student("exports", "", lambda: atomic_write(out_dir / name, text))
    _warn_unmatched_in_lms(latest, class_roster, canvas_ids, lang)
    missing, unused = class_roster.mismatches(latest)
    if missing:
        log.warning("%d graded student(s) are not on the roster: %s", len(missing), ", ".join(missing))
    if unused:
        log.warning("%d roster row(s) matched no result: %s", len(unused), ", ".join(unused))
    similar = faults.klass("similarity", find_similar, latest, None)
    pairs, skipped = (similar.pairs, similar.skipped) if similar is not None else ([], [])
    for item in skipped:
        log.warning("similarity: %s's %s left out (%s)", item.student_id, item.item, item.reason)

    # The dashboard comes last so it can list every fault before it, its own included (a
    # student it cannot show is shown neutralised, and named in that list).
    def dashboard(results: list[GradingResult]) -> str:
        return render_dashboard(results, STUDENTS_DIR, lang, pairs, faults.items, (missing, unused), skipped)
    html = faults.klass("dashboard", dashboard, latest, None)
    if html is None:
        html = faults.student("dashboard", "", lambda: dashboard([neutral(r) for r in latest]))
    if html is not None:
        faults.student("dashboard", "", lambda: atomic_write(out_dir / "dashboard.html", html))


def _feedback_page(lang: str):
    """A result's feedback.html for the LMS's feedback upload, rendered from that result: the
    student's folder holds the page of their latest result of any assignment, which in a
    folder of several chapters need not be this one's."""
    visibility: dict[str, dict | None] = {}

    def page(result: GradingResult) -> str:
        aid = result.provenance.assignment_id
        if aid not in visibility:
            try:
                visibility[aid] = load_assignment(aid).visibility if aid else None
            except Exception:  # noqa: BLE001 - an assignment gone since: every test visible
                visibility[aid] = None
        return render_feedback(result, "html", lang, visibility[aid])
    return page


def _warn_unmatched_in_lms(latest: list[GradingResult], class_roster: Roster,
                           canvas_ids: dict[str, str] | None, lang: str) -> None:
    """Say what an LMS import would leave out, before a TA finds the empty grades. A class
    none of whose rows carries an LMS's ids is not that LMS's: nothing is said of it.
    (Integrator: in the console's language, messages.console_lang(), once fb-edges adds it.)"""
    students = {r.student_id for r in latest}
    no_canvas = canvas_unmatched(latest, class_roster)
    if len(no_canvas) < len(students):
        if no_canvas:
            log.warning("%s", say("batch.canvas_unmatched", console_lang(), count=len(no_canvas),
                                  students=", ".join(no_canvas[:20])))
        if not canvas_ids:
            log.warning("%s", say("batch.canvas_no_assignment_id", console_lang()))
    no_moodle = moodle.unmatched(latest, class_roster)
    if no_moodle and len(no_moodle) < len(students):
        log.warning("%s", say("batch.moodle_unmatched", console_lang(), count=len(no_moodle),
                              students=", ".join(no_moodle[:20])))


def _with_unrecorded(latest: list[GradingResult], unrecorded: list[GradingResult]) -> list[GradingResult]:
    """The gradebook's latest results, with this run's results it could not store put in
    place of what it holds for the same (student, assignment)."""
    keys = {(r.student_id, r.provenance.assignment_id) for r in unrecorded}
    return [r for r in latest if (r.student_id, r.provenance.assignment_id) not in keys] + unrecorded


def _write_plain_result(students_dir: Path, result: GradingResult, lang: str) -> None:
    """results.json when the full pages could not be written: the score and provenance with
    nothing the student's code produced, so an LMS or Gradescope still reads a grade."""
    atomic_write(students_dir / result.student_id / "results.json",
                 dumps(to_dict(neutral(result), None, lang), indent=2))
