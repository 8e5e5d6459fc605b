"""Does the dashboard show the class's matrix, distribution and sticking points, offline?"""

from autograder.report.dashboard import failure_rates, histogram
from autograder.report.render import render_dashboard
from tests.report.test_render import _error, _graded


def test_failure_rates_put_the_most_failed_test_first_with_an_example():
    rows = failure_rates([_graded("kim"), _graded("park")], "students", "en")
    assert [r["name"] for r in rows][0] in ("softmax of a batch", "relu exists")
    assert all(r["failed"] == 2 and r["rate"] == "100%" for r in rows)
    assert rows[0]["link"] == "students/kim/feedback.html" and rows[0]["example"]


def test_histogram_counts_every_student_once():
    bars = histogram([0.0, 0.35, 0.35, 1.0])["bars"]
    assert [b["count"] for b in bars] == [1, 0, 0, 2, 0, 0, 0, 0, 0, 1]
    assert max(b["h"] for b in bars) == 120


def test_dashboard_is_self_contained_and_has_matrix_histogram_and_problems():
    html = render_dashboard([_graded("kim"), _graded("park"), _error("lee")], "students", "en")
    assert "<svg" in html and 'class="matrix"' in html and 'class="failures"' in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "truncated" in html.split('class="problems"')[1]     # lee's upload, listed as a problem
