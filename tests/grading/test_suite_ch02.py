"""Does chapter 2's hidden suite give the reference full marks, and fail exactly the tests a
classic wrong gate should fail, with the hint for that miss?"""

import types

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import msg
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from reference import ch02_perceptron
from reference.ch02_perceptron.hints import ROWS, gate_variants, truth_table

from .students import Sandboxed, define
from .said import said, titled

pytestmark = pytest.mark.sandbox

CH02 = load_assignment("ch02")
GATES = ["AND", "NAND", "OR", "XOR"]


def student_module(**overrides) -> types.ModuleType:
    module = types.ModuleType("student_submission")
    for name in GATES:
        setattr(module, name, getattr(ch02_perceptron, name))
    for name, value in overrides.items():
        setattr(module, name, value)
    return module


def not_passed(module, unavailable=None):
    outcomes = run_hidden_suite(CH02.suite_dir, StudentView(module, unavailable=unavailable),
                                reference=CH02.package)
    return {o.test_id.split("::")[1]: o for o in outcomes if o.status is not TestStatus.PASSED}


def test_reference_gets_full_marks():
    outcomes = run_hidden_suite(CH02.suite_dir, StudentView(student_module()), reference=CH02.package)
    assert [o for o in outcomes if o.status is not TestStatus.PASSED] == []
    assert {o.item for o in outcomes} == set(CH02.items) == set(GATES)
    assert sum(o.max_points for o in outcomes) % 10 == 0
    assert all(titled(o) for o in outcomes)


def test_the_book_truth_tables():
    """The hand-worked tables of figures 2-2 to 2-5, as a convention check of the reference."""
    assert truth_table(ch02_perceptron.AND).tolist() == [0, 0, 0, 1]
    assert truth_table(ch02_perceptron.NAND).tolist() == [1, 1, 1, 0]
    assert truth_table(ch02_perceptron.OR).tolist() == [0, 1, 1, 1]
    assert truth_table(ch02_perceptron.XOR).tolist() == [0, 1, 1, 0]
    assert ROWS[3] == (1, 1)


@pytest.mark.parametrize("name", GATES)
def test_no_variant_is_the_right_table(name):
    right = truth_table(getattr(ch02_perceptron, name))
    variants = gate_variants(name)
    assert "gate_inverted" in variants
    assert all(not np.array_equal(v, right) for v in variants.values())


def gate(name, w, b, compare=">"):
    return define(f"""
def {name}(x1, x2):
    x = np.array([x1, x2])
    w = np.array({list(w)})
    b = {b}
    tmp = np.sum(w * x) + b
    if tmp {'<=' if compare == '>' else '<'} 0:
        return 0
    else:
        return 1
""", name)


AND_RETURNS_SUM = """
def AND(x1, x2):
    return np.sum(np.array([x1, x2]) * np.array([0.5, 0.5])) - 0.7
"""
AND_RETURNS_BOOL = """
def AND(x1, x2):
    return np.sum(np.array([x1, x2]) * np.array([0.5, 0.5])) - 0.7 > 0
"""
XOR_AS_OR = """
def XOR(x1, x2):
    return OR(x1, x2)
"""


@pytest.mark.parametrize("name, source, failing, hint", [
    ("AND", gate("AND", (0.5, 0.5), -0.2), {"test_and_truth_table", "test_and_float_inputs"},
     "gate_and_is_or"),
    ("AND", gate("AND", (0.5, 0.5), -1.0), {"test_and_truth_table", "test_and_float_inputs"},
     "gate_and_never_fires"),
    ("OR", gate("OR", (0.5, 0.5), -0.5), {"test_or_truth_table", "test_or_float_inputs"},
     "gate_or_is_and"),
    ("NAND", gate("NAND", (0.5, 0.5), 0.7), {"test_nand_truth_table", "test_nand_float_inputs"},
     "gate_nand_always_fires"),
    ("NAND", gate("NAND", (0.5, 0.5), -0.7), {"test_nand_truth_table", "test_nand_float_inputs"},
     "gate_inverted"),
    ("AND", define(AND_RETURNS_SUM, "AND"), {"test_and_truth_table", "test_and_float_inputs"},
     "gate_not_binary"),
    ("AND", define(AND_RETURNS_BOOL, "AND"), {"test_and_returns_numbers"}, "gate_bool"),
], ids=["and-is-or", "and-on-boundary", "or-on-boundary", "nand-with-and-weights",
        "nand-is-and", "and-returns-sum", "and-returns-bool"])
def test_classic_wrong_gate(name, source, failing, hint):
    bad = not_passed(student_module(**{name: source}))
    assert set(bad) == failing
    for outcome in bad.values():
        assert outcome.status is TestStatus.FAILED and outcome.item == name
        assert outcome.hint == msg(f"hint.{hint}")


def test_greater_or_equal_is_right_off_the_boundary():
    """`tmp < 0: return 0` (>=) is the same gate when no row sums to exactly 0, as in the book."""
    assert not_passed(student_module(AND=gate("AND", (0.5, 0.5), -0.7, compare=">="))) == {}


def test_xor_as_or_fails_only_xor_with_its_hint():
    module = student_module()
    module.XOR = define(XOR_AS_OR, "XOR")
    module.XOR.__globals__["OR"] = ch02_perceptron.OR
    bad = not_passed(module)
    assert set(bad) == {"test_xor_truth_table", "test_xor_float_inputs"}
    assert all(o.hint == msg("hint.gate_xor_is_or") for o in bad.values())


BOOK_GATES_AND_ON_BOUNDARY = """
def gate(x1, x2, w, b):
    tmp = np.sum(np.array([x1, x2]) * np.array(w)) + b
    return 1 if tmp > 0 else 0

def AND(x1, x2):
    return gate(x1, x2, [0.5, 0.5], -1.0)

def NAND(x1, x2):
    return gate(x1, x2, [-0.5, -0.5], 0.7)

def OR(x1, x2):
    return gate(x1, x2, [0.5, 0.5], -0.2)

def XOR(x1, x2):
    return AND(NAND(x1, x2), OR(x1, x2))
"""


def test_xor_on_a_wrong_gate_points_at_that_gate():
    namespace = {"np": np}
    exec(compile(BOOK_GATES_AND_ON_BOUNDARY, "<student>", "exec"), namespace)
    bad = not_passed(student_module(**{name: namespace[name] for name in GATES}))
    assert set(bad) == {"test_and_truth_table", "test_and_float_inputs",
                        "test_xor_truth_table", "test_xor_float_inputs"}
    assert bad["test_and_truth_table"].hint == msg("hint.gate_and_never_fires")
    assert bad["test_xor_truth_table"].hint == msg("hint.gate_xor_wrong_layer")


def test_a_gate_returning_none_says_so():
    bad = not_passed(student_module(OR=define("def OR(x1, x2):\n    pass\n", "OR")))
    assert set(bad) == {"test_or_truth_table", "test_or_float_inputs", "test_or_returns_numbers"}
    assert all("None" in said(o.feedback) for o in bad.values())


def test_a_raising_gate_is_an_error_of_that_gate_only():
    module = Sandboxed(student_module(NAND=define("def NAND(x1, x2):\n    raise ValueError('todo')\n",
                                                  "NAND")))
    bad = not_passed(module)
    assert {o.item for o in bad.values()} == {"NAND"} and len(bad) == 3
    assert all(o.status is TestStatus.ERROR and "todo" in said(o.feedback) for o in bad.values())
