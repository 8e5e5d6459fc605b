"""The public tests themselves: published as listed, one item each, titled in Korean and
English, importing nothing a student lacks, one salt per hashed value."""

from __future__ import annotations

import ast
import re

import pytest

from autograder.publish.spec import list_specs

SPECS = list_specs()
IDS = [s.assignment_id for s in SPECS]
ALLOWED_IMPORTS = {"numpy", "pytest", "dlfs_check"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _tests(spec):
    for name in spec.public:
        tree = ast.parse((spec.public_dir / name).read_text(encoding="utf-8"))
        module_item = _item(tree.body)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                yield name, node, _item(node.decorator_list) or module_item, tree


def _item(nodes) -> str | None:
    for node in ast.walk(ast.Module(body=list(nodes), type_ignores=[])):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "item":
            return node.args[0].value
    return None


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_public_lists_every_public_test_file(spec):
    assert sorted(spec.public) == sorted(p.name for p in spec.public_dir.glob("test_*.py"))


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_every_item_has_public_tests_and_every_test_an_item(spec):
    items = [item for _, _, item, _ in _tests(spec)]
    assert set(items) <= set(spec.items)
    assert set(spec.items) <= set(items)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_titles_in_korean_then_english(spec):
    for name, node, _, _ in _tests(spec):
        lines = [line.strip() for line in (ast.get_docstring(node) or "").splitlines() if line.strip()]
        assert len(lines) == 2, (name, node.name)
        assert HANGUL.search(lines[0]) and not HANGUL.search(lines[1]), (name, node.name)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_imports_only_what_students_have(spec):
    for name in spec.public:
        tree = ast.parse((spec.public_dir / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert {a.name.split(".")[0] for a in node.names} <= ALLOWED_IMPORTS, name
            elif isinstance(node, ast.ImportFrom):
                assert node.module.split(".")[0] in ALLOWED_IMPORTS, name


def test_every_hashed_value_has_its_own_salt():
    salts = []
    for spec in SPECS:
        for name in spec.public:
            text = (spec.public_dir / name).read_text(encoding="utf-8")
            salts += re.findall(r'expect\.hashed\([^)]*?"[0-9a-f]{32}",\s*"([^"]+)"', text, re.S)
    assert salts and len(salts) == len(set(salts))
