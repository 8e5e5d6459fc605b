"""A TypeError about a graded item's signature gets one hint naming the book's signature."""

from reference import ch06_training_techniques, ch07_cnn

from autograder.feedback import msg
from autograder.grading.causes import name_error_hint, summarize
from autograder.grading.signature import signature_hint
from autograder.ingest import ingest_bytes
from tests.ingest.conftest import notebook_bytes

CONV = "class Convolution:\n    def __init__(self, W, b, stride=1):\n        self.W = W\n"


def _summary(*cells, graded):
    return summarize(ingest_bytes(notebook_bytes(*cells, markdown_first=False), "s.ipynb"), graded)


def _details(hint) -> list:
    """The differences a signature hint names, in order (they come chained two by two)."""
    def chain(detail):
        if detail.key != "grading.signature.also":
            return [detail]
        return chain(detail.field("first")) + [detail.field("then")]
    return chain(hint.field("detail"))


def test_every_form_of_the_error_gives_the_same_hint():
    summary = _summary(CONV, graded={"Convolution": "Convolution"})
    hints = {signature_hint(message, ch07_cnn, {"Convolution": "Convolution"}, summary) for message in (
        "Convolution.__init__() takes from 3 to 4 positional arguments but 5 were given",
        "Convolution.__init__() got an unexpected keyword argument 'pad'")}
    assert hints == {msg("grading.signature.differs", name="Convolution",
                         signature="Convolution(W, b, stride=1, pad=0)", yours="Convolution(W, b, stride=…)",
                         detail=msg("grading.signature.missing_default", param="pad", default="0"))}


def test_a_parameter_without_the_books_default_and_a_student_alias():
    summary = _summary("class BN:\n    def __init__(self, gamma, beta, momentum):\n        pass\n",
                       graded={"BatchNormalization": "BN"})
    hint = signature_hint("BN.__init__() missing 1 required positional argument: 'momentum'",
                          ch06_training_techniques, {"BatchNormalization": "BN"}, summary)
    assert hint.key == "grading.signature.differs"
    assert hint.field("signature") == "BatchNormalization(gamma, beta, momentum=0.9, running_mean=None, running_var=None)"
    assert msg("grading.signature.needs_default", param="momentum", default="0.9") in _details(hint)


def test_other_type_errors_and_unknown_functions_say_nothing():
    summary = _summary(CONV, "def helper(a):\n    return a\n", graded={"Convolution": "Convolution"})
    bindings = {"Convolution": "Convolution"}
    assert signature_hint("unsupported operand type(s) for +: 'int' and 'str'", ch07_cnn, bindings, summary) is None
    assert signature_hint("helper() takes 1 positional argument but 2 were given", ch07_cnn, bindings, summary) is None


def test_a_name_error_in_a_method_suggests_its_local():
    summary = _summary("class Net:\n    def predict(self, x):\n        out = x\n        return out1\n", graded={})
    assert name_error_hint("name 'out1' is not defined", summary, (("cell 1", 4, "Net.predict"),)) == \
        msg("grading.cause.local_slip", name="out1", function="Net.predict", suggestion="out")
    # Raised elsewhere, the same name has no local to be a slip of.
    assert name_error_hint("name 'out1' is not defined", summary, (("cell 1", 1, "f"),)).key \
        not in ("grading.cause.local_slip", "grading.cause.param_slip")


def test_several_differences_are_chained_in_the_books_order():
    """Two things wrong with one signature: are both said, in one message, first one first?"""
    summary = _summary("class Convolution:\n    def __init__(self, W, b, mode):\n        pass\n",
                       graded={"Convolution": "Convolution"})
    hint = signature_hint("Convolution.__init__() missing 1 required positional argument: 'mode'",
                          ch07_cnn, {"Convolution": "Convolution"}, summary)
    assert hint.field("detail") == msg(
        "grading.signature.also",
        first=msg("grading.signature.also", first=msg("grading.signature.missing_default", param="stride", default="1"),
                  then=msg("grading.signature.missing_default", param="pad", default="0")),
        then=msg("grading.signature.extra", param="mode"))
    assert "; it requires a `mode` parameter" in hint.render("en")
