"""`python -m dlfs_check NOTEBOOK.ipynb [--chapter chNN] [--lang en]`: the public tests of a
saved notebook, as a table. Exit status 0 only when every public test passes; 1 when one
does not; 2 when the notebook cannot be read, its chapter is unknown, or a piece of the
chapter folder (chapter.json, the public tests) is missing.

Run it in the chapter folder (which holds a copy of dlfs_check) or at the top of
student_template/; the notebook may be anywhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .chapters import UnknownChapter, all_chapters, templates_root
from .checking import MissingPublic, check_notebook
from .messages import DEFAULT_LANG, LANGS, say
from .notebook import NotANotebook
from .table import render

EXIT_PASSED, EXIT_FAILED, EXIT_MISUSE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dlfs_check",
        description="밑바닥부터 시작하는 딥러닝 과제의 공개 테스트 / public tests of a "
                    "Deep Learning from Scratch assignment")
    parser.add_argument("notebook", type=Path, help="the saved notebook (.ipynb)")
    parser.add_argument("--chapter", metavar="chNN",
                        help="the assignment (default: the notebook's metadata)")
    parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                        help="ko (default) or en")
    return parser


def main(argv: list | None = None, root: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang
    chapters = all_chapters(root)
    known = ", ".join(c.id for c in chapters) or "-"
    if not args.notebook.is_file():
        print(say("ui.no_file", lang, path=args.notebook), file=sys.stderr)
        return EXIT_MISUSE
    if not chapters:
        print(say("ui.no_index", lang, folder=root or templates_root()), file=sys.stderr)
        return EXIT_MISUSE
    try:
        report = check_notebook(args.notebook, args.chapter, root)
    except NotANotebook as exc:
        print(say("ui.not_notebook", lang, path=args.notebook, reason=exc), file=sys.stderr)
        return EXIT_MISUSE
    except UnknownChapter as exc:
        key = "ui.unknown_chapter" if str(exc) else "ui.no_chapter"
        print(say(key, lang, name=exc, known=known), file=sys.stderr)
        return EXIT_MISUSE
    except MissingPublic as exc:
        print(say("ui.missing_public", lang, files=", ".join(exc.files), folder=exc.folder),
              file=sys.stderr)
        return EXIT_MISUSE
    print(render(report.chapter, args.notebook.name, report.outcomes, report.problems, lang))
    return EXIT_PASSED if report.passed else EXIT_FAILED
