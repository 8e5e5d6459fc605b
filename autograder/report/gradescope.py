"""Gradescope: the autograder zip for one assignment, and the grading run inside it.

`build(assignment_id, dist)` writes dist/<id>-gradescope.zip holding setup.sh and
run_autograder at its root (from Jinja templates), the project's packages (autograder,
reference) and its requirements. Gradescope unpacks it into /autograder/source, runs
setup.sh once, then run_autograder per submission, which calls `run` below: the file in
<root>/submission/ graded as one student, results.json written to <root>/results/ in
Gradescope's schema (our provenance under "dlfs"). The folder is read the way the
command line reads one student's folder (submissions.discover_one): junk (__MACOSX/,
._name forks, .DS_Store, Thumbs.db, ~$ locks) ignored, symlinks never followed, the
newest notebook, else the newest .py, else the newest zip opened; the output names the
file graded and any it passed over.

    python -m autograder.report.gradescope build ch03 [--dist dist]
    python -m autograder.report.gradescope run --root /autograder --assignment ch03
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import stat
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..assignment import load_assignment
from ..class_chapter import settle_chapter
from ..grading import inputs
from ..messages import say
from ..pipeline import grade, prepare
from ..poststage import neutral
from ..submissions import discover_one
from .render import atomic_write
from .results_json import dumps, to_dict

log = logging.getLogger("autograder.gradescope")
PROJECT = Path(__file__).resolve().parents[2]
PACKAGES = ("autograder", "reference")
ROOT_FILES = ("requirements.txt", "pyproject.toml")
SCRIPTS = ("setup.sh", "run_autograder")
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


def _project_files(project: Path):
    for package in PACKAGES:
        for path in sorted((project / package).rglob("*")):
            rel = path.relative_to(project)
            if path.is_file() and not _SKIP_PARTS & set(rel.parts) and path.suffix not in (".pyc", ".pyo"):
                yield rel.as_posix(), path
    for name in ROOT_FILES:
        yield name, project / name


def build(assignment_id: str, dist: Path, project: Path = PROJECT) -> Path:
    """dist/<assignment>-gradescope.zip; an unknown assignment raises UnknownAssignment."""
    if not _SAFE_ID.match(assignment_id):
        raise ValueError(f"not an assignment id: {assignment_id!r}")
    assignment = load_assignment(assignment_id)
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{assignment_id}-gradescope.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as zf:
        for script in SCRIPTS:
            text = _env.get_template(f"{script}.j2").render(assignment=assignment.id)
            _add(zf, script, text.encode(), executable=True)
        for name, path in _project_files(project):
            _add(zf, name, path.read_bytes())
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
    with tempfile.TemporaryDirectory(prefix="dlfs-unzip-") as scratch:
        submission, others = discover_one(root / "submission", Path(scratch))
        prep = prepare(submission, assignment)
        # Last week's notebook handed in here is graded as this assignment, with a note saying so.
        settle_chapter([prep], assignment)
        result = grade(prep, seed=seed, secret=input_secret())
    preface = _preface(submission, others, result.chapter_note)
    try:
        data = to_dict(result, assignment.visibility)
        data["output"] = "\n".join(preface + [data["output"]])
        data["execution_time"] = round(time.monotonic() - started, 3)
        text = dumps(data, indent=2)
    except Exception:
        # Without results.json Gradescope shows the student nothing at all: the score and
        # provenance, without what the student's code produced, still make one.
        log.exception("results.json of this submission failed; writing its score alone")
        data = to_dict(neutral(result))
        text = dumps(data, indent=2)
    atomic_write(root / "results" / "results.json", text)
    return data


def _preface(submission, others: tuple[str, ...], chapter_note: str) -> list[str]:
    """What the student reads first: which file was graded, what was not, a chapter mismatch."""
    lines = []
    if not submission.refusal and submission.path.is_file():
        lines.append(say("report.submitted.file", name=submission.origin))
    if others:
        lines.append(say("gradescope.passed_over", names=", ".join(others)))
    if chapter_note:
        lines.append(chapter_note)
    return lines


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
    print(f"score {data['score']:g} / {data['dlfs'].get('max_score', 0):g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
