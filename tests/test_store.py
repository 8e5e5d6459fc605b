"""Is a stored run the typed result it was, renderable later in either language, and does a
run stored by an earlier version (results.json's shape, bilingual prose) still load?"""

import json
import re

from autograder.feedback import Feedback, Message, Verbatim, Where, msg
from autograder.gradebook import Gradebook
from autograder.grading.outcome import TestOutcome, TestStatus
from autograder.grading.score import score_outcomes
from autograder.ingest.model import IngestReport
from autograder.ingest.sources import ItemSource
from autograder.messages import say
from autograder.report.page import submission_view
from autograder.report.render import render_feedback
from autograder.report.results_json import to_dict
from autograder.result import (BlockError, ErrorCode, GradingResult, ImportFailure, LoadSummary,
                               Provenance, RunError, RunStatus, Timings)
from autograder.store import FORMAT, decode, encode, to_data

HANGUL = re.compile("[\uac00-\ud7a3]")
CODE = "def mse(y, t):\n    return 0.5 * np.sum((y - t) ** 2)\n"


def _graded() -> GradingResult:
    raised = Feedback(msg("grading.student_raised", call="softmax(x)", exc_type="ValueError",
                          message=Verbatim("axis 2 is out of bounds")),
                      inputs="x = ndarray shape (2, 3) float64", details=(Verbatim("Traceback: ..."),),
                      where=Where(4, 2))
    outcomes = [
        TestOutcome("t::a", msg("grading.label.inputs"), "mse", 2, TestStatus.FAILED,
                    feedback=Feedback(msg("grading.mismatch", call="mse(y, t)"), inputs="y = [1.]",
                                      returned="float64: 0.1", expected="float64: 0.5",
                                      details=(msg("grading.cause.did_you_mean", name="sigmod",
                                                   suggestion="sigmoid"),)),
                    hint=msg("hint.int_dtype")),
        TestOutcome("t::b", Verbatim("softmax of a batch"), "softmax", 3, TestStatus.ERROR, feedback=raised),
        TestOutcome("t::c", Verbatim("relu"), "relu", 1, TestStatus.PASSED,
                    notes=(msg("grading.accepted_float32", dtype="float32"),)),
    ]
    ingest = IngestReport(format="ipynb", cells_total=6, warnings=[msg("report.load_timed_out")])
    return GradingResult(
        Provenance("kim", "kim.ipynb", "ab" * 32, "0.2.0", "ch04", "1"), RunStatus.GRADED,
        score=score_outcomes(outcomes, ["mse", "softmax", "relu"]), outcomes=outcomes, ingest=ingest,
        load=LoadSummary(True, block_errors=(BlockError("cell 4", "NameError", "name 'np' is not defined", 3),)),
        import_errors=[ImportFailure("cell 2", "1", "import torch", "No module named 'torch'")],
        notes={"mse": msg("report.load_timed_out")}, isolation="bwrap", seed=3,
        output="printed by the student\n", timings=Timings(ingest=0.25, suite=1.5),
        item_sources={"softmax": ItemSource(4, 1, CODE)},
        chapter_note=msg("report.load_timed_out"))


def _english_sentences(result: GradingResult) -> list[str]:
    """Every English sentence of ours the result carries (for a Korean page to leave out)."""
    parts = [p for o in result.outcomes for p in
             ([o.hint, *o.notes] + ([o.feedback.headline, *o.feedback.details] if o.feedback else []))]
    parts += [result.chapter_note, *result.notes.values(), *result.ingest.warnings]
    return [p.render("en") for p in parts if isinstance(p, Message)] + [say("grading.label.inputs", lang="en")]


def test_a_result_with_messages_is_stored_and_read_back_typed(tmp_path):
    result = _graded()
    data = json.loads(encode(result))
    assert data["format"] == FORMAT
    assert data["outcomes"][0]["hint"] == {"key": "hint.int_dtype"}      # a key, not a sentence
    back = decode(encode(result))
    assert back == result
    assert isinstance(back.outcomes[0].hint, Message) and isinstance(back.chapter_note, Message)
    assert back.outcomes[1].feedback.where == Where(4, 2)
    with Gradebook(tmp_path / "g.sqlite") as book:
        run = book.record(result)
        assert book.cached(result.provenance) == (run, result)


def test_the_store_keeps_text_whole_clipping_is_for_the_export():
    huge = "x" * 100_000
    result = _graded()
    result.outcomes[1].feedback = Feedback(Verbatim(huge))
    assert decode(encode(result)).outcomes[1].feedback.headline.text == huge
    assert len(json.dumps(to_dict(result, lang="en"))) < 60_000


