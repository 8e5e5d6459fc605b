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
from .messages import say
from .publish.cli import add_commands as add_publish_commands
from .report.roster import RosterError, read_roster
from .gradebook import Gradebook
from .report.history import history_rows, history_text
from .report.lang import pick
from .report.render import DEFAULT_LANG, render_summary
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
    grade.add_argument("--lang", choices=("ko", "en"), default=None,
                       help="language of the students' pages (default: the assignment's "
                            "[report] lang, else ko)")
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
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_MISUSE
    try:
        read_roster(args.roster)
    except RosterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MISUSE
    canvas_ids = _canvas_ids(args.canvas_assignment_id)
    if canvas_ids is None:
        print("error: --canvas-assignment-id takes a number, or chNN=number", file=sys.stderr)
        return EXIT_MISUSE
    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_MISUSE
    with ExitStack() as stack:
        try:
            executor = stack.enter_context(DaskExecutor(args.scheduler)) if args.scheduler else None
        except SchedulerUnavailable as exc:
            print(f"error: {exc.message(args.lang or DEFAULT_LANG)}", file=sys.stderr)
            return EXIT_MISUSE
        return _grade_with(args, assignment, from_file, canvas_ids, executor)


def _grade_with(args, assignment, from_file, canvas_ids, executor) -> int:
    with tempfile.TemporaryDirectory(prefix="dlfs-unzip-") as scratch:
        try:
            submissions = discover(args.paths, Path(scratch))
        except SubmissionPathError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_MISUSE
        if not submissions:
            print("error: no submissions found in " + ", ".join(map(str, args.paths)), file=sys.stderr)
            return EXIT_MISUSE
        bar = tqdm(total=len(submissions), unit="nb", file=sys.stderr,
                   disable=len(submissions) < 2 or not sys.stderr.isatty())
        with bar:
            batch = run_batch(submissions, args.out, assignment=assignment,
                              assignment_from_file=from_file, jobs=args.jobs,
                              force=args.force, seed=args.seed, progress=lambda _r: bar.update(),
                              lang=args.lang, roster=args.roster, canvas_ids=canvas_ids,
                              executor=executor)
    console = args.lang or DEFAULT_LANG
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
        print(f"error: no gradebook at {path}", file=sys.stderr)
        return EXIT_MISUSE
    with Gradebook(path) as book:
        rows = history_rows(book.history(args.student))
    print(history_text(args.student, rows))
    return EXIT_OK


class _OneLanguage(logging.Formatter):
    """Log lines in the console's language: a catalog sentence logged in both ("ko / en",
    as results carry it) is reduced to one, like every other line the console prints."""

    def __init__(self, lang: str):
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.lang = lang

    def format(self, record: logging.LogRecord) -> str:
        return pick(super().format(record), self.lang)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "limits":
        print(describe_limits())
        return EXIT_OK
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_OneLanguage(getattr(args, "lang", None) or DEFAULT_LANG))
    if args.command == "history":
        return _history(args)
    if args.command != "grade":
        return args.run(args)   # publish, check: autograder/publish/cli.py
    try:
        return _grade(args)
    except HiddenSuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(say("cli.results_kept"), file=sys.stderr)
        return EXIT_FAULT
    except KeyboardInterrupt:
        print(say("cli.results_kept"), file=sys.stderr)
        return EXIT_FAULT
    except Exception:
        logging.getLogger("autograder").exception("internal error")
        return EXIT_FAULT
