"""One submission through the pipeline: ingest -> choose assignment -> sandbox -> suite -> score.

Split in two so a batch can skip work: `prepare` (cheap, in the parent: bytes, sha256,
ingest, assignment) decides whether the gradebook already holds the answer; `grade`
(the expensive part, in a worker) runs the student's code and the hidden suite.
Every path out of here is a results dict: a broken notebook is a result, not an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
import traceback
from dataclasses import dataclass, field

from . import __version__
from .assignment import Assignment
from .detect import AssignmentChoiceError, choose_assignment
from .grading.runner import HiddenSuiteError, run_hidden_suite
from .grading.score import score_outcomes
from .grading.student import StudentView
from .ingest import IngestError, ingest, resolve_items
from .messages import say
from .report.results_json import build_results
from .sandbox import Limits, Sandbox, StudentFault
from .submissions import Submission

log = logging.getLogger("autograder.pipeline")
IMPORT_ERRORS_KEPT, IMPORT_ERROR_CHARS = 50, 300


@dataclass
class Prepared:
    submission: Submission
    sha256: str
    started: float
    assignment: Assignment | None = None
    ingest: object | None = None          # autograder.ingest result
    error: dict | None = None             # set when the submission cannot be graded
    provenance: dict = field(default_factory=dict)


def prepare(sub: Submission, assignment: Assignment | None = None) -> Prepared:
    """Never raises: a submission that breaks a stage gets an error, the batch goes on."""
    prep = Prepared(sub, hashlib.sha256(b"").hexdigest(), time.monotonic())
    prep.provenance = {"student_id": sub.student_id, "source": str(sub.path),
                       "sha256": prep.sha256, "grader_version": __version__,
                       "assignment_id": None, "assignment_version": None}
    try:
        _prepare(prep, assignment)
    except OSError as exc:
        prep.error = {"code": "unreadable", "message": say("file_unreadable", error=str(exc))}
    except Exception:
        log.exception("internal error preparing %s", sub.path)
        prep.error = {"code": "internal_error", "message": say("internal_error"),
                      "traceback": traceback.format_exc()}
    return prep


def _prepare(prep: Prepared, assignment: Assignment | None) -> None:
    sub = prep.submission
    if not sub.path.is_file():
        prep.error = {"code": "no_notebook", "message": say("no_notebook_in_folder", path=sub.path.name)}
        return
    prep.sha256 = prep.provenance["sha256"] = hashlib.sha256(sub.path.read_bytes()).hexdigest()
    try:
        prep.ingest = ingest(sub.path)
    except IngestError as exc:
        prep.error = {"code": exc.code, "message": exc.message}
        return
    prep.provenance["ingest"] = prep.ingest.report.to_dict()
    try:
        prep.assignment = choose_assignment(assignment, prep.ingest.metadata,
                                            prep.ingest.definitions)
    except AssignmentChoiceError as exc:
        prep.error = {"code": exc.code, "message": str(exc)}
        return
    prep.provenance["assignment_id"] = prep.assignment.id
    prep.provenance["assignment_version"] = prep.assignment.grading_version


def error_results(prep: Prepared) -> dict:
    provenance = dict(prep.provenance, status="error", error=prep.error)
    return build_results(provenance=provenance, execution_time=time.monotonic() - prep.started,
                         output=prep.error["message"])


def grade(prep: Prepared, *, seed: int = 0, limits: dict | None = None) -> dict:
    """Run the student's code and the hidden suite; never raises for a student's fault.

    `limits` overrides the assignment's sandbox limits (tests use short time limits).
    """
    if prep.error:
        return error_results(prep)
    try:
        return _grade(prep, seed, dataclasses.replace(prep.assignment.limits, **(limits or {})))
    except HiddenSuiteError:
        raise  # the suite is broken for everyone: stop, rather than grade a class zero
    except Exception:  # a fault of ours on this one submission: the batch goes on
        log.exception("internal error grading %s", prep.submission.path)
        prep.error = {"code": "internal_error",
                      "message": say("internal_error"), "traceback": traceback.format_exc()}
        return error_results(prep)


def _grade(prep: Prepared, seed: int, limits: Limits) -> dict:
    asg = prep.assignment
    resolution = resolve_items(prep.ingest.definitions, items=list(asg.items), aliases=asg.aliases)
    with Sandbox(limits=limits) as sandbox:
        load = sandbox.load(prep.ingest.blocks)
        import_errors = _import_errors(sandbox)
        student = StudentView(sandbox.module, resolution.bindings, resolution.unavailable)
        outcomes = run_hidden_suite(asg.suite_dir, student, seed=seed, accept=asg.checks,
                                    reference=asg.package)
        isolation = sandbox.isolation
        output = sandbox.output()
    score = score_outcomes(outcomes, list(asg.items))
    provenance = dict(prep.provenance, status="graded", isolation=isolation, seed=seed,
                      notes=resolution.notes, load=_load_summary(load),
                      import_errors=import_errors)
    return build_results(provenance=provenance, outcomes=outcomes, score=score,
                         execution_time=time.monotonic() - prep.started,
                         output=_summary_line(score, load, output))


def _import_errors(sandbox) -> list[list]:
    """The imports that failed inside the sandbox, as ingest's prelude recorded them."""
    try:
        recorded = sandbox.fetch(sandbox.ref(sandbox.module, "__ingest_import_errors__"))
    except (StudentFault, ValueError):
        return []  # student code replaced the record; the failures still show as errors
    if not isinstance(recorded, (list, tuple)):
        return []
    # The record is the student's to forge: a bounded number of short, plain fields.
    return [[str(field)[:IMPORT_ERROR_CHARS] for field in entry] for entry in recorded[:IMPORT_ERRORS_KEPT]
            if isinstance(entry, (list, tuple)) and len(entry) == 4
            and all(type(field) in (str, int) for field in entry)]


def _load_summary(load) -> dict:
    return {"ok": load.ok, "timed_out": load.timed_out, "crashed": load.crashed,
            "duration": round(load.duration, 3),
            "block_errors": [list(e) for e in load.block_errors]}


def _summary_line(score, load, output: str) -> str:
    lines = [say("score_line", points=f"{score.points:g}", max_points=f"{score.max_points:g}")]
    for label, exc_type, message, lineno in load.block_errors:
        lines.append(say("block_failed", label=label, line=lineno, error=f"{exc_type}: {message}"))
    if load.timed_out:
        lines.append(say("load_timed_out"))
    if output.strip():
        lines.append(say("student_output_follows"))
        lines.append(output)
    return "\n".join(lines)

