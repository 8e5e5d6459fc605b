"""Which assignment is a notebook for: the instructor's choice, a known id in its metadata,
or the chapter whose items it defines?"""

import pytest

from autograder.assignment import load_assignment
from autograder.detect import AssignmentChoiceError, choose_assignment
from autograder.ingest.model import Definition
from autograder.result import ErrorCode


def _defined(*names):
    return {n: Definition(n, "function", 1, 1) for n in names}


def _code(flag, metadata, definitions):
    with pytest.raises(AssignmentChoiceError) as info:
        choose_assignment(flag, metadata, definitions)
    return info.value.code


def test_the_instructors_choice_wins_over_metadata_and_names():
    ch04 = load_assignment("ch04")
    chosen = choose_assignment(ch04, {"dlfs": {"assignment": "ch03"}}, _defined("softmax"))
    assert chosen is ch04


def test_metadata_names_a_known_id():
    assert choose_assignment(None, {"dlfs": {"assignment": "ch05"}}, {}).id == "ch05"


@pytest.mark.parametrize("forged", [
    "../../tmp/evil", "/tmp/evil/assignment.toml", "reference/ch03_neural_networks/assignment.toml",
    {"path": "x"}, ["ch03"], 3, "ch03\n", "x" * 500,
])
def test_metadata_can_never_name_a_path_or_anything_but_an_id(forged):
    """Is a notebook that names its own suite refused rather than followed?"""
    assert _code(None, {"dlfs": {"assignment": forged}}, {}) is ErrorCode.UNKNOWN_ASSIGNMENT


def test_malformed_metadata_is_read_as_none():
    assert choose_assignment(None, {"dlfs": "ch03"}, _defined(
        "step_function", "sigmoid", "relu", "softmax", "identity_function")).id == "ch03"


def test_no_graded_name_is_an_error():
    assert _code(None, {}, _defined("hello")) is ErrorCode.NO_ASSIGNMENT_MATCH


def test_a_near_tie_between_unrelated_chapters_is_ambiguous():
    names = _defined("softmax", "sigmoid", "relu", "step_function",
                     "cross_entropy_error", "numerical_diff", "numerical_gradient")
    assert _code(None, {}, names) is ErrorCode.AMBIGUOUS_ASSIGNMENT


def test_a_later_chapter_that_carries_earlier_items_is_chosen():
    """A ch07 notebook defines ch05's layers too: it is still ch07's."""
    layers = ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss")
    conv = ("im2col", "col2im", "Convolution", "Pooling", "SimpleConvNet")
    assert choose_assignment(None, {}, _defined(*layers, *conv)).id == "ch07"
    assert choose_assignment(None, {}, _defined(*layers, "TwoLayerNet")).id == "ch05"
    # ch05 ahead by a little (6 of 7 against 4 of 5): the near tie still goes to ch07.
    assert choose_assignment(None, {}, _defined(*layers, *conv[:4])).id == "ch07"


def test_imports_do_not_count_as_definitions():
    imported = {n: Definition(n, "import", 1, 1, imported_from="common.functions")
                for n in ("softmax", "sigmoid", "relu", "step_function")}
    assert _code(None, {}, imported) is ErrorCode.NO_ASSIGNMENT_MATCH
