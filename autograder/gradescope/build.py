"""The Gradescope autograder zip of one assignment.

`build(assignment_id, dist)` writes dist/<id>-gradescope.zip holding setup.sh,
pick_python.sh and run_autograder at its root (from the Jinja templates beside this
module), the grader, the assignment's chapter folder under reference/ with the chapters
its reference imports (their hidden suites, hints and sentences; no mutants or public
tests), the requirements pinned to what the building venv has installed, and the secret
of the test inputs (secret.py). Gradescope unpacks it into /autograder/source, runs
setup.sh once, then run_autograder per submission, which calls
`python -m autograder gradescope run` (run.py).

    python -m autograder gradescope build --assignment ch03 [--out dist]
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import shlex
import stat
import zipfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..assignment import chapters_imported, load_assignment
from ..chapters import CONFIG_NAME
from ..messages import DEFAULT_LANG, say
from .secret import PROJECT, SECRET_FILE, dist_secret

log = logging.getLogger("autograder.gradescope")
PACKAGES = ("autograder", "reference")
REQUIREMENTS = "requirements.txt"
SCRIPTS = ("setup.sh", "pick_python.sh", "run_autograder")
# Not needed to grade: the mutation tests of the suites and the students' own checks.
NOT_SHIPPED = ("mutants.toml", "public")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
# Gradescope's grader runs as root on a throwaway machine; a submission still gets our sandbox.
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)   # the same sources give the same zip, byte for byte

_env = Environment(loader=PackageLoader("autograder.gradescope", "templates"),
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
    lines = [f"# Pinned by `python -m autograder gradescope build` from {REQUIREMENTS}."]
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
                assignment=assignment.id, no_python=shlex.quote(say("gradescope.install.no_python",
                                                          assignment.lang or DEFAULT_LANG)))
            _add(zf, script, text.encode(), executable=True)
        for name, path in _project_files(project, chapters):
            _add(zf, name, path.read_bytes())
        _add(zf, REQUIREMENTS, pinned_requirements(project).encode())
        _add(zf, SECRET_FILE, dist_secret(dist))
    partial.replace(target)
    return target
