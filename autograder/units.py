"""What a batch's workers do with one submission: two units of work, one per phase.

A batch (batch.py) sends every submission through its executor twice:

  1. `survey` an `Intake`: read the notebook, ingest it, choose its assignment as it would
     alone, and say what it tells of its chapter (class_chapter.Signals);
  2. `finish` a `Job`: grade it (or take the gradebook's result for the same bytes) and
     render that student's results.json and pages (report/render.StudentFiles).

Between the two, the batch settles the class's chapter, which needs every notebook's
signals, and looks each one up in the gradebook; after the second, it records the result
and writes the student's files. So the parent does the cheap, ordered work that needs
the whole class or its own disk, and the gradebook and everything under OUT keep one
writer, while the per-submission work runs where the workers are.

Both units travel pickled, to another machine on a cluster (dask_executor.py): an Intake
carries the notebook's bytes unless the executor shares this machine's files, a Job the
ingested notebook; neither holds a clock. What comes back is data: the worker writes no
file, so one on another machine needs no access to OUT.
"""

from __future__ import annotations

import functools
import logging
import traceback
from dataclasses import dataclass, field

from .assignment import Assignment, list_assignments
from .class_chapter import Signals, signals_of
from .feedback import msg
from .messages import DEFAULT_LANG
from .pipeline import AssignmentRef, Prepared, blank, grade, prepare
from .poststage import Faults, StageFault, neutral
from .report.code_form import Form, forms_of
from .report.render import StudentFiles, render_student_files
from .report.results_json import dumps, to_dict
from .result import ErrorCode, GradingResult, RunError
from .submissions import Submission

log = logging.getLogger("autograder.pipeline")


@dataclass(frozen=True)
class Intake:
    """Phase 1's unit: a submission to read, and the instructor's --assignment if any."""
    submission: Submission
    assignment: AssignmentRef | None = None
    data: bytes | None = None     # its bytes, for a worker that cannot read `submission.path`


@dataclass
class Surveyed:
    """A read submission (with its ingested notebook, which grading needs) and what it
    says of its chapter; no signals when it could not be read."""
    prep: Prepared
    signals: Signals | None = None


def survey(intake: Intake) -> Surveyed:
    """Never raises for a submission's fault: one that cannot be read is an error prep."""
    ref = intake.assignment
    try:
        chosen = ref.load() if ref else None
    except Exception:  # gone from this worker's checkout, or unreadable there
        log.exception("internal error loading %s for %s", ref.id, intake.submission.path)
        return Surveyed(blank(intake.submission, RunError(ErrorCode.INTERNAL_ERROR, msg("pipeline.error.internal"),
                                                          traceback.format_exc())))
    prep = prepare(intake.submission, chosen, assignment_from_file=bool(ref and ref.config_path),
                   data=intake.data)
    return Surveyed(prep, signals_of(prep, list_assignments()))


def lost(sub: Submission, error: RunError) -> Surveyed:
    """A submission whose phase-1 worker died: no bytes read here, no say in the chapter."""
    return Surveyed(blank(sub, error))


@dataclass(frozen=True)
class Job:
    """Phase 2's unit: a prepared submission, and the gradebook's result for the same bytes
    and versions when there is one (rendered, not graded again)."""
    prep: Prepared
    reuse: GradingResult | None = None

    @property
    def submission(self) -> Submission:
        return self.prep.submission


@dataclass
class Done:
    """A Job's outcome: the result, that student's files (None: not even results.json could
    be rendered), the canonical forms of its items' code (its share of the similarity
    pass), and what failed on the way, each already logged where it failed."""
    result: GradingResult
    files: StudentFiles | None
    faults: list[StageFault] = field(default_factory=list)
    forms: dict[str, Form] = field(default_factory=dict)


def finish(job: Job, *, seed: int = 0, secret: bytes = b"", lang: str | None = None) -> Done:
    """Grade (raising only for a broken hidden suite, which stops the batch) and render.
    `lang`: the command line's --lang, which wins over the assignment's."""
    result = job.reuse or grade(job.prep, seed=seed, secret=secret)
    faults = Faults()
    files = student_files(result, job.prep, lang, faults)
    # A failure here only leaves the forms to the parent's similarity pass.
    forms = faults.student("similarity", result.student_id,
                           lambda: forms_of((result.item_sources or {}).values()), {})
    return Done(result, files, faults.items, forms)


def student_files(result: GradingResult, prep: Prepared, lang: str | None, faults: Faults) -> StudentFiles | None:
    """The student's results.json and pages in the page's language. A failure costs a note
    and the pages, never the grade: then results.json alone, with nothing the student's
    code produced, so an LMS or Gradescope still reads a score."""
    sid = result.student_id

    def full() -> StudentFiles:
        config = _config(prep.assignment)
        return render_student_files(result, page_lang(lang, config), getattr(config, "visibility", None))
    files = faults.student("results", sid, full)
    if files is None:
        files = faults.student("results", sid, lambda: plain_files(result, page_lang(lang, _config(prep.assignment))))
    return files


def plain_files(result: GradingResult, lang: str) -> StudentFiles:
    return StudentFiles(lang, dumps(to_dict(neutral(result), None, lang), indent=2))


def page_lang(lang: str | None, config: Assignment | None) -> str:
    """The command line's --lang, else the assignment's [report] lang, else Korean."""
    return lang or getattr(config, "lang", None) or DEFAULT_LANG


@functools.lru_cache(maxsize=16)
def _config(ref: AssignmentRef | None) -> Assignment | None:
    # Once per worker and version, not once per student: the ref names the version it means.
    return ref.load() if ref is not None else None

