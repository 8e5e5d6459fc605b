"""One submission through the pipeline: ingest -> choose assignment -> sandbox -> suite -> score.

Split in two so a batch can skip work: `prepare` (cheap: bytes, sha256, ingest,
assignment) decides whether the gradebook already holds the answer; `grade` (the
expensive part) runs the student's code and the hidden suite. A batch runs both in its
workers (units.py). The unit between them, `Prepared`, carries only data that means the
same on another machine: no clock, and the assignment by id and version.
Every path out of here is a GradingResult: a broken notebook is a result, not an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import logging
import time
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field

from . import __version__
from .assignment import Assignment, load_assignment, load_assignment_file
from .detect import AssignmentChoiceError, choose_assignment
from .grading import inputs
from .grading.causes import NotebookSummary, summarize
from .grading.runner import HiddenSuiteError, run_hidden_suite
from .grading.score import score_outcomes
from .grading.student import StudentView
from .ingest import IngestError, IngestResult, ingest_bytes, resolve_items
from .ingest.encoding import MAX_BYTES
from .ingest.model import Shape
from .ingest.shape import shape_of_object
from .feedback import Part, msg
from .ingest.sources import item_sources
from .result import (BlockError, ErrorCode, GradingResult, ImportFailure, LoadSummary,
                     Provenance, RunError, RunStatus, Timings)
from .sandbox import Limits, Sandbox, StudentFault
from .submissions import FileTooLarge, Submission, read_limited

log = logging.getLogger("autograder.pipeline")

# The import-error record comes from inside the sandbox: trust its shape, not its size.
MAX_IMPORT_ERRORS = 50
MAX_IMPORT_FIELD = 300


@dataclass(frozen=True)
class AssignmentRef:
    """An assignment as a worker finds it again: by id, or by the instructor's config file."""
    id: str
    version: str                       # grading_version: config, suite and reference digest
    config_path: str | None = None     # only for a config given on the command line

    @classmethod
    def of(cls, assignment: Assignment, from_file: bool) -> AssignmentRef:
        path = str(assignment.config_path) if from_file and assignment.config_path else None
        return cls(assignment.id, assignment.grading_version, path)

    def load(self) -> Assignment:
        return load_assignment_file(self.config_path) if self.config_path else load_assignment(self.id)


@dataclass
class Prepared:
    submission: Submission
    provenance: Provenance
    ingest: IngestResult | None = None
    assignment: AssignmentRef | None = None
    error: RunError | None = None         # set when the submission cannot be graded
    timings: Timings = field(default_factory=Timings)
    # Set when the batch's chapter overrides what this notebook says of itself (class_chapter.py).
    chapter_note: Part | None = None


def prepare(sub: Submission, assignment: Assignment | None = None, *,
            assignment_from_file: bool = False, data: bytes | None = None) -> Prepared:
    """Never raises: a submission that breaks a stage gets an error, the batch goes on.

    `assignment` is the instructor's choice (None: the notebook's metadata, else the best
    match); `assignment_from_file` says it came from a config path on the command line;
    `data`: the submission's bytes, read by the batch for a worker that cannot read its
    files (read_once), else read here from `sub.path`."""
    started = time.perf_counter()
    prep = blank(sub)
    try:
        _prepare(prep, assignment, assignment_from_file, data)
    except Exception:
        log.exception("internal error preparing %s", sub.path)
        prep.error = RunError(ErrorCode.INTERNAL_ERROR, msg("pipeline.error.internal"), traceback.format_exc())
    prep.timings = Timings(ingest=time.perf_counter() - started)
    return prep


def blank(sub: Submission, error: RunError | None = None) -> Prepared:
    """A submission before anything read it (or when nothing could): no bytes, no assignment."""
    return Prepared(sub, Provenance(sub.student_id, sub.origin or str(sub.path),
                                    hashlib.sha256(b"").hexdigest(), __version__,
                                    identity=sub.identity, superseded=sub.superseded), error=error)


