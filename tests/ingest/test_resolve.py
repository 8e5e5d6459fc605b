"""Book names to student names, and the reasons an item cannot be graded."""

from autograder.ingest import Definition, resolve_items
from autograder.feedback import msg


def defs(*items: Definition) -> dict:
    return {d.name: d for d in items}


FUNCTION = dict(kind="function", cell=2, line=1)


def test_alias_binds_with_a_note():
    """Is `ce_loss` bound to cross_entropy_error, with a note saying so?"""
    resolution = resolve_items(defs(Definition("ce_loss", **FUNCTION), Definition("softmax", **FUNCTION)),
                               items=["softmax", "cross_entropy_error"],
                               aliases={"cross_entropy_error": ["ce_loss", "cross_entropy"]})
    assert resolution.bindings == {"softmax": "softmax", "cross_entropy_error": "ce_loss"}
    assert resolution.unavailable == {}
    assert resolution.notes == {"cross_entropy_error": msg("ingest.resolve.alias_note", student="ce_loss",
                                                           book="cross_entropy_error")}


def test_book_name_wins_over_alias():
    """When both the book name and an alias are written, is the book name graded, with no note?"""
    resolution = resolve_items(defs(Definition("cross_entropy_error", **FUNCTION), Definition("ce_loss", **FUNCTION)),
                               items=["cross_entropy_error"], aliases={"cross_entropy_error": ["ce_loss"]})
    assert resolution.bindings == {"cross_entropy_error": "cross_entropy_error"}
    assert resolution.notes == {}


def test_missing_item_suggests_close_names():
    """Does a missing MulLayer suggest the student's MultLayer?"""
    resolution = resolve_items(defs(Definition("MultLayer", "class", 3, 1), Definition("AddLayer", "class", 4, 1)),
                               items=["MulLayer"])
    assert resolution.unavailable["MulLayer"] == msg("ingest.resolve.missing_did_you_mean", name="MulLayer",
                                                     suggestions="`MultLayer`")


def test_missing_item_without_anything_close():
    """With nothing similar defined, is the plain missing message given?"""
    resolution = resolve_items(defs(Definition("relu", **FUNCTION)), items=["numerical_gradient"])
    assert resolution.unavailable["numerical_gradient"] == msg("ingest.resolve.missing", name="numerical_gradient")


def test_imported_item_scores_zero_with_a_message():
    """Is an imported softmax unavailable with "imported, not written", also through an alias?"""
    resolution = resolve_items(
        defs(Definition("softmax", "import", 1, 4, imported_from="common.functions"),
             Definition("my_sigmoid", "alias", 1, 5, imported_from="common.functions", target="sigmoid")),
        items=["softmax", "sigmoid"], aliases={"sigmoid": ["my_sigmoid"]})
    assert resolution.bindings == {}
    assert resolution.unavailable["softmax"] == msg("ingest.resolve.imported", name="softmax",
                                                    module="common.functions")
    assert resolution.unavailable["sigmoid"] == msg("ingest.resolve.imported", name="my_sigmoid",
                                                    module="common.functions")


def test_star_import_explains_the_missing_item():
    """With `from common.functions import *` and no softmax written, does the message name the import?"""
    resolution = resolve_items({"* common.functions": Definition("*", "import", 1, 2, "common.functions")},
                               items=["softmax"])
    assert resolution.unavailable["softmax"] == msg("ingest.resolve.missing_star_import", name="softmax",
                                                    module="common.functions")
    assert "from common.functions import *" in resolution.unavailable["softmax"].render("en")


def test_non_callable_item():
    """Is `softmax = 3` unavailable as a value, pointing at its cell and line?"""
    resolution = resolve_items(defs(Definition("softmax", "constant", 5, 2)), items=["softmax"])
    assert resolution.unavailable["softmax"] == msg("ingest.resolve.not_callable", name="softmax", cell=5, line=2)


def test_written_alias_beats_imported_book_name():
    """When softmax is imported but the student also wrote `my_softmax`, is the written one graded?"""
    resolution = resolve_items(defs(Definition("softmax", "import", 1, 1, imported_from="common.functions"),
                                    Definition("my_softmax", **FUNCTION)),
                               items=["softmax"], aliases={"softmax": ["my_softmax"]})
    assert resolution.bindings == {"softmax": "my_softmax"}


def test_a_name_defined_in_several_cells_says_which_one_is_graded(tmp_path):
    """When init_network is written twice (3.4.3 by hand, 3.6 from a pickle), does the note say the last is graded?"""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.ingest import ingest
    path = tmp_path / "twice.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("def init_network():\n    return {}\n"),
        new_code_cell("x = 1\n"),
        new_code_cell("def init_network():\n    return load('sample_weight.pkl')\n"),
    ]), path)
    definitions = ingest(path).definitions
    assert definitions["init_network"].cell == 3 and definitions["init_network"].earlier == (1,)
    resolution = resolve_items(definitions, items=["init_network"])
    assert resolution.notes["init_network"] == msg("ingest.resolve.redefined", name="init_network",
                                                   cells="1, 3", cell=3)
