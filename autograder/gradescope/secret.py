"""The secret the test inputs are drawn with on Gradescope: made when a zip is first built
into a dist folder and shipped inside it, read back when the zip grades."""

from __future__ import annotations

import os
from pathlib import Path

from ..grading import inputs

SECRET_ENV = "AUTOGRADER_INPUT_SECRET"
SECRET_FILE = "input_secret"     # at the zip's root, beside setup.sh
# The unpacked zip's root when it grades; the checkout's root when it builds.
PROJECT = Path(__file__).resolve().parents[2]


def dist_secret(dist: Path) -> bytes:
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