def _prepare(prep: Prepared, assignment: Assignment | None, from_file: bool, data: bytes | None) -> None:
    sub = prep.submission
    if sub.refusal:  # refused when it was found (an id collision, a bad archive): never read
        prep.error = RunError(ErrorCode.parse(sub.refusal.code), sub.refusal.message())
        return
    try:
        data = read_once(sub) if data is None else data
        prep.provenance = dataclasses.replace(prep.provenance, sha256=hashlib.sha256(data).hexdigest())
        prep.ingest = ingest_bytes(data, sub.path.name)
    except IngestError as exc:
        prep.error = RunError(ErrorCode.parse(exc.code), exc.message)
        return
    try:
        chosen = choose_assignment(assignment, prep.ingest.metadata, prep.ingest.definitions)
    except AssignmentChoiceError as exc:
        prep.error = RunError(exc.code, exc.message)
        return
    _assign(prep, chosen, from_file and chosen is assignment)


# What choosing an assignment alone can fail with; a batch's chapter settles all of them.
CHOICE_ERRORS = frozenset({ErrorCode.UNKNOWN_ASSIGNMENT, ErrorCode.NO_ASSIGNMENT_MATCH,
                           ErrorCode.AMBIGUOUS_ASSIGNMENT})


def reassign(prep: Prepared, assignment: Assignment, *, from_file: bool = False) -> None:
    """Grade a read submission against `assignment`, whatever it would have chosen alone
    (the batch's chapter). One that could not be read keeps its error."""
    if prep.ingest is None or (prep.error and prep.error.code not in CHOICE_ERRORS):
        return
    prep.error = None
    _assign(prep, assignment, from_file)


def _assign(prep: Prepared, chosen: Assignment, from_file: bool) -> None:
    prep.assignment = AssignmentRef.of(chosen, from_file)
    prep.provenance = dataclasses.replace(prep.provenance, assignment_id=chosen.id,
                                          assignment_version=prep.assignment.version)


def read_once(sub: Submission) -> bytes:
    """The submission's bytes, read once, in chunks, up to ingest's size cap."""
    if sub.path.is_dir():
        raise IngestError("no_notebook", msg("ingest.error.no_notebook", path=sub.path.name))
    try:
        return read_limited(sub.path, MAX_BYTES)
    except FileTooLarge as exc:
        raise IngestError("too_large", msg("ingest.error.too_large", size_mb=exc.size >> 20,
                                           limit_mb=MAX_BYTES >> 20)) from None
    except OSError as exc:
        raise IngestError("unreadable", msg("ingest.error.unreadable", path=sub.path.name,
                                            reason=exc.strerror or type(exc).__name__)) from None


def error_result(prep: Prepared, error: RunError | None = None) -> GradingResult:
    """The result of a submission that was not graded: its error, and nothing printed
    (the edges say the error; summary.summary_parts)."""
    return GradingResult(prep.provenance, RunStatus.ERROR, error=error or prep.error,
                         ingest=prep.ingest.report if prep.ingest else None,
                         timings=prep.timings, chapter_note=prep.chapter_note)


def grade(prep: Prepared, *, seed: int = 0, limits: dict | None = None, secret: bytes = b"") -> GradingResult:
    """Run the student's code and the hidden suite; never raises for a student's fault.

    `limits` overrides the assignment's sandbox limits (tests use short time limits);
    `secret` is the batch's, salting the test inputs with the submission's sha256 (inputs.py).
    """
    if prep.error:
        return error_result(prep)
    try:
        assignment = prep.assignment.load()
        if assignment.grading_version != prep.assignment.version:
            # Edited between prepare and grade (or a worker with other files): grading now
            # would file a result under a version that did not produce it.
            return error_result(prep, RunError(ErrorCode.ASSIGNMENT_CHANGED,
                                               msg("pipeline.error.assignment_changed", assignment=assignment.id)))
        return _grade(prep, assignment, seed, dataclasses.replace(assignment.limits, **(limits or {})),
                      inputs.salt(secret, prep.provenance.sha256))
    except HiddenSuiteError:
        raise  # the suite is broken for everyone: stop, rather than grade a class zero
    except Exception:  # a fault of ours on this one submission: the batch goes on
        log.exception("internal error grading %s", prep.submission.path)
        return error_result(prep, RunError(ErrorCode.INTERNAL_ERROR, msg("pipeline.error.internal"),
                                           traceback.format_exc()))


