"""Does anything under student_template/ give an answer away?

No solution line (every line of a source notebook's solution regions), no hidden test (its
titles, which quote expected values, and every line that checks or computes an expected
value), no reference module, no hint (the classic misses and their sentences) may appear
in any file a student receives. Left out of the comparison: lines short enough to be
everyday Python (`return x`), imports, and lines given as starter code on purpose. A hidden
test's scaffolding (building a random input, a marker) may coincide with a public test's
and says nothing about the answer."""

from __future__ import annotations

import ast
import functools
import re
import tomllib

import nbformat

from autograder.chapters import chapters_root
from autograder.publish.objects import BEGIN, END
from autograder.publish.spec import list_specs

from .paths import TEMPLATE

# Shorter lines are everyday Python (`self.x = None`, `return x`): they prove nothing.
MIN_CHARS = 24


def _norm(line: str) -> str:
    return " ".join(line.split())


@functools.lru_cache(maxsize=1)
def _student_files() -> dict:
    files = {}
    for path in TEMPLATE.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path] = path.read_text(encoding="utf-8")
    return files


@functools.lru_cache(maxsize=1)
def _student_lines() -> frozenset:
    return frozenset(_student_text().splitlines())


@functools.lru_cache(maxsize=1)
def _student_text() -> str:
    """Every line of every file, a notebook's cells line by line (their JSON escapes them)."""
    lines = []
    for path, text in _student_files().items():
        if path.suffix == ".ipynb":
            for cell in nbformat.reads(text, as_version=4).cells:
                lines += cell.source.splitlines()
        else:
            lines += text.splitlines()
    return "\n".join(_norm(line) for line in lines)


def _regions(source: str):
    inside = False
    for line in source.splitlines():
        if line.strip().startswith(BEGIN):
            inside = True
        elif line.strip().startswith(END):
            inside = False
        elif inside:
            yield line


def _distinctive(lines) -> set:
    return {_norm(line) for line in lines if len(_norm(line)) >= MIN_CHARS
            and not _norm(line).startswith(("import ", "from "))}


# A hidden test's line that checks, or computes what is expected, or names a classic miss.
CHECKING = re.compile(r"assert|reference|Reference|variants|expected|hint")


def _hidden_lines(text: str) -> set:
    """What a hidden test knows: its docstrings (titles quote the expected values) and its
    checking lines."""
    docs = [ast.get_docstring(node) or "" for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))]
    lines = [line for doc in docs for line in doc.splitlines()]
    lines += [line for line in text.splitlines() if CHECKING.search(line)]
    return _distinctive(lines)


@functools.lru_cache(maxsize=1)
def _given_lines() -> frozenset:
    """Lines the source notebooks show students on purpose (signatures, given code)."""
    given = set()
    for spec in list_specs():
        for cell in nbformat.read(spec.source_path, as_version=4).cells:
            outside = [line for line in cell.source.splitlines() if line not in set(_regions(cell.source))]
            given |= {_norm(line) for line in outside}
    return frozenset(given)


def _found(lines: set) -> list:
    return sorted(lines & _student_lines())


def test_the_regions_hold_enough_to_compare():
    """Would this test notice a leak at all? (The regions must hold many distinctive lines.)"""
    lines = set()
    for spec in list_specs():
        for cell in nbformat.read(spec.source_path, as_version=4).cells:
            lines |= _distinctive(_regions(cell.source))
    assert len(lines) > 300


def test_no_solution_line():
    solutions = set()
    for spec in list_specs():
        for cell in nbformat.read(spec.source_path, as_version=4).cells:
            solutions |= _distinctive(_regions(cell.source))
    assert not _found(solutions - _given_lines())


def test_no_hidden_test():
    hidden, texts = set(), _student_files().values()
    for path in chapters_root().glob("*/hidden/*.py"):
        body = path.read_text(encoding="utf-8")
        assert not any(body.strip() in text for text in texts), path
        hidden |= _hidden_lines(body)
    assert len(hidden) > 50
    assert not _found(hidden - _given_lines())


def test_no_reference_module():
    modules = [p for p in chapters_root().rglob("*.py")
               if "public" not in p.parts and "hidden" not in p.parts]
    texts = {path: text for path, text in _student_files().items()}
    for module in modules:
        body = module.read_text(encoding="utf-8").strip()
        assert not any(body and body in text for text in texts.values()), module
    lines = set()
    for module in modules:
        lines |= _distinctive(module.read_text(encoding="utf-8").splitlines())
    assert not _found(lines - _given_lines())


def test_no_hint():
    """Neither the hint functions nor their sentences (which name the fix) reach students."""
    sentences = set()
    for path in chapters_root().glob("*/messages.toml"):
        for table in tomllib.loads(path.read_text(encoding="utf-8")).get("hint", {}).values():
            sentences |= {_norm(table[lang]) for lang in ("ko", "en")}
    text = _student_text()
    assert not [s for s in sentences if s in text]
    hints = set()
    for path in chapters_root().glob("*/hints.py"):
        hints |= _distinctive(path.read_text(encoding="utf-8").splitlines())
    assert not _found(hints - _given_lines())


def test_nothing_imports_the_grader_or_the_reference():
    for path, text in _student_files().items():
        if path.suffix == ".py":
            assert not re.search(r"^\s*(from|import)\s+(autograder|reference)\b", text, re.M), path
