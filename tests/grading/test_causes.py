"""Does a NameError's hint name its cause, from what ingest knows about the notebook?"""

from autograder.feedback import msg
from autograder.grading.causes import NotebookSummary, name_error_hint, summarize
from autograder.grading.outcome import TestStatus
from autograder.grading.plugin import classify
from autograder.ingest import Definition, ingest_bytes
from autograder.sandbox.errors import StudentRaised
from tests.ingest.conftest import notebook_bytes

PREDICT = "def predict(network, x):\n    return softmax(x)\n"


def notebook(*cells, **extra):
    """The summary of a notebook built from `cells` (cell 1 is the first of them)."""
    result = ingest_bytes(notebook_bytes(*cells, markdown_first=False), "s.ipynb")
    return summarize(result, extra.pop("graded", {}), **extra)


def hint(name, summary):
    return name_error_hint(f"name '{name}' is not defined", summary)


def test_a_name_made_by_skipped_code_keeps_the_old_hint_with_the_place():
    summary = notebook("import numpy as np", "network = init_network()\nx = network['W1']\n")
    assert hint("network", summary) == msg("grading.cause.skipped", name="network", cell=2, line=1,
                                           kind="assign", advice=msg("hint.name_undefined"))


def test_a_name_in_a_cell_that_does_not_compile_names_cell_and_line():
    summary = notebook(PREDICT, "x = 1", "import numpy as np\n\ndef softmax(a)\n    return a\n")
    assert hint("softmax", summary) == msg("grading.cause.unread", name="softmax", cell=3,
                                           problem=msg("ingest.problem.syntax_error", line=3))


def test_a_name_defined_nowhere_says_each_notebook_is_graded_on_its_own():
    assert hint("identity_function", notebook(PREDICT)) == msg("grading.cause.nowhere",
                                                               name="identity_function")


def test_with_broken_cells_a_name_found_nowhere_names_them():
    summary = notebook(PREDICT, "print(1", "W = [1,")
    assert hint("identity_function", summary) == msg("grading.cause.nowhere_readable",
                                                     name="identity_function", cells="2, 3")


def test_a_book_name_written_under_an_alias_suggests_the_alias():
    summary = notebook("def ce_loss(y, t):\n    return 0\n",
                       graded={"cross_entropy_error": "ce_loss", "ce_loss": "ce_loss"})
    assert hint("cross_entropy_error", summary) == msg("grading.cause.did_you_mean",
                                                       name="cross_entropy_error", suggestion="ce_loss")


def test_a_near_miss_of_a_defined_name_suggests_it():
    summary = notebook("def sigmoid(x):\n    return x\n", "W1 = 2")
    assert hint("sigmod", summary) == msg("grading.cause.did_you_mean", name="sigmod", suggestion="sigmoid")
    assert hint("w1", summary) == msg("grading.cause.did_you_mean", name="w1", suggestion="W1")


def test_a_failed_star_import_is_named_when_nothing_else_explains_it():
    summary = notebook("from common.functions import *", PREDICT,
                       failed_imports=(("cell 1", "from common.functions import *"),))
    assert hint("softmax", summary) == msg("grading.cause.star_import", name="softmax", cell=1,
                                           module="common.functions")


def test_a_definition_after_the_line_where_loading_stopped_says_so():
    summary = notebook("import numpy as np\nW = np.ones(2) / 0\n\ndef softmax(a):\n    return a\n",
                       load_errors={1: (2, "ZeroDivisionError: division by zero")})
    assert hint("softmax", summary) == msg("grading.cause.load_failed", name="softmax", cell=1, line=4,
                                           failed_line=2, error="ZeroDivisionError: division by zero")


def test_a_definition_replaced_by_an_import_says_which_import():
    summary = NotebookSummary(definitions={"softmax": Definition(
        "softmax", "import", 5, 1, imported_from="common.functions", earlier=(2,), replaced="function")})
    assert hint("softmax", summary) == msg("ingest.resolve.shadowed", name="softmax", cell=2,
                                           import_cell=5, module="common.functions")


def test_the_plugin_uses_the_notebook_and_keeps_its_old_hint_without_one():
    raised = StudentRaised("predict(network, x)", "NameError", "name 'softmax' is not defined")
    summary = notebook(PREDICT)
    assert classify(raised, "call", summary).hint == msg("grading.cause.nowhere", name="softmax")
    assert classify(raised, "call").hint == msg("hint.name_undefined")
    other = StudentRaised("predict(network, x)", "ValueError", "name 'softmax' is not defined")
    assert classify(other, "call", summary).status is TestStatus.ERROR
    assert classify(other, "call", summary).hint is None


def test_numpy_never_imported_asks_for_the_import():
    """`np` used but never imported: is the advice the import, not "define `np`"?"""
    assert hint("np", notebook(PREDICT)) == msg("grading.cause.not_imported", name="np",
                                                statement="import numpy as np")