def _grade(prep: Prepared, asg: Assignment, seed: int, limits: Limits, salt: bytes) -> GradingResult:
    shapes = reference_shapes(asg)
    resolution = resolve_items(prep.ingest.definitions, items=list(asg.items), aliases=asg.aliases,
                               unread=prep.ingest.unread, shapes=shapes, skipped=prep.ingest.skipped)
    clock = time.perf_counter
    with ExitStack() as stack:
        t0 = clock()
        sandbox = stack.enter_context(Sandbox(limits=limits))
        t1 = clock()
        load = sandbox.load(prep.ingest.blocks)
        import_errors = _import_errors(sandbox)
        t2 = clock()
        orders = {item: shape.params.names for item, shape in shapes.items() if shape.kind == "class"}
        student = StudentView(sandbox.module, resolution.bindings, resolution.unavailable,
                              orders=orders, salt=salt)
        outcomes = run_hidden_suite(asg.suite_dir, student, seed=seed, accept=asg.checks,
                                    reference=asg.package, salt=salt, assignment_id=asg.id,
                                    notebook=_notebook(prep, asg, resolution, load, import_errors))
        isolation = sandbox.isolation
        output = sandbox.output()
        t3 = clock()
    score = score_outcomes(outcomes, list(asg.items), resolution.not_functions)
    load_summary = LoadSummary(load.ok, load.timed_out, load.crashed, load.duration,
                               tuple(BlockError(*e) for e in load.block_errors))
    result = GradingResult(prep.provenance, RunStatus.GRADED, score=score, outcomes=outcomes,
                           ingest=prep.ingest.report if prep.ingest else None, load=load_summary,
                           import_errors=import_errors, notes=dict(resolution.notes),
                           isolation=isolation, seed=seed,
                           output=output,
                           item_sources=item_sources(prep.ingest.blocks, prep.ingest.definitions,
                                                     resolution.bindings),
                           chapter_note=prep.chapter_note)
    result.timings = dataclasses.replace(prep.timings, sandbox_start=t1 - t0, load=t2 - t1,
                                         suite=t3 - t2, report=clock() - t3)
    return result


def _notebook(prep: Prepared, asg: Assignment, resolution, load, import_errors) -> NotebookSummary:
    """What ingest and loading learned about the notebook, for the hints of the suite."""
    graded = {name: student for item, student in resolution.bindings.items()
              for name in [item, *asg.aliases.get(item, [])]}
    stopped = {}
    for error in load.block_errors:
        if (cell := prep.ingest.block_cells.get(error.label)) is not None and error.lineno:
            stopped[cell] = (error.lineno, f"{error.exc_type}: {error.message}"[:MAX_IMPORT_FIELD])
    return summarize(prep.ingest, graded, stopped,
                     tuple((f.label, f.statement) for f in import_errors))


def reference_shapes(asg: Assignment) -> dict[str, Shape]:
    """Each item's shape, read from the chapter's reference itself, so a new chapter needs
    no table of parameters and methods for its items to be found by shape."""
    if asg.package is None:
        return {}
    package = importlib.import_module(asg.package)
    shapes = {item: shape_of_object(getattr(package, item, None)) for item in asg.items}
    return {item: shape for item, shape in shapes.items() if shape is not None}


def _import_errors(sandbox) -> list[ImportFailure]:
    """The imports that failed inside the sandbox, as ingest's prelude recorded them."""
    try:
        recorded = sandbox.fetch(sandbox.ref(sandbox.module, "__ingest_import_errors__"))
    except (StudentFault, ValueError):
        return []  # student code replaced the record; the failures still show as errors
    if not isinstance(recorded, (list, tuple)):
        return []
    # The record is the student's to forge: a bounded number of short, plain fields.
    return [ImportFailure(*(str(f)[:MAX_IMPORT_FIELD] for f in entry))
            for entry in list(recorded)[:MAX_IMPORT_ERRORS]
            if isinstance(entry, (list, tuple)) and len(entry) == 4
            and all(type(f) in (str, int) for f in entry)]

