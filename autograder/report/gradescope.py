"""Gradescope: the autograder zip for one assignment, and the grading run inside it.

`build(assignment_id, dist)` writes dist/<id>-gradescope.zip holding setup.sh,
pick_python.sh and run_autograder at its root (from Jinja templates), the grader, the
assignment's chapter folder under reference/ with the chapters its reference imports
(their hidden suites, hints and sentences; no mutants or public tests), and the
requirements pinned to what the building venv has installed. Gradescope unpacks it into
/autograder/source, runs setup.sh once, then run_autograder per submission, which calls
`run` below: the file in <root>/submission/ graded as one student, results.json written
to <root>/results/ in Gradescope's schema, our provenance under its top-level
extra_data["dlfs"]. The folder is read the way the command line reads one student's
folder (submissions.discover_one: junk such as __MACOSX/ and .DS_Store ignored, symlinks
never followed), except that a notebook named like the published one (ch04_training.ipynb)
is graded before a newer draft; the Markdown output says which file was graded and which
were passed over, the score per item and what to fix first, in the course's language.

    python -m autograder.report.gradescope build ch03 [--dist dist]
    python -m autograder.report.gradescope run --root /autograder --assignment ch03
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import logging
import os
import re
import shlex
import stat
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..assignment import Assignment, chapters_imported, load_assignment
from ..chapters import CONFIG_NAME
from ..class_chapter import settle_chapter
from ..grading import inputs
from ..messages import say
from ..pipeline import grade, prepare
from ..poststage import neutral
from ..submissions import Submission, discover_one
from ..text import clip
from .gradescope_output import MAX_SUMMARY, preface, summary, to_gradescope
from .render import DEFAULT_LANG, atomic_write
from .results_json import dumps, to_dict

log = logging.getLogger("autograder.gradescope")
PROJECT = Path(__file__).resolve().parents[2]
PACKAGES = ("autograder", "reference")
REQUIREMENTS = "requirements.txt"
SCRIPTS = ("setup.sh", "pick_python.sh", "run_autograder")
# Not needed to grade: the mutation tests of the suites and the students' own checks.
NOT_SHIPPED = ("mutants.toml", "public")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SECRET_ENV = "AUTOGRADER_INPUT_SECRET"
SECRET_FILE = "input_secret"     # at the zip's root, beside setup.sh
_SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
# Gradescope's grader runs as root on a throwaway machine; a submission still gets our sandbox.
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)   # the same sources give the same zip, byte for byte

_env = Environment(loader=PackageLoader("autograder.report", "templates/gradescope"),
                   autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined)


def _add(zf: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    zf.writestr(info, data)


def _project_files(project: Path, chapters: set[str]):
    """The grader's files for a zip that grades `chapters` (folder names under reference/)."""
    reference = project / "reference"
    for package in PACKAGES:
        for path in sorted((project / package).rglob("*")):
            rel = path.relative_to(project)
            if not path.is_file() or _SKIP_PARTS & set(rel.parts) or path.suffix in (".pyc", ".pyo"):
                continue
            if package == "reference" and not _ships(path.relative_to(reference), reference, chapters):
                continue
            yield rel.as_posix(), path
    yield "pyproject.toml", project / "pyproject.toml"


def _ships(rel: Path, reference: Path, chapters: set[str]) -> bool:
    """Whether reference/<rel> goes into the zip: the package's own modules, and of the
    chapter folders only those graded with, less what grading never reads."""
    if len(rel.parts) == 1 or not (reference / rel.parts[0] / CONFIG_NAME).is_file():
        return True   # reference/__init__.py, evaluation.py: shared by every chapter
    return rel.parts[0] in chapters and rel.parts[1] not in NOT_SHIPPED


def pinned_requirements(project: Path = PROJECT) -> str:
    """requirements.txt with each package pinned (==) to the version this venv has, so
    Gradescope's image grades with what the instructor's checks ran on; a package not
    installed here keeps its line as written."""
    lines = [f"# Pinned by `python -m autograder.report.gradescope build` from {REQUIREMENTS}."]
    for line in (project / REQUIREMENTS).read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if not name:
            continue
        try:
            lines.append(f"{name.group(0)}=={importlib.metadata.version(name.group(0))}")
        except importlib.metadata.PackageNotFoundError:
            log.warning("%s: not installed here; kept unpinned in the zip", requirement)
            lines.append(requirement)
    return "\n".join(lines) + "\n"


def build(assignment_id: str, dist: Path, project: Path = PROJECT) -> Path:
    """dist/<assignment>-gradescope.zip; an unknown assignment raises UnknownAssignment."""
    if not _SAFE_ID.match(assignment_id):
        raise ValueError(f"not an assignment id: {assignment_id!r}")
    assignment = load_assignment(assignment_id)
    chapters = chapters_imported(assignment.config_path.parent, skip=NOT_SHIPPED)
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{assignment_id}-gradescope.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as zf:
        for script in SCRIPTS:
            text = _env.get_template(f"{script}.j2").render(
                assignment=assignment.id, no_python=shlex.quote(say("gradescope.install.no_python")))
            _add(zf, script, text.encode(), executable=True)
        for name, path in _project_files(project, chapters):
            _add(zf, name, path.read_bytes())
        _add(zf, REQUIREMENTS, pinned_requirements(project).encode())
        _add(zf, SECRET_FILE, _dist_secret(dist))
    partial.replace(target)
    return target


def _dist_secret(dist: Path) -> bytes:
    """The secret of the test inputs for zips built into `dist`: made on the first build and
    kept beside them (owner-only), so a rebuilt zip is the same bytes and a regrade on
    Gradescope draws the same inputs; it travels only inside the instructor's zip."""
    path = dist / f".{SECRET_FILE}"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(inputs.new_secret().hex().encode())
    return path.read_bytes().strip()


def input_secret(project: Path = PROJECT) -> bytes:
    """Gradescope's runner keeps no gradebook: the secret of the test inputs is the
    AUTOGRADER_INPUT_SECRET environment variable, else the one the zip was built with
    (regrades agree), else a new one per run (a regrade may then draw other inputs)."""
    given = os.environ.get(SECRET_ENV, "")
    if given:
        return given.encode("utf-8")
    try:
        return (project / SECRET_FILE).read_bytes().strip() or inputs.new_secret()
    except OSError:
        return inputs.new_secret()


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
    lines = preface(submission, others, by_name, published, lang)
    try:
        data = to_gradescope(to_dict(result, assignment.visibility), assignment.items, lang, result)
        data["output"] = summary(result, assignment, lines, lang)
    except Exception:
        # Without results.json Gradescope shows the student nothing at all: the score and
        # provenance, without what the student's code produced, still make one.
        log.exception("results.json of this submission failed; writing its score alone")
        data = to_gradescope(to_dict(neutral(result)), assignment.items)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.report.gradescope")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write dist/<assignment>-gradescope.zip")
    b.add_argument("assignment")
    b.add_argument("--dist", type=Path, default=PROJECT / "dist")
    r = sub.add_parser("run", help="grade <root>/submission into <root>/results/results.json")
    r.add_argument("--root", type=Path, default=Path("/autograder"))
    r.add_argument("--assignment", required=True)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(build(args.assignment, args.dist))
        return 0
    data = run(args.root, args.assignment)
    print(f"score {data['score']:g} / {data['extra_data']['dlfs'].get('max_score', 0):g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
