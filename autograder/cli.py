"""Command line: `python -m autograder grade PATH... [--assignment chNN] [--out DIR] [--jobs N]`.

`publish` and `check` (publishing assignments, the students' local check) live in
autograder/publish/cli.py.

Exit status: 0 when every submission got a result (whatever its score), 2 for misuse,
1 for a fault of the grader itself.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from tqdm import tqdm

from .assignment import AssignmentConfigError, UnknownAssignment, load_assignment, load_assignment_file
from .batch import run_batch
from .dask_executor import DaskExecutor, SchedulerUnavailable
from .gradescope.cli import add_commands as add_gradescope_commands
from .grading.runner import HiddenSuiteError
from .messages import LANG_ENV, LANGS, console_lang, say
from .publish.cli import add_commands as add_publish_commands
from .report.roster import RosterError, read_roster
from .gradebook import Gradebook
from .report.history import history_rows, history_text
from .report.render import render_summary
from .sandbox import describe_limits
from .submissions import SubmissionPathError, discover

EXIT_OK, EXIT_FAULT, EXIT_MISUSE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Grade 'Deep Learning from Scratch' notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade notebooks, folders of notebooks, or LMS zips")
    grade.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a notebook, a folder (one notebook or one folder per student), or a zip")
    grade.add_argument("--assignment", metavar="chNN",
                       help="grade every submission against this assignment (default: the chapter "
                            "most notebooks' definitions, else metadata, point to; a single "
                            "notebook: its metadata, else best match)")
    grade.add_argument("--out", type=Path, default=Path("graded"), metavar="DIR",
                       help="where results go (default: graded/)")
    grade.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="submissions graded at once (default: number of CPUs)")
    grade.add_argument("--scheduler", default=os.environ.get("AUTOGRADER_SCHEDULER"), metavar="tcp://HOST:PORT",
                       help="grade on this Dask scheduler's workers instead of --jobs here "
                            "(default: $AUTOGRADER_SCHEDULER; needs dask[distributed])")
    grade.add_argument("--force", action="store_true",
                       help="grade again even when the gradebook holds these exact bytes")
    grade.add_argument("--seed", type=int, default=0, help="seed for the hidden tests' inputs")
    grade.add_argument("--lang", choices=LANGS, default=None,
                       help="language of the students' pages (default: the assignment's "
                            "[report] lang, else ko) and of this console (default: ko)")
    grade.add_argument("--roster", type=Path, default=None, metavar="CSV",
                       help="roster CSV (student id, name, LMS ids) for canvas.csv and moodle.csv")
    grade.add_argument("--canvas-assignment-id", action="append", default=[], metavar="[chNN=]N",
                       help="Canvas's number of the assignment, for canvas.csv's `Title (N)` column "
                            "(repeat with chNN=N for several chapters)")
    grade.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    history = sub.add_parser("history", help="a student's grading runs over time, from the gradebook")
    history.add_argument("student", metavar="STUDENT", help="the student id, as in OUT/students/")
    history.add_argument("--out", type=Path, default=Path("graded"), metavar="DIR",
                         help="the folder holding gradebook.sqlite (default: graded/)")
    sub.add_parser("limits", help="list the sandbox limits an assignment.toml's [limits] may set")
    add_publish_commands(sub)
    add_gradescope_commands(sub)
    return parser


def _grade(args) -> int:
    assignment, from_file = None, False
    if args.assignment:
        try:
            # An id names a known chapter; a path (only ever from this command line) a config.
            from_file = Path(args.assignment).exists()
            assignment = load_assignment_file(Path(args.assignment)) if from_file \
                else load_assignment(args.assignment)
        except (UnknownAssignment, AssignmentConfigError) as exc:
            _error(exc)
            return EXIT_MISUSE
    try:
        read_roster(args.roster)
    except RosterError as exc:
        _error(exc)
        return EXIT_MISUSE
    canvas_ids = _canvas_ids(args.canvas_assignment_id)
    if canvas_ids is None:
        print(say("cli.bad_canvas_id", console_lang()), file=sys.stderr)
        return EXIT_MISUSE
    if args.jobs is not None and args.jobs < 1:
        print(say("cli.bad_jobs", console_lang()), file=sys.stderr)
        return EXIT_MISUSE
    with ExitStack() as stack:
        try:
            executor = stack.enter_context(DaskExecutor(args.scheduler)) if args.scheduler else None
        except SchedulerUnavailable as exc:
            _error(exc)
            return EXIT_MISUSE
        return _grade_with(args, assignment, from_file, canvas_ids, executor)


def _grade_with(args, assignment, from_file, canvas_ids, executor) -> int:
    with tempfile.TemporaryDirectory(prefix="dlfs-unzip-") as scratch:
        try:
            submissions = discover(args.paths, Path(scratch))
        except SubmissionPathError as exc:
            _error(exc)
            return EXIT_MISUSE
        if not submissions:
            print(say("cli.no_submissions", console_lang(), paths=", ".join(map(str, args.paths))),
                  file=sys.stderr)
            return EXIT_MISUSE
        bar = tqdm(total=len(submissions), unit="nb", file=sys.stderr,
                   disable=len(submissions) < 2 or not sys.stderr.isatty())
        with bar:
            batch = run_batch(submissions, args.out, assignment=assignment,
                              assignment_from_file=from_file, jobs=args.jobs,
                              force=args.force, seed=args.seed, progress=lambda _r: bar.update(),
                              lang=args.lang, roster=args.roster, canvas_ids=canvas_ids,
                              executor=executor)
    console = console_lang()
    print(render_summary(batch.results, batch.elapsed, batch.cached, console))
    if batch.faults:
        # Each is logged above; the dashboard lists them. The batch itself succeeded.
        print(say("cli.stage_faults", lang=console, count=len(batch.faults),
                  students=len({f.student_id for f in batch.faults if f.student_id})))
    print(say("cli.results_written", lang=console, out=args.out))
    return EXIT_OK


def _canvas_ids(given: list[str]) -> dict[str, str] | None:
    """--canvas-assignment-id values as assignment -> Canvas number ("" for every
    assignment); None when one is not a number."""
    ids = {}
    for value in given:
        assignment, _, number = value.rpartition("=")
        if not number.strip().isdigit():
            return None
        ids[assignment.strip()] = number.strip()
    return ids


def _history(args) -> int:
    path = args.out / "gradebook.sqlite"
    if not path.is_file():
        print(say("cli.no_gradebook", console_lang(), path=path), file=sys.stderr)
        return EXIT_MISUSE
    with Gradebook(path) as book:
        rows = history_rows(book.history(args.student))
    print(history_text(args.student, rows))
    return EXIT_OK


def _error(exc: Exception) -> None:
    """A misuse or a stop, said on stderr; an exception of ours renders in the console's
    language (messages.SaidError), anyone else's as it is."""
    print(say("cli.error", console_lang(), detail=str(exc)), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    before = os.environ.get(LANG_ENV)
    if getattr(args, "lang", None):
        # Before any worker starts: the batch's processes inherit it, so every line the
        # grader prints or logs, in whichever process, is said in this one language.
        os.environ[LANG_ENV] = args.lang
    try:
        return _run(args)
    finally:
        # Called in-process (tests, a notebook), the caller's environment is left as it was.
        if before is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = before


def _run(args) -> int:
    if args.command == "limits":
        print(describe_limits())
        return EXIT_OK
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command == "history":
        return _history(args)
    if args.command != "grade":
        return args.run(args)   # publish, check: autograder/publish/cli.py
    try:
        return _grade(args)
    except HiddenSuiteError as exc:
        _error(exc)
        print(say("cli.results_kept", console_lang()), file=sys.stderr)
        return EXIT_FAULT
    except KeyboardInterrupt:
        print(say("cli.results_kept", console_lang()), file=sys.stderr)
        return EXIT_FAULT
    except Exception:
        logging.getLogger("autograder").exception("internal error")
        return EXIT_FAULT
