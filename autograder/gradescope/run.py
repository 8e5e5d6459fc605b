"""Gradescope's grading run, inside the container the zip (build.py) sets up.

`run(root, assignment_id)` grades the file in <root>/submission/ as one student and writes
<root>/results/results.json in Gradescope's schema, our provenance under its top-level
extra_data["dlfs"]. The folder is read the way the command line reads one student's
folder (submissions.discover_one: junk such as __MACOSX/ and .DS_Store ignored, symlinks
never followed), except that a notebook named like the published one (ch04_training.ipynb)
is graded before a newer draft; the Markdown output (output.py) says which file was graded
and which were passed over, the score per item and what to fix first, in the course's
language.

    python -m autograder gradescope run --root /autograder --assignment ch03
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from pathlib import Path

from ..assignment import Assignment, load_assignment
from ..class_chapter import settle_chapter
from ..pipeline import grade, prepare
from ..poststage import neutral
from ..report.render import DEFAULT_LANG, atomic_write
from ..report.results_json import dumps, to_dict
from ..submissions import Submission, discover_one, links_in
from ..text import clip
from .output import MAX_SUMMARY, preface, summary, to_gradescope
from .secret import input_secret

log = logging.getLogger("autograder.gradescope")


def run(root: Path, assignment_id: str, seed: int = 0) -> dict:
    """Grade <root>/submission/ and write <root>/results/results.json; returns what it wrote."""
    started = time.monotonic()
    assignment = load_assignment(assignment_id)
    lang = assignment.lang or DEFAULT_LANG
    published = published_name(assignment)
    with tempfile.TemporaryDirectory(prefix="dlfs-unzip-") as scratch:
        submission, others = discover_one(root / "submission", Path(scratch))
        submission, others, by_name = _published_first(submission, others, root / "submission", published)
        prep = prepare(submission, assignment)
        # Last week's notebook handed in here is graded as this assignment, with a note saying so.
        settle_chapter([prep], assignment)
        result = grade(prep, seed=seed, secret=input_secret())
    lines = preface(submission, others, by_name, published, lang, links_in(root / "submission"))
    try:
        data = to_gradescope(to_dict(result, assignment.visibility, lang), assignment.items)
        data["output"] = summary(result, assignment, lines, lang)
    except Exception:
        # Without results.json Gradescope shows the student nothing at all: the score and
        # provenance, without what the student's code produced, still make one.
        log.exception("results.json of this submission failed; writing its score alone")
        data = to_gradescope(to_dict(neutral(result), lang=lang), assignment.items)
        data["output"] = clip("\n\n".join(lines), MAX_SUMMARY)
    data["execution_time"] = round(time.monotonic() - started, 3)
    atomic_write(root / "results" / "results.json", dumps(data, indent=2))
    return data


def published_name(assignment: Assignment) -> str:
    """The notebook's name as `make publish` hands it out: the chapter folder's name."""
    folder = assignment.config_path.parent.name if assignment.config_path else assignment.id
    return f"{folder}.ipynb"


def _published_first(submission: Submission, others: tuple[str, ...], folder: Path,
                     published: str) -> tuple[Submission, tuple[str, ...], bool]:
    """Of several notebooks in the folder, the one named like the published notebook (the
    newest such, ties by path) rather than the newest: a draft saved after the real one
    must not be graded in its place. Returns what to grade, the others, and whether the
    name decided."""
    def named(name: str) -> bool:
        return name.rsplit("/", 1)[-1].casefold() == published.casefold()

    if submission.refusal or not submission.path.is_file() or \
            not submission.path.is_relative_to(folder) or submission.path.suffix.lower() != ".ipynb":
        return submission, others, False
    if named(submission.origin):
        return submission, others, bool(others)
    matches = [name for name in others if named(name)]
    if not matches:
        return submission, others, False
    # `others` are regular files found without following links (discover's own walk).
    chosen = min(matches, key=lambda name: (-(folder / name).stat(follow_symlinks=False).st_mtime, name))
    rest = tuple(sorted({*others, submission.origin} - {chosen}))
    return dataclasses.replace(submission, path=folder / chosen, origin=chosen), rest, True
