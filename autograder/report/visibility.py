"""Per-test visibility as Gradescope has it, from an assignment's [visibility] table.

The table maps glob patterns over a test's function name (or its title, in either
language) to "visible",
"hidden", "after_due_date" or "after_published"; the first pattern that matches, in the
order the table lists them, wins; a test no pattern matches is visible. results.json
carries each test's visibility for Gradescope to apply; our own page is written at
grading time, before any due date, so it shows visible tests only.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from ..feedback import LANGS, render_part
from ..grading.outcome import TestOutcome

VISIBLE = "visible"


def test_function(outcome: TestOutcome) -> str:
    return outcome.test_id.rsplit("::", 1)[-1].split("[", 1)[0]


def visibility_of(outcome: TestOutcome, rules: dict[str, str] | None) -> str:
    for pattern, visibility in (rules or {}).items():
        if fnmatchcase(test_function(outcome), pattern) or any(
                fnmatchcase(render_part(outcome.title, lang), pattern) for lang in LANGS):
            return visibility
    return VISIBLE
