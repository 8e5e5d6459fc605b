"""The ingest reports of the e2e scenarios for hostile cells and hidden definitions.

tests/e2e/test_scenarios.py grades these submissions end to end; what expected.json
cannot say (warnings, the note on which definition was graded) is checked here.
"""

from pathlib import Path

from autograder.ingest import ingest, resolve_items
from autograder.messages import say

SCENARIOS = Path(__file__).resolve().parents[1] / "e2e" / "scenarios"


def scenario(name: str):
    return ingest(SCENARIOS / name / "submission.ipynb")


def test_deep_expression_cells_are_left_out_and_the_earlier_mse_graded():
    result = scenario("deep_expression_cell")
    assert [(c, m) for c, _, m in result.report.syntax_errors] == [
        (6, "RecursionError"), (7, "MemoryError"), (8, "RecursionError")]
    note = resolve_items(result.definitions, ["mean_squared_error"]).notes["mean_squared_error"]
    assert note == say("ingest.resolve.unread_later", name="mean_squared_error", cell=8,
                       problem="too complex, RecursionError, line 2", graded=3)


def test_lone_surrogate_cell_is_not_text():
    result = scenario("lone_surrogate_cell")
    assert say("ingest.warn.not_text", cell=8, line=1, message="U+D800") in result.report.warnings
    assert "not text, U+D800, line 1" in resolve_items(
        result.definitions, ["mean_squared_error"]).notes["mean_squared_error"]
    result.source.encode("utf-8")


def test_huge_literal_cell_is_too_large():
    result = scenario("huge_literal_cell")
    assert any("Cell 6 holds" in w and "over the 100 KB limit for one cell" in w
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
