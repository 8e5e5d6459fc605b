"""The `publish` and `check` commands of `python -m autograder`.

    publish [CHAPTER...] [--out DIR] [--source NOTEBOOK]
        build assignments/<chapter>/source.ipynb from tasks.toml and the reference, then
        publish it (or an nbgrader-style NOTEBOOK for one CHAPTER) into student_template/
    check NOTEBOOK [--chapter chNN] [--lang en]
        the students' local check (student_template/dlfs_check), from the project
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..messages import DEFAULT_LANG, LANGS, console_lang, say

EXIT_OK, EXIT_MISUSE = 0, 2
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "student_template"


def add_commands(sub) -> None:
    publish = sub.add_parser("publish", help="build source notebooks and publish student_template/")
    publish.add_argument("chapters", nargs="*", metavar="CHAPTER",
                         help="assignment ids or folders (default: every one under assignments/)")
    publish.add_argument("--out", type=Path, default=TEMPLATE_DIR, metavar="DIR",
                         help="where the chapters go (default: student_template/)")
    publish.add_argument("--source", type=Path, metavar="NOTEBOOK",
                         help="publish this nbgrader-style notebook for one CHAPTER instead of "
                              "its generated source")
    publish.set_defaults(run=run_publish)
    check = sub.add_parser("check", help="run a notebook's public tests, as a student does")
    check.add_argument("notebook", help="the saved notebook (.ipynb)")
    check.add_argument("--chapter", metavar="chNN", help="the assignment (default: metadata)")
    check.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="ko (default) or en")
    check.set_defaults(run=run_check)


def run_publish(args) -> int:
    # Imported here: nbconvert is slow to import, and `grade` never needs it.
    import nbformat

    from .preprocessors import HiddenTestsInNotebook, SolutionMarkerError
    from .publish import publish_chapter, write_source
    from .spec import SpecError, find_spec, list_specs
    try:
        specs = [find_spec(name) for name in args.chapters] if args.chapters else list_specs()
        if args.source and len(specs) != 1:
            raise SpecError("--source publishes one notebook: name exactly one CHAPTER")
        for spec in specs:
            if args.source:
                source = nbformat.read(args.source, as_version=4)
            else:
                write_source(spec)
                source = None
            done = publish_chapter(spec, args.out, source)
            print(say("publish.chapter", console_lang(), assignment=spec.assignment_id,
                      source=str(args.source or spec.source_path), folder=str(done.folder),
                      tests=len(done.tests)))
    except (SpecError, SolutionMarkerError, HiddenTestsInNotebook, OSError,
            nbformat.ValidationError) as exc:
        print(say("publish.failed", console_lang(), detail=str(exc)), file=sys.stderr)
        return EXIT_MISUSE
    print(say("publish.commit", console_lang(), out=str(args.out)))
    return EXIT_OK


def run_check(args) -> int:
    if not (TEMPLATE_DIR / "dlfs_check").is_dir():
        print(say("check.no_template", args.lang, path=str(TEMPLATE_DIR)), file=sys.stderr)
        return EXIT_MISUSE
    # The same checker a student runs, from the committed template: nothing of the grader.
    sys.path.insert(0, str(TEMPLATE_DIR))
    from dlfs_check.cli import main
    print(say("check.in_process", args.lang), file=sys.stderr)
    argv = [args.notebook, "--lang", args.lang] + (["--chapter", args.chapter] if args.chapter else [])
    return main(argv)
