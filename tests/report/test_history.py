"""Does a student's history list every run, regrades included, on the page and the command line?"""

from autograder.cli import main
from autograder.gradebook import Gradebook
from autograder.report.history import history_rows
from autograder.report.render import render_feedback
from tests.report.test_render import _graded


def test_history_lists_every_run_and_the_page_shows_it(tmp_path, capsys):
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.record(_graded("kim"))
        book.record(_graded("kim"))
        book.record(_graded("park"))
        rows = history_rows(book.history("kim"))
    assert [r["run"] for r in rows] == [1, 2]
    assert main(["history", "kim", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 run(s)" in out and "#1" in out and "#2" in out and "park" not in out
    page = render_feedback(_graded("kim"), "md", "en", history=rows)
    assert "Grading history" in page and page.count("| 2 / 6 |") == 2


def test_history_without_a_gradebook_is_misuse(tmp_path):
    assert main(["history", "kim", "--out", str(tmp_path)]) == 2
