"""A definition in a cell that could not be read: which one is graded, and the note saying so."""

import json

from nbformat import v4

from autograder.ingest import bounds, ingest, resolve_items
from autograder.feedback import msg
from tests.ingest.conftest import notebook_bytes

SOFTMAX = "def softmax(a):\n    c = a.max()\n    return a - c\n"
BROKEN = "import numpy as np\n\ndef softmax(a):\n    return np.exp(a) / np.sum(np.exp(a)\n"


def test_broken_redefinition_keeps_the_earlier_one_with_a_note(write):
    """softmax in cell 2, a broken softmax in cell 4: is cell 2's graded, and do report and note say so?"""
    result = ingest(write(notebook_bytes(SOFTMAX, "x = 1", BROKEN)))
    [(cell, line, _)] = result.report.syntax_errors
    softmax = result.definitions["softmax"]
    assert (softmax.cell, [u.cell for u in softmax.unread_later]) == (2, [4])
    problem = msg("ingest.problem.syntax_error", line=line)
    assert msg("ingest.warn.unread_redefinition", name="softmax", cell=4,
               problem=problem, graded=2) in result.report.warnings
    resolution = resolve_items(result.definitions, items=["softmax"])
    assert resolution.bindings == {"softmax": "softmax"}
    assert resolution.notes["softmax"] == msg("ingest.resolve.unread_later", name="softmax", cell=4,
                                              problem=problem, graded=2)
    assert resolution.notes["softmax"].render("en").endswith(
        f"`softmax` in cell 4 could not be read (syntax error, line {line}); "
        "the definition in cell 2 was graded.")


def test_a_readable_definition_after_the_broken_one_wins_without_a_note(write):
    """Broken softmax in cell 3, good one in cell 4: is cell 4 graded with only the redefinition note?"""
    result = ingest(write(notebook_bytes(BROKEN, SOFTMAX)))
    assert result.definitions["softmax"].cell == 3 and result.definitions["softmax"].unread_later == ()
    assert result.unread == {}
    assert "softmax" not in resolve_items(result.definitions, ["softmax"]).notes


def test_name_only_in_an_unreadable_cell_is_explained_when_asked(write):
    """With softmax only in a broken cell, does resolve_items(unread=...) say where it was lost?"""
    result = ingest(write(notebook_bytes("x = 1", BROKEN)))
    assert "softmax" not in result.definitions
    [lost] = result.unread["softmax"]
    assert (lost.cell, lost.line) == (3, 3)
    explained = resolve_items(result.definitions, ["softmax"], unread=result.unread)
    assert explained.unavailable["softmax"] == msg(
        "ingest.resolve.unread_missing", name="softmax", cell=3,
        problem=msg("ingest.problem.syntax_error", line=lost.problem.line))
    plain = resolve_items(result.definitions, ["softmax"])
    assert plain.unavailable["softmax"] == msg("ingest.resolve.missing", name="softmax")


def test_alias_in_an_unreadable_cell_is_named(write):
    """Is an alias written only in a broken cell (`ce_loss`) named in the missing item's message?"""
    result = ingest(write(notebook_bytes("def ce_loss(y, t):\n    return (y - t\n")))
    message = resolve_items(result.definitions, ["cross_entropy_error"],
                            aliases={"cross_entropy_error": ["ce_loss"]},
                            unread=result.unread).unavailable["cross_entropy_error"]
    assert (message.key, message.field("name"), message.field("cell")) == \
        ("ingest.resolve.unread_missing", "ce_loss", 2)


def test_too_large_and_not_text_cells_are_described(write, monkeypatch):
    """Do a cell over the size cap and a cell with a lone surrogate give their own reason?"""
    monkeypatch.setattr(bounds, "MAX_CELL_CHARS", 200)
    large = SOFTMAX + "W = [" + "0.5, " * 60 + "]\n"
    surrogate = 'NAME = "\ud800"\n' + SOFTMAX
    nb = v4.new_notebook(cells=[v4.new_code_cell(c) for c in (SOFTMAX, large, surrogate)])
    result = ingest(write(json.dumps(nb, ensure_ascii=True)))
    later = result.definitions["softmax"].unread_later
    assert [(u.cell, u.line) for u in later] == [(2, 1), (3, 2)]
    notes = resolve_items(result.definitions, ["softmax"]).notes["softmax"]
    assert notes.key == "ingest.resolve.joined"
    assert [n.field("problem") for n in (notes.field("first"), notes.field("rest"))] == [
        msg("ingest.problem.too_large"), msg("ingest.problem.not_text", line=1, detail="U+D800")]
    assert "not text, U+D800, line 1" in notes.render("en") and "U+D800" in notes.render("ko")


def test_only_top_level_names_are_claimed(write):
    """Are a broken cell's methods and nested helpers not taken for top-level definitions?"""
    cell = "class Net:\n    def forward(self, x):\n        def helper():\n            pass\n        return x +\n"
    result = ingest(write(notebook_bytes(cell)))
    assert set(result.unread) == {"Net"}


def test_a_cell_of_thousands_of_definitions_is_bounded(write):
    """Does a broken cell defining 5,000 names (each defined earlier too) keep the report short?"""
    names = [f"f{i}" for i in range(5000)]
    good = "".join(f"def {n}(): pass\n" for n in names)
    result = ingest(write(notebook_bytes(good, good + "(")))
    assert len(result.report.warnings) <= 12
    assert sum(1 for d in result.definitions.values() if d.unread_later) <= 50
