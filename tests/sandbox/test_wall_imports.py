"""Is the wall drawn in the imports: wire/ shared and self-contained, shim/ on wire/ only?

Only wire/ and shim/ are visible inside the sandbox, so an import of anything else of
the grader from them would fail there (or, worse, bring the trusted side in).
"""

import ast
import sys
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parents[2] / "autograder" / "sandbox"
THIRD_PARTY = {"numpy"}


def imports(path: Path) -> list[tuple[int, str]]:
    """(level, dotted name) of every import in a file; level 0 is absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def outside(folder: str, allowed_relative: set[str]) -> list[str]:
    bad = []
    for path in sorted((SANDBOX / folder).glob("*.py")):
        for level, name in imports(path):
            top = name.split(".")[0]
            if level == 0 and (top in sys.stdlib_module_names or top in THIRD_PARTY):
                continue
            if level == 1 or (level == 2 and top in allowed_relative):
                continue
            if level == 0 and (name + ".").startswith(f"autograder.sandbox.{folder}."):
                continue  # boot.py, run as a script, imports its own package by name
            bad.append(f"{path.name}: {'.' * level}{name}")
    return bad


def test_wire_imports_only_the_standard_library_numpy_and_itself():
    assert outside("wire", set()) == []


def test_the_shim_imports_only_wire_besides_itself():
    assert outside("shim", {"wire"}) == []


@pytest.mark.parametrize("line, expected", [
    ("from autograder.sandbox import limits", ["x.py: autograder.sandbox"]),
    ("from .. import sandbox", ["x.py: .."]),
    ("import scipy", ["x.py: scipy"]),
    ("import json\nfrom . import codec\nimport numpy.linalg", []),
])
def test_the_check_itself_catches_an_import_from_outside(tmp_path, monkeypatch, line, expected):
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "x.py").write_text(line + "\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SANDBOX", tmp_path)
    assert outside("wire", set()) == expected
