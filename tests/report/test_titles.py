"""Do hidden tests' titles come in the page's language, and does every Korean title name a test
that exists?"""

import ast

from autograder.assignment import list_assignments
from autograder.feedback import Message, Verbatim
from autograder.grading.outcome import TestOutcome, TestStatus
from autograder.messages import CATALOG
from autograder.report import page
from autograder.grading.titles import title_key
from autograder.report.page import test_title as title_of


def _outcome(test_id, title=Verbatim("the English docstring line")):
    return TestOutcome(test_id, title, "softmax", 1, TestStatus.FAILED)


def test_the_key_names_the_file_and_the_function():
    assert title_key("test_softmax.py::test_book_example[3]", "ch03") == "title.ch03.softmax__book_example"


def test_a_chapter_title_is_used_in_its_language(monkeypatch):
    monkeypatch.setitem(page.CATALOG, "title.ch03.softmax__book_example", {"ko": "책의 예", "en": "the book's example"})
    outcome = _outcome("test_softmax.py::test_book_example", Message("title.ch03.softmax__book_example"))
    assert title_of(outcome, "ch03", "ko") == "책의 예"
    assert title_of(outcome, "ch03", "en") == "the book's example"
    assert title_of(_outcome("test_softmax.py::test_other"), "ch03", "en") == "the English docstring line"


def _hidden_keys():
    keys = set()
    for assignment in list_assignments():
        for path in assignment.suite_dir.glob("test_*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    keys.add(title_key(f"{path.name}::{node.name}", assignment.id))
    return keys


def test_every_title_names_a_hidden_test():
    """A title left behind by a renamed test would never be shown: it must fail here."""
    titles = {k for k in CATALOG if k.startswith("title.")}
    assert titles <= _hidden_keys(), sorted(titles - _hidden_keys())
