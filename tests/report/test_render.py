"""Do the reports show what happened, safely, for graded and ungraded submissions?"""

import dataclasses
import hashlib
import json

from autograder.feedback import Feedback, Verbatim, msg
from autograder.grading.outcome import TestStatus, TestOutcome
from autograder.grading.score import score_outcomes
from autograder.messages import say
from autograder.report.render import display_width, render_feedback, render_summary, write_submission
from autograder.report.results_json import to_dict
from autograder.store import decode, encode
from autograder.result import (ErrorCode, GradingResult, Provenance, RunError, RunStatus,
                               Timings)


def _graded(student="kim", message="<script>alert(1)</script> returned 3"):
    outcomes = [
        TestOutcome("t1", Verbatim("softmax sums to one"), "softmax", 2, TestStatus.PASSED),
        TestOutcome("t2", Verbatim("softmax of a batch"), "softmax", 3, TestStatus.FAILED,
                    feedback=Feedback(Verbatim(message)), hint=msg("hint.int_dtype")),
        TestOutcome("t3", Verbatim("relu exists"), "relu", 1, TestStatus.MISSING,
                    feedback=Feedback(Verbatim("relu is missing"))),
    ]
    score = score_outcomes(outcomes, ["softmax", "relu"])
    provenance = Provenance(student, f"{student}.ipynb", "ab" * 32, "0.1.0", "ch03", "1")
    return GradingResult(provenance, RunStatus.GRADED, score=score, outcomes=outcomes,
                         notes={"softmax": Verbatim("graded `soft_max` as `softmax`")}, seed=0,
                         timings=Timings(ingest=0.5, suite=1.0))


def _error(student="lee"):
    provenance = Provenance(student, f"{student}.ipynb", "cd" * 32, "0.1.0")
    return GradingResult(provenance, RunStatus.ERROR,
                         error=RunError(ErrorCode.TRUNCATED, Verbatim("the file is cut off")),
                         output="the file is cut off", timings=Timings(ingest=0.1))


def test_results_follow_gradescopes_schema():
    results = to_dict(_graded())
    assert results["score"] == 2 and results["dlfs"]["max_score"] == 6
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "tags", "visibility"}
        assert test["status"] in ("passed", "failed")
    assert results["tests"][1]["output"].endswith(say("hint.int_dtype", lang="ko"))
    assert results["tests"][2]["extra_data"]["outcome"] == "missing"
    assert results["execution_time"] == 1.5 and results["dlfs"]["timings"]["suite"] == 1.0
    json.dumps(results)  # plain JSON all the way down


def test_a_result_survives_its_round_trip_through_the_store():
    """Is what the gradebook stores read back as the same typed result?"""
    for result in (_graded(), _error()):
        assert decode(encode(result)) == result


def test_markdown_feedback_shows_failures_notes_and_hints():
    text = render_feedback(_graded(), "md")
    assert "2 / 6" in text
    assert "softmax of a batch" in text and say("hint.int_dtype", lang="ko") in text
    assert "graded `soft_max` as `softmax`" in text
    assert "relu is missing" in text
    assert "softmax sums to one" not in text  # passing tests stay out of the way


def test_html_feedback_escapes_student_output():
    text = render_feedback(_graded(), "html")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_error_feedback_says_why():
    for fmt in ("md", "html"):
        assert "the file is cut off" in render_feedback(_error(), fmt)


def test_summary_table_keeps_columns_straight_with_korean_ids():
    text = render_summary([_graded("김민수"), _error("lee"), _graded("박지우_아주_긴_이름" * 5)], 2.0)
    lines = text.splitlines()
    table = lines[:5]
    assert all(display_width(line) == display_width(table[0]) for line in table)
    assert any("3" in line and "2.0" in line for line in lines[5:])


def test_the_summary_speaks_one_language_and_never_cuts_a_name():
    """Is the terminal's table in the --lang language only, every id whole, and the list of
    items to look at cut between names ("+N"), never inside one?"""
    long_id = "박지우_아주_긴_이름" * 5
    text = render_summary([_graded("김민수"), _graded(long_id)], 2.0, lang="en")
    assert long_id in text and "학생" not in text and "채점" not in text
    ko = render_summary([_graded("김민수")], 2.0, lang="ko")
    assert "학생" in ko and "graded (" not in ko
    from autograder.report.render import _fit_names
    names = "mean_squared_error, cross_entropy_error, numerical_diff, numerical_gradient, simpleNet"
    fitted = _fit_names(names, 48)
    assert fitted == "mean_squared_error, cross_entropy_error +3"
    assert _fit_names("TwoLayerNet", 5) == "TwoLayerNet"


