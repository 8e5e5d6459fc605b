"""The ingest reports of the e2e scenarios for hostile cells and hidden definitions.

tests/e2e/test_scenarios.py grades these submissions end to end; what expected.json
cannot say (warnings, the note on which definition was graded) is checked here.
"""

from pathlib import Path

from autograder.ingest import ingest, resolve_items
from autograder.feedback import msg

SCENARIOS = Path(__file__).resolve().parents[1] / "e2e" / "scenarios"


def scenario(name: str):
    return ingest(SCENARIOS / name / "submission.ipynb")


def test_deep_expression_cells_are_left_out_and_the_earlier_mse_graded():
    result = scenario("deep_expression_cell")
    assert [(c, m) for c, _, m in result.report.syntax_errors] == [
        (6, "RecursionError"), (7, "MemoryError"), (8, "RecursionError")]
    note = resolve_items(result.definitions, ["mean_squared_error"]).notes["mean_squared_error"]
    assert note == msg("ingest.resolve.unread_later", name="mean_squared_error", cell=8,
                       problem=msg("ingest.problem.too_complex", line=2, detail="RecursionError"),
                       graded=3)


def test_lone_surrogate_cell_is_not_text():
    result = scenario("lone_surrogate_cell")
    assert msg("ingest.warn.not_text", cell=8, line=1, message="U+D800") in result.report.warnings
    note = resolve_items(result.definitions, ["mean_squared_error"]).notes["mean_squared_error"]
    assert note.field("problem") == msg("ingest.problem.not_text", line=1, detail="U+D800")
    assert "not text, U+D800, line 1" in note.render("en")
    result.source.encode("utf-8")


def test_huge_literal_cell_is_too_large():
    result = scenario("huge_literal_cell")
    assert any(w.key == "ingest.warn.cell_too_large" and w.field("cell") == 6 and w.field("limit_kb") == 100
               for w in result.report.warnings)
    assert result.definitions["mean_squared_error"].cell == 3
    assert "W" not in result.definitions


def test_definitions_in_blocks_are_kept_and_the_main_guard_is_not():
    result = scenario("definitions_in_blocks")
    assert result.report.syntax_errors == []
    assert dict(result.report.skipped) == {"call": 1, "if": 1}
    blocks = {name: (d.block, d.cell) for name, d in result.definitions.items() if d.block}
    assert blocks == {"np": ("try", 1), "sigmoid": ("if", 2), "softmax": ("if", 2),
                      "mean_squared_error": ("with", 3), "sum_squared_error": ("with", 3),
                      "numerical_diff": ("try", 5), "numerical_gradient": ("try", 5),
                      "gradient_descent": ("try", 5), "TwoLayerNet": ("if", 7)}
    assert "while True" not in result.source
