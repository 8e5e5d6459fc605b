"""Grade many submissions: each one's work in the workers, the class's in this process.

Every submission goes through the executor twice (units.py): to be read (ingested, its
assignment chosen) and, once the class's chapter is settled and the gradebook asked for
each one, to be graded and rendered. This process only does what needs the whole class
or owns a file: the chapter, the cache look-up, the gradebook, writing each student's
files as their result comes back, and the class files at the end. So the batch owns the
gradebook and every file under OUT, and workers never race on them.
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
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from . import units
from .assignment import Assignment, load_assignment
from .class_chapter import settle_chapter
from .executor import Executor, WorkerLost, local_executor
from .feedback import msg
from .gradebook import Gradebook
from .ingest import IngestError
from .messages import DEFAULT_LANG, console_lang, say
from .pipeline import AssignmentRef, error_result, prepare, read_once
from .poststage import Faults, StageFault, neutral
from .report import moodle
from .report.history import history_rows
from .report.exports import assignments_of, canvas_unmatched, export_builders
from .report.roster import Roster, read_roster
from .report.code_form import Form
from .report.similarity import find_similar
from .report.render import atomic_write, render_dashboard, render_feedback, summary_csv, write_student_files
from .result import ErrorCode, GradingResult, RunError
from .submissions import Submission
from .units import Done, Intake, Job, Surveyed

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
    students = out_dir / STUDENTS_DIR
    jobs = max(1, jobs or os.cpu_count() or 1)
    finished: dict[str, GradingResult] = {}
    forms: dict[str, Form] = {}             # item code -> canonical form, from the workers
    cached = 0
    class_roster = read_roster(roster)     # read first: a bad roster fails before any grading
    faults = Faults()
    unrecorded: list[GradingResult] = []     # results the gradebook refused: still reported

    with ExitStack() as stack:
        if executor is None:
            # Ours, so ours to close: one pool for both phases.
            executor = local_executor(jobs, len(submissions))
            stack.callback(executor.close)
        book = stack.enter_context(Gradebook(out_dir / "gradebook.sqlite"))

        def finish(done: Done) -> None:
            # Every stage after grading is fault-isolated (poststage.py): a failure costs
            # this student a note, never the batch. The worker's were noted (and logged) there.
            faults.items.extend(done.faults)
            result, files, sid = done.result, done.files, done.result.student_id
            if faults.student("gradebook", sid, lambda: book.record(result)) is None:
                unrecorded.append(result)
            # Read after recording: the page's history ends with this run.
            history = faults.student("history", sid, lambda: history_rows(book.history(sid)), [])
            if files is not None and faults.student(
                    "results", sid, lambda: write_student_files(students, sid, files, history)) is None:
                faults.student("results", sid, lambda: write_student_files(
                    students, sid, units.plain_files(result, files.lang)))
            finished[sid] = result
            forms.update(done.forms)
            if progress:
                faults.student("progress", sid, lambda: progress(result))

        surveyed = _survey(executor, submissions, assignment, assignment_from_file)
        preps = [s.prep for s in surveyed]
        # One chapter for the whole class, when most of it points to one.
        settle_chapter(preps, assignment, assignment_from_file, [s.signals for s in surveyed])
        to_do: list[Job] = []
        for prep in preps:
            hit = None if force or prep.error else book.cached(prep.provenance)
            if hit:
                # The store's result, typed (store/codec.py), never a results.json read back.
                run_id, stored = hit
                cached += 1
                # The stored result, as this student's file: same bytes, same grade.
                to_do.append(Job(prep, dataclasses.replace(stored, provenance=prep.provenance, reused_run=run_id,
                                                           chapter_note=prep.chapter_note)))
            else:
                to_do.append(Job(prep))

        # Made once per output folder and kept there: regrades into it draw the same inputs.
        work = functools.partial(units.finish, seed=seed, secret=book.input_secret(), lang=lang)
        for job, outcome in executor.run(work, to_do):
            if isinstance(outcome, WorkerLost):
                # Student code never runs in a worker, so this is our fault or the OOM
                # killer's; the submission gets an error result and the batch goes on.
                log.error("grading worker died while grading %s: %s", job.submission.path, outcome.detail)
                outcome = _lost_result(job.prep, lang, faults)
            finish(outcome)

        latest = book.latest_per_assignment(
            on_error=lambda sid, exc: faults.note("gradebook", sid, exc, "dropped"))
    write_class_files(out_dir, _with_unrecorded(latest, unrecorded), faults, class_roster,
                      lang or DEFAULT_LANG, canvas_ids, forms)
    ordered = [finished[s.student_id] for s in submissions if s.student_id in finished]
    return BatchResult(ordered, time.monotonic() - started, cached, faults.items)


def _survey(executor: Executor, submissions: list[Submission], assignment: Assignment | None,
            from_file: bool) -> list[Surveyed]:
    """Phase 1 in the workers: every submission read, ingested and its chapter signals
    taken, in the submissions' order. An executor that does not share this machine's files
    gets each notebook's bytes in its unit; one this process cannot read fails here as it
    would there, at the read, before any ingest."""
    ref = AssignmentRef.of(assignment, from_file) if assignment is not None else None
    carry = not getattr(executor, "shares_files", False)
    surveyed: dict[str, Surveyed] = {}
    intakes = []
    for sub in submissions:
        if not carry or sub.refusal:
            intakes.append(Intake(sub, ref))
            continue
        try:
            intakes.append(Intake(sub, ref, read_once(sub)))
        except IngestError:
            surveyed[sub.student_id] = Surveyed(prepare(sub, assignment, assignment_from_file=from_file))
    for intake, outcome in executor.run(units.survey, intakes):
        if isinstance(outcome, WorkerLost):
            log.error("worker died while reading %s: %s", intake.submission.path, outcome.detail)
            outcome = units.lost(intake.submission, _crashed())
        surveyed[intake.submission.student_id] = outcome
    return [surveyed[sub.student_id] for sub in submissions]


def _crashed() -> RunError:
    return RunError(ErrorCode.WORKER_CRASHED, msg("batch.error.worker_crashed"))


def _lost_result(prep, lang: str | None, faults: Faults) -> Done:
    """The error result of a submission whose worker died, its files rendered here."""
    result = error_result(prep, _crashed())
    return Done(result, units.student_files(result, prep, lang, faults))


def write_class_files(out_dir: Path, latest: list[GradingResult], faults: Faults,
                      class_roster: Roster, lang: str,
                      canvas_ids: dict[str, str] | None = None, forms: dict[str, Form] | None = None) -> None:
    """summary.csv, the exports and the dashboard from every (student, assignment)'s latest
    result; each stage drops or neutralises an offending student and still writes its file.
    `forms`: the canonical forms the workers computed (the rest are computed here)."""
    summary = faults.klass("summary", summary_csv, latest, None)
    if summary is not None:
        faults.student("summary", "", lambda: atomic_write(out_dir / "summary.csv", summary))
    builders = export_builders(class_roster, lang, assignments=assignments_of(latest),
                               canvas_ids=canvas_ids, page=_feedback_page(lang))
    for name, build in builders.items():
        text = faults.klass("exports", build, latest, None)
        if text is not None:
            faults.student("exports", "", lambda: atomic_write(out_dir / name, text))
    _warn_unmatched_in_lms(latest, class_roster, canvas_ids)
    missing, unused = class_roster.mismatches(latest)
    if missing:
        log.warning("%d graded student(s) are not on the roster: %s", len(missing), ", ".join(missing))
    if unused:
        log.warning("%d roster row(s) matched no result: %s", len(unused), ", ".join(unused))
    similar = faults.klass("similarity", lambda results: find_similar(results, forms), latest, None)
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
                           canvas_ids: dict[str, str] | None) -> None:
    """Say what an LMS import would leave out, before a TA finds the empty grades, in the
    console's language. A class none of whose rows carries an LMS's ids is not that LMS's:
    nothing is said of it."""
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