def test_a_stored_run_renders_in_either_language(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(_graded())
        [stored] = book.latest_results()
    english = _english_sentences(stored)
    for fmt in ("md", "html"):
        en = render_feedback(stored, fmt, "en")
        ko = render_feedback(stored, fmt, "ko")
        assert not HANGUL.search(en), HANGUL.search(en)
        assert HANGUL.search(ko)
        for sentence in english:
            assert sentence not in ko.replace("&#39;", "'").replace("&#x27;", "'")
    en, ko = to_dict(stored, lang="en"), to_dict(stored, lang="ko")
    assert not HANGUL.search(json.dumps(en, ensure_ascii=False))
    assert en["tests"][0]["output"].startswith(say("grading.mismatch", lang="en", call="mse(y, t)"))
    assert f"{say('grading.label.returned', lang='en')}: float64: 0.1" in en["tests"][0]["output"]
    ko_text = json.dumps(ko, ensure_ascii=False)
    for sentence in english:
        assert json.dumps(sentence, ensure_ascii=False)[1:-1] not in ko_text
    # The summary is said at the edge, from the score and the load, then what was printed.
    assert en["output"].splitlines()[0] == say("report.score_line", lang="en", points="1", max_points="6")
    assert en["output"].endswith("printed by the student\n")
    assert ko["output"].splitlines()[0] == say("report.score_line", lang="ko", points="1", max_points="6")


def _legacy_document() -> dict:
    """A gradebook row as the previous version wrote it: results.json, sentences in both languages."""
    both = lambda key, **f: f"{say(key, lang='ko', **f)} / {say(key, lang='en', **f)}"
    message = both("grading.mismatch", call="mse(y, t)") + "\n  입력 / inputs: y = [1.]"
    hint = both("hint.int_dtype")
    output = "\n".join([both("report.score_line", points="0", max_points="3"),
                        both("report.student_output_follows"), "hello from the notebook"])
    return {"score": 0.0, "execution_time": 1.0, "output": output, "visibility": "visible",
            "tests": [{"number": "1", "name": "mse of the book's example", "score": 0.0, "max_score": 3.0,
                       "status": "failed", "output": f"{message}\n\n{hint}", "tags": ["mse"],
                       "extra_data": {"outcome": "failed", "test_id": "t::a", "message": message,
                                      "hint": hint, "duration": 0.1}}],
            "dlfs": {"student_id": "kim", "source": "kim.ipynb", "sha256": "cd" * 32,
                     "grader_version": "0.1.0", "assignment_id": "ch04", "assignment_version": "1",
                     "status": "graded", "isolation": "bwrap", "seed": 0,
                     "notes": {"mse": both("report.load_timed_out")}, "max_score": 3.0,
                     "items": [{"item": "mse", "score": 0.0, "max_score": 3.0, "passed": 0, "tests": 1,
                                "status": "zero"}],
                     "chapter_note": "ch03 / ch03", "import_errors": [],
                     "load": {"ok": True, "timed_out": False, "crashed": False, "duration": 0.1,
                              "block_errors": [["cell 2", "NameError", "name 'x' is not defined", 4]]},
                     "item_sources": {"mse": {"cell": 3, "line": 1, "code": CODE}}}}


def test_a_run_stored_by_an_earlier_version_still_loads_and_renders_verbatim(tmp_path):
    old = _legacy_document()
    with Gradebook(tmp_path / "g.sqlite") as book:
        book._db.execute("INSERT INTO runs (graded_at, student_id, source_path, sha256, assignment_id, "
                         "assignment_version, grader_version, status, score, max_score, results_json) "
                         "VALUES (0, 'kim', 'a', ?, 'ch04', '1', '0.1.0', 'graded', 0, 3, ?)",
                         ("cd" * 32, json.dumps(old, ensure_ascii=False)))
        [result] = book.latest_per_assignment()
    message = old["tests"][0]["extra_data"]["message"]
    (outcome,) = result.outcomes
    assert outcome.feedback.headline == Verbatim(message) and outcome.title == Verbatim("mse of the book's example")
    assert outcome.hint == Verbatim(old["tests"][0]["extra_data"]["hint"])
    assert result.notes["mse"] == Verbatim(old["dlfs"]["notes"]["mse"])
    assert result.load.block_errors == (BlockError("cell 2", "NameError", "name 'x' is not defined", 4),)
    assert result.item_sources["mse"] == ItemSource(3, 1, CODE)
    # What the code printed, without the summary the earlier version put before it.
    assert result.output == "hello from the notebook"
    for lang in ("ko", "en"):
        page = render_feedback(result, "md", lang)
        assert message.splitlines()[0] in page and old["dlfs"]["notes"]["mse"] in page
        exported = to_dict(result, lang=lang)
        assert exported["tests"][0]["output"] == f"{message}\n\n{outcome.hint.text}"
        assert exported["output"].count("hello from the notebook") == 1
        assert exported["output"].splitlines()[0] == say("report.score_line", lang=lang, points="0",
                                                          max_points="3")
    # The store writes it back in its own form, and reads the same result.
    assert to_data(result)["format"] == FORMAT and decode(encode(result)) == result


def test_an_error_run_keeps_its_message_as_a_message():
    result = GradingResult(Provenance("lee", "lee.ipynb", "ef" * 32, "0.2.0"), RunStatus.ERROR,
                           error=RunError(ErrorCode.WORKER_CRASHED, msg("batch.error.worker_crashed")))
    back = decode(encode(result))
    assert back == result
    en, ko = to_dict(back, lang="en"), to_dict(back, lang="ko")
    assert en["dlfs"]["error"]["message"] == say("batch.error.worker_crashed", lang="en")
    assert ko["dlfs"]["error"]["message"] == say("batch.error.worker_crashed", lang="ko")
    assert submission_view(back, "en")["error"] == say("batch.error.worker_crashed", lang="en")


def test_two_tests_with_one_hint_are_one_cause_whatever_their_headlines_say():
    def failed(test_id, call, returned, hint=None):
        return TestOutcome(test_id, Verbatim(test_id), "mse", 1, TestStatus.FAILED,
                           feedback=Feedback(msg("grading.mismatch", call=call), returned=returned), hint=hint)
    outcomes = [failed("t::a", "mse(y, t)", "int64: 0", msg("hint.int_dtype")),
                failed("t::b", "mse(y2, t2)", "int64: 1", msg("hint.int_dtype")),
                # No hint: the headline's key and the returned description make the cause.
                failed("t::c", "mse(a, b)", "float64: 0.3"), failed("t::d", "mse(c, d)", "float64: 0.3"),
                failed("t::e", "mse(c, d)", "float64: 0.4")]
    result = GradingResult(Provenance("kim", "k.ipynb", "ab" * 32, "0.2.0", "ch04", "1"), RunStatus.GRADED,
                           score=score_outcomes(outcomes, ["mse"]), outcomes=outcomes)
    (item,) = submission_view(result, "en")["open_items"]
    blocks = sorted((sorted(t["title"] for t in b["tests"]) for b in item["blocks"]))
    assert blocks == [["t::a", "t::b"], ["t::c", "t::d"], ["t::e"]]
    hinted = next(b for b in item["blocks"] if b["count"] == 2 and b["hint"])
    assert hinted["hint"] == say("hint.int_dtype", lang="en")


def test_raised_exceptions_are_grouped_by_their_type():
    def raised(test_id, exc_type, message):
        return TestOutcome(test_id, Verbatim(test_id), "f", 1, TestStatus.ERROR, feedback=Feedback(
            msg("grading.student_raised", call="f(x)", exc_type=exc_type, message=Verbatim(message))))
    outcomes = [raised("a", "ValueError", "one"), raised("b", "ValueError", "two"), raised("c", "TypeError", "x")]
    result = GradingResult(Provenance("kim", "k.ipynb", "ab" * 32, "0.2.0", "ch04", "1"), RunStatus.GRADED,
                           score=score_outcomes(outcomes, ["f"]), outcomes=outcomes)
    (item,) = submission_view(result, "en")["open_items"]
    assert sorted(b["count"] for b in item["blocks"]) == [1, 2]


def test_an_earlier_versions_error_row_says_its_error_once():
    """Such a row kept the error as its output too: the export says it once, as written."""
    said = "파일이 잘렸습니다 / the file is cut off"
    old = {"score": 0.0, "output": said, "tests": [], "dlfs": {
        "student_id": "lee", "source": "lee.ipynb", "sha256": "ef" * 32, "grader_version": "0.1.0",
        "status": "error", "error": {"code": "truncated", "message": said}}}
    result = decode(json.dumps(old))
    assert result.error == RunError(ErrorCode.TRUNCATED, Verbatim(said)) and result.output == ""
    assert to_dict(result, lang="en")["output"] == said
