"""Items found by shape when the notebook names them its own way, and what a missing item says."""

import importlib

import pytest

from autograder.assignment import load_assignment
from autograder.ingest import ingest_bytes, resolve_items
from autograder.ingest.match import name_similarity
from autograder.ingest.resolve import joined
from autograder.ingest.model import Params
from autograder.ingest.shape import shape_of_object
from autograder.feedback import msg
from tests.ingest.conftest import notebook_bytes


def chapter(assignment_id):
    """(items, reference shapes) of one chapter, as the pipeline reads them."""
    assignment = load_assignment(assignment_id)
    package = importlib.import_module(assignment.package)
    return list(assignment.items), {i: shape_of_object(getattr(package, i)) for i in assignment.items}


def resolve(assignment_id, *cells, aliases=None):
    items, shapes = chapter(assignment_id)
    result = ingest_bytes(notebook_bytes(*cells, markdown_first=False), "s.ipynb")
    return result, resolve_items(result.definitions, items, aliases=aliases or {},
                                 unread=result.unread, shapes=shapes, skipped=result.skipped)


GD = "def gd(f, init_x, lr=0.01, step_num=100):\n    return init_x\n"
LINEAR = ("class Linear:\n    def __init__(self, W, b):\n        self.W, self.b = W, b\n"
          "    def forward(self, x):\n        return x\n    def backward(self, dout):\n        return dout\n")


def test_student_shapes_are_read_from_the_source():
    """Are parameters (without self, with defaults), methods, bases and __init__ recorded?"""
    result = ingest_bytes(notebook_bytes(GD, LINEAR, "class Sub(Linear):\n    def extra(self, a, *rest): pass\n"
                                         "double = lambda x, k=2: x * k\n", markdown_first=False), "s.ipynb")
    gd, linear, sub = (result.definitions[n].shape for n in ("gd", "Linear", "Sub"))
    assert gd.kind == "function" and gd.params == Params(("f", "init_x", "lr", "step_num"), 2)
    assert linear.kind == "class" and linear.params == Params(("W", "b"), 2)
    assert [m for m, _ in linear.methods] == ["forward", "backward"]
    assert dict(linear.methods)["forward"] == Params(("x",), 1)
    assert sub.bases == ("Linear",) and sub.inherits_init
    assert dict(sub.methods)["extra"] == Params(("a",), 1, variadic=True)
    assert result.definitions["double"].shape.params == Params(("x", "k"), 1)


def test_reference_shapes_come_from_inspection():
    """Does the reference side read the same way, inherited methods included?"""
    _, ch04 = chapter("ch04")
    assert ch04["gradient_descent"].params == Params(("f", "init_x", "lr", "step_num"), 2)
    assert ch04["TwoLayerNet"].params.names[:3] == ("input_size", "hidden_size", "output_size")
    _, ch06 = chapter("ch06")
    assert dict(ch06["Adam"].methods)["update"] == Params(("params", "grads"), 2)
    assert "predict" in dict(ch06["MultiLayerNetExtend"].methods)


@pytest.mark.parametrize("student, book, close", [
    ("gd", "gradient_descent", True), ("mse_loss", "mean_squared_error", True),
    ("num_grad", "numerical_gradient", True), ("num_grad", "numerical_diff", False),
    ("MaxPooling", "Pooling", True), ("BatchNorm", "BatchNormalization", True),
    ("Multiply", "MulLayer", True), ("Multiply", "AddLayer", False),
    ("function_1", "step_function", False), ("ThreeLayerNet", "TwoLayerNet", False),
])
def test_name_similarity(student, book, close):
    """Do initials, prefixes and words count, and sibling names not?"""
    assert (name_similarity(student, book) >= 0.75) is close


def test_gd_is_graded_as_gradient_descent_with_a_note():
    """With no alias for it, is `gd(f, init_x, lr=0.01, step_num=100)` bound by its parameters?"""
    _, resolution = resolve("ch04", GD)
    assert resolution.bindings["gradient_descent"] == "gd"
    assert resolution.notes["gradient_descent"] == msg(
        "ingest.match.params", student="gd", book="gradient_descent",
        shape="gd(f, init_x, lr=, step_num=)")


def test_a_class_is_found_by_its_methods_and_init_parameters():
    """Is `Linear(W, b)` with forward/backward graded as Affine, through a notebook base too?"""
    _, resolution = resolve("ch05", LINEAR)
    assert resolution.bindings["Affine"] == "Linear"
    affine = resolution.notes["Affine"]
    # Found by shape, said first; what else there is to say about it follows.
    assert affine.field("first", affine) == msg("ingest.match.methods", student="Linear", book="Affine",
                                                shape="Linear(W, b): forward, backward")
    based = ("class Layer:\n    def forward(self, x): pass\n    def backward(self, dout): pass\n"
             "class Dense(Layer):\n    def __init__(self, W, b): pass\n")
    assert resolve("ch05", based)[1].bindings.get("Affine") == "Dense"


def test_shapes_shared_by_several_items_need_the_name():
    """`tanh(x)` fits all five activations' shape: is it bound to none, and `my_relu(x)` to relu?"""
    _, resolution = resolve("ch03", "def tanh(x):\n    return x\ndef my_relu(x):\n    return x\n")
    assert "tanh" not in resolution.bindings.values()
    assert resolution.bindings["relu"] == "my_relu"
    assert "`tanh(x)`" in resolution.unavailable["sigmoid"].field("rest").field("listing")


