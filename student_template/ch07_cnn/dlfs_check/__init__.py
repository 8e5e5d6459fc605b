"""Check your 'Deep Learning from Scratch' assignment with its public tests, before submitting.

Every chapter folder carries its own copy of this package beside the notebook, its
chapter.json and its public/ tests, so the folder works wherever it is (alone, moved, or
its files uploaded to Colab beside the notebook).

In the notebook (tests the definitions of the running kernel; the notebook's folder is
the kernel's working folder in Jupyter, /content in Colab):

    from dlfs_check import check, check_all
    check("softmax")         # one item's public tests
    check_all()              # every item of the assignment

From a terminal, inside the chapter folder (tests a saved notebook):

    python -m dlfs_check ch03_neural_networks.ipynb [--lang en]

or inside student_template/, where it sees every chapter:

    python -m dlfs_check ch03_neural_networks/ch03_neural_networks.ipynb [--lang en]

Passing every public test does not mean full marks: grading runs more tests, which stay
hidden. A public test never shows an expected answer; it checks shapes, properties (rows
of a softmax sum to 1), your code against itself (a backward against the numerical
gradient of your own forward), or a hash of the book's example values.
"""

from __future__ import annotations

import sys

from .chapters import UnknownChapter, all_chapters, templates_root
from .checking import chapter_for, run_chapter
from .messages import DEFAULT_LANG, say
from .table import render

__all__ = ["check", "check_all"]


def _caller_namespace() -> dict:
    # Two frames up: the notebook cell that called check() or check_all().
    return sys._getframe(2).f_globals


def _run(namespace: dict, item: str | None, chapter: str | None, lang: str) -> bool:
    if not all_chapters():
        print(say("ui.no_index", lang, folder=templates_root()))
        return False
    try:
        found = chapter_for(namespace, chapter, item)
    except UnknownChapter:
        known = ", ".join(c.id for c in all_chapters()) or "-"
        print(say("ui.unknown_chapter" if chapter else "ui.no_chapter", lang,
                  name=chapter or item, known=known))
        return False
    if item is not None and found.item(item) is None:
        print(say("ui.unknown_item", lang, chapter=found.id, item=item,
                  known=", ".join(i.name for i in found.items)))
        return False
    if not found.public:
        print(say("ui.no_public_tests", lang, chapter=found.id))
        return False
    if missing := found.missing_public():
        print(say("ui.missing_public", lang, files=", ".join(missing), folder=found.folder))
        return False
    outcomes = run_chapter(found, namespace, item)
    print(render(found, say("ui.live_kernel", lang), outcomes, [], lang))
    return bool(outcomes) and all(o.passed for o in outcomes)


def check(item: str, chapter: str | None = None, lang: str = DEFAULT_LANG) -> None:
    """Run the public tests of one item (e.g. "softmax") on this notebook's definitions."""
    _run(_caller_namespace(), item, chapter, lang)


def check_all(chapter: str | None = None, lang: str = DEFAULT_LANG) -> None:
    """Run every public test of the assignment (e.g. "ch03") on this notebook's definitions."""
    _run(_caller_namespace(), None, chapter, lang)
