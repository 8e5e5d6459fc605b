"""Gradescope: the autograder zip for one assignment, and the grading run inside it.

`build(assignment_id, dist)` writes dist/<id>-gradescope.zip holding setup.sh and
run_autograder at its root (from Jinja templates), the project's packages (autograder,
reference) and its requirements. Gradescope unpacks it into /autograder/source, runs
setup.sh once, then run_autograder per submission, which calls `run` below: the
notebook in <root>/submission/ graded as one student, results.json written to
<root>/results/ in Gradescope's schema (our provenance under "dlfs").

    python -m autograder.report.gradescope build ch03 [--dist dist]
    python -m autograder.report.gradescope run --root /autograder --assignment ch03
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
import time
import zipfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..assignment import load_assignment
from ..grading import inputs
from ..pipeline import grade, prepare
from ..submissions.model import Submission
from .render import atomic_write
from .results_json import to_dict

PROJECT = Path(__file__).resolve().parents[2]
PACKAGES = ("autograder", "reference")
ROOT_FILES = ("requirements.txt", "pyproject.toml")
SCRIPTS = ("setup.sh", "run_autograder")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SECRET_ENV = "AUTOGRADER_INPUT_SECRET"
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
    partial.replace(target)
    return target


def find_notebook(folder: Path) -> Path:
    """The notebook handed in: the newest .ipynb under `folder` (checkpoints aside), else
    the folder itself, which grading reports as holding no notebook."""
    notebooks = [p for p in folder.rglob("*.ipynb")
                 if p.is_file() and not _SKIP_PARTS & set(p.relative_to(folder).parts)]
    if not notebooks:
        return folder
    return max(notebooks, key=lambda p: (p.stat().st_mtime, p.name))


def input_secret() -> bytes:
    """Gradescope's runner keeps no gradebook: the secret of the test inputs is the
    AUTOGRADER_INPUT_SECRET environment variable (set it in run_autograder, so regrades
    agree), else a new one per run (a regrade may then draw other inputs)."""
    given = os.environ.get(SECRET_ENV, "")
    return given.encode("utf-8") if given else inputs.new_secret()


def run(root: Path, assignment_id: str, seed: int = 0) -> dict:
    """Grade <root>/submission/ and write <root>/results/results.json; returns what it wrote."""
    started = time.monotonic()
    assignment = load_assignment(assignment_id)
    notebook = find_notebook(root / "submission")
    submission = Submission("submission", notebook, origin=notebook.name)
    result = grade(prepare(submission, assignment), seed=seed, secret=input_secret())
    data = to_dict(result, assignment.visibility)
    data["execution_time"] = round(time.monotonic() - started, 3)
    atomic_write(root / "results" / "results.json", json.dumps(data, ensure_ascii=False, indent=2))
    return data


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