def test_a_bound_name_or_another_items_alias_is_never_taken():
    """Is numerical_gradient (bound) kept from numerical_diff, whose shape it shares?"""
    _, resolution = resolve("ch04", "def numerical_gradient(f, x):\n    return x\n")
    assert resolution.bindings == {"numerical_gradient": "numerical_gradient"}
    _, resolution = resolve("ch04", "from common import ce_loss\n",
                            aliases={"cross_entropy_error": ["ce_loss"]})
    assert "ce_loss" not in resolution.bindings.values()


def test_equal_fits_bind_none_and_are_named():
    """Two functions shaped exactly like gradient_descent: is neither graded, both named?"""
    _, resolution = resolve("ch04", GD.replace("gd(", "minimize("), GD.replace("gd(", "descend("))
    assert "gradient_descent" not in resolution.bindings
    assert resolution.unavailable["gradient_descent"] == msg(
        "ingest.match.several", name="gradient_descent", candidates="`descend`, `minimize`")


def test_a_close_name_breaks_a_tie_of_shapes():
    """`gd` and `descend` share the shape; is `gd`, whose initials fit, the one graded?"""
    _, resolution = resolve("ch04", GD.replace("gd(", "descend("), GD)
    assert resolution.bindings["gradient_descent"] == "gd"


def test_a_missing_item_lists_the_notebooks_other_definitions():
    """Does the message name at most six unmatched functions with their parameters?"""
    cells = [f"def helper_{i}(a, b=1):\n    return a\n" for i in range(8)]
    _, resolution = resolve("ch04", *cells)
    message = resolution.unavailable["numerical_diff"]
    listing = ", ".join(f"`helper_{i}(a, b=)`" for i in range(6)) + ", ..."
    assert message == joined([msg("ingest.resolve.missing", name="numerical_diff"),
                              msg("ingest.resolve.unmatched", listing=listing)])


def test_an_item_made_an_instance_says_so():
    """`simpleNet = Runner()` at the top level: does simpleNet's message say it is an instance?"""
    _, resolution = resolve("ch04", "class Runner:\n    def run(self):\n        pass\n", "simpleNet = Runner()\n")
    assert resolution.unavailable["simpleNet"].field("first") == \
        msg("ingest.resolve.instance", name="simpleNet", call="Runner", cell=2, line=1)


def test_a_class_rebound_to_its_instance_is_graded_with_a_note():
    """`simpleNet = simpleNet()` after the class: is the class graded, with a note on the rebinding?"""
    net = "class simpleNet:\n    def predict(self, x):\n        return x\n"
    _, resolution = resolve("ch04", net, "x = 1\nsimpleNet = simpleNet()\n")
    assert resolution.bindings["simpleNet"] == "simpleNet"
    assert resolution.notes["simpleNet"] == msg("ingest.resolve.rebound_instance", name="simpleNet",
                                                call="simpleNet", cell=2, line=2)


def test_an_item_only_made_inside_a_loop_says_where():
    """A softmax defined inside a for loop: does the message point at the loop?"""
    _, resolution = resolve("ch03", "for i in range(2):\n    def softmax(x):\n        return x\n")
    assert resolution.unavailable["softmax"] == msg("ingest.resolve.only_skipped", name="softmax",
                                                    cell=1, line=1, kind="for")


def test_a_name_graded_as_another_item_is_not_suggested():
    """numerical_diff missing, numerical_gradient written: is the plain message given, no suggestion?"""
    _, resolution = resolve("ch04", "def numerical_gradient(f, x):\n    return x\n")
    assert resolution.unavailable["numerical_diff"] == msg("ingest.resolve.missing", name="numerical_diff")


def test_an_item_replaced_by_a_later_import_says_so():
    """softmax written in cell 1, then `from common.functions import softmax`: is the import named?"""
    result, resolution = resolve("ch03", "def softmax(x):\n    return x\n",
                                 "from common.functions import softmax\n")
    assert result.definitions["softmax"].replaced == "function"
    assert resolution.unavailable["softmax"] == msg("ingest.resolve.shadowed", name="softmax", cell=1,
                                                    import_cell=2, module="common.functions")
    # An import that replaces another import is only an import.
    _, plain = resolve("ch03", "import os as softmax\n", "from common.functions import softmax\n")
    assert plain.unavailable["softmax"] == msg("ingest.resolve.imported", name="softmax",
                                               module="common.functions")


def test_the_listing_keeps_the_items_kind_and_puts_callable_alike_first():
    """For a missing function: classes left out, and `f(a, b)` before `g(a, b, c)` for (y, t)?"""
    _, resolution = resolve("ch04", "def g(a, b, c):\n    return a\n", "def f(a, b):\n    return a\n",
                            "class Thing:\n    def run(self):\n        pass\n")
    assert resolution.unavailable["mean_squared_error"].field("rest") == \
        msg("ingest.resolve.unmatched", listing="`f(a, b)`, `g(a, b, c)`")


def test_a_method_outside_its_class_is_no_candidate():
    """`def gd_step(self, f, init_x, ...)` at the top level: is it left alone, though its name fits?"""
    _, resolution = resolve("ch04", "def gd_step(self, f, init_x, lr=0.01, step_num=100):\n    return init_x\n")
    assert "gradient_descent" not in resolution.bindings
