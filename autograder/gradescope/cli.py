"""The `gradescope` command of `python -m autograder`.

    gradescope build --assignment chNN [--out DIR]
        write DIR/<chNN>-gradescope.zip (default DIR: the project's dist/), to upload as
        the assignment's autograder on Gradescope
    gradescope run --assignment chNN [--root DIR]
        what the zip's run_autograder calls inside Gradescope's container: grade
        DIR/submission/ into DIR/results/results.json (default DIR: /autograder)
"""

from __future__ import annotations

import sys
from pathlib import Path

from .secret import PROJECT

EXIT_OK, EXIT_MISUSE = 0, 2


def add_commands(sub) -> None:
    gradescope = sub.add_parser("gradescope", help="build an assignment's Gradescope zip, or grade "
                                                   "inside Gradescope's container")
    commands = gradescope.add_subparsers(dest="gradescope_command", required=True)
    build = commands.add_parser("build", help="write DIR/<chNN>-gradescope.zip")
    build.add_argument("--assignment", required=True, metavar="chNN", help="the assignment's id")
    build.add_argument("--out", type=Path, default=PROJECT / "dist", metavar="DIR",
                       help="where the zip goes (default: the project's dist/)")
    build.set_defaults(run=run_build)
    run = commands.add_parser("run", help="grade DIR/submission/ into DIR/results/results.json "
                                          "(what the zip's run_autograder calls)")
    run.add_argument("--assignment", required=True, metavar="chNN", help="the assignment's id")
    run.add_argument("--root", type=Path, default=Path("/autograder"), metavar="DIR",
                     help="Gradescope's folder holding submission/ and results/ "
                          "(default: /autograder)")
    run.set_defaults(run=run_grade)


def run_build(args) -> int:
    from ..assignment import UnknownAssignment
    from .build import build
    try:
        print(build(args.assignment, args.out))
    except (UnknownAssignment, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MISUSE
    return EXIT_OK


def run_grade(args) -> int:
    # Imported here: the grading stages are heavy, and `build` never needs them.
    from ..assignment import UnknownAssignment
    from .run import run
    try:
        data = run(args.root, args.assignment)
    except UnknownAssignment as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MISUSE
    print(f"score {data['score']:g} / {data['extra_data']['dlfs'].get('max_score', 0):g}")
    return EXIT_OK