def test_refused_files_are_not_byte_identical():
    """Are two submissions refused before they were read (no bytes, the hash of nothing)
    never called byte-identical, whatever their error?"""
    from autograder.report.view import identical_groups
    first, second = _error("victim_lee~1"), _error("victim_lee~2")
    nothing = hashlib.sha256(b"").hexdigest()
    refused = [dataclasses.replace(r, provenance=dataclasses.replace(r.provenance, sha256=nothing))
               for r in (first, second)]
    assert identical_groups(refused) == []
    assert identical_groups([first, second]) == ["victim_lee~1, victim_lee~2"]


def test_a_rerun_keeps_the_earlier_results(tmp_path):
    first = _graded()
    write_submission(tmp_path, first)
    second = _graded(message="another failure")
    write_submission(tmp_path, second)
    current = json.loads((tmp_path / "kim" / "results.json").read_text(encoding="utf-8"))
    assert current["tests"][1]["output"].startswith("another failure")
    kept = list((tmp_path / "kim" / "history").iterdir())
    assert len(kept) == 1
    assert "alert" in kept[0].read_text(encoding="utf-8")


def test_dashboard_gives_class_figures_per_item_and_links_each_student():
    from autograder.report.render import render_dashboard
    html = render_dashboard([_graded("kim"), _graded("park"), _error("lee")], "students")
    assert 'href="students/kim/feedback.html"' in html and 'href="students/lee/feedback.html"' in html
    assert "0 / 2" in html          # nobody has full marks on softmax (2 of 5 each)
    assert "40%" in html            # softmax: 4 of 10 points across the class


def test_byte_identical_submissions_are_pointed_out():
    copy = _graded("park")  # same sha256 as kim's in these fixtures
    text = render_summary([_graded("kim"), copy, _error("lee")], 1.0, cached=1, lang="en")
    assert "kim, park" in text
    assert "lee" not in text.splitlines()[-1]
    assert "1 reused" in text


def test_written_reports_are_readable_by_others(tmp_path):
    """Do TAs and a web server get to read the files (mkstemp alone makes them 0600)?"""
    write_submission(tmp_path, _graded())
    for name in ("results.json", "feedback.md", "feedback.html"):
        assert (tmp_path / "kim" / name).stat().st_mode & 0o044 == 0o044


def test_a_student_message_cannot_close_the_markdown_fence():
    """Can an exception message with backticks write a fake score heading into feedback.md?"""
    forged = "oops\n```\n\n# Score: 70 / 70\n\n```python\nprint('hi')"
    text = render_feedback(_graded(message=forged), "md")
    fence_line = next(line for line in text.splitlines() if line.startswith("````"))
    assert len(fence_line) >= 4
    # Inside a four-backtick fence the three-backtick lines are text, not fences.
    body = text.split(fence_line)[1]
    assert "# Score: 70 / 70" in body
    assert not any(line.startswith("# Score") for line in text.split(fence_line)[0].splitlines())


def test_ids_and_errors_cannot_inject_markdown_or_terminal_codes():
    text = render_feedback(_error("lee\n# Score: 100"), "md")
    assert "\n# Score" not in text
    summary = render_summary([_error("\x1b[31mred\x1b]0;title\x07")], 1.0)
    assert "\x1b" not in summary and "\x07" not in summary


def test_summary_csv_neutralises_formulas(tmp_path):
    """Does a spreadsheet show `=HYPERLINK(...)` or `+1+cmd` ids as text instead of running them?"""
    import csv
    from autograder.report.render import write_summary_csv
    path = tmp_path / "summary.csv"
    write_summary_csv(path, [_graded('=HYPERLINK("http://x","y")'), _graded("+1+cmd"), _graded("@SUM(1)"),
                             _graded("-2+3"), _graded("kim")])
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    ids = [row[0] for row in rows[1:]]
    assert all(not i.startswith(("=", "+", "-", "@")) for i in ids)
    assert "kim" in ids and "'=HYPERLINK(\"http://x\",\"y\")" in ids
    assert rows[1][3] == "2.0"  # numbers stay numbers


def test_results_json_stays_small_whatever_the_messages_hold():
    """Does a megabyte-long exception message in every test still give a results.json under 1 MB?"""
    huge = "x" * 1_000_000
    outcomes = [TestOutcome(f"t{i}", Verbatim(f"test {i}"), "softmax", 1, TestStatus.ERROR,
                            feedback=Feedback(Verbatim(huge), huge, huge, huge, (Verbatim(huge),)),
                            hint=msg("hint.bool_dtype"), notes=(Verbatim(huge),))
                for i in range(40)]
    result = GradingResult(Provenance("kim", "kim.ipynb", "ab" * 32, "0.1.0", "ch03", "1"),
                           RunStatus.GRADED, score=score_outcomes(outcomes, ["softmax"]),
                           outcomes=outcomes, output=huge)
    assert len(json.dumps(to_dict(result), ensure_ascii=False).encode()) < 1_000_000
