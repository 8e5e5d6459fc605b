"""What Gradescope gets, without a sandbox: the zip's contents for one chapter, the
results.json transform (dlfs under extra_data, tests in item order) and the Markdown
summary above the tests (the course's language, bounded, nothing a student wrote is markup)."""

import dataclasses
import importlib.metadata
import json
import os
import re
import zipfile

import pytest

from autograder.assignment import load_assignment
from autograder.grading.outcome import TestOutcome, TestStatus
from autograder.grading.score import score_outcomes
from autograder.gradescope import build as builder, output, run as runner
from autograder.gradescope.build import build
from autograder.gradescope.output import summary, to_gradescope
from autograder.feedback import Feedback, Verbatim, msg
from autograder.report.results_json import to_dict
from autograder.result import BlockError, GradingResult, LoadSummary, Provenance, RunStatus
from autograder.submissions import discover_one


@pytest.fixture(scope="module")
def ch04_zip(tmp_path_factory):
    return build("ch04", tmp_path_factory.mktemp("dist"))


def test_the_ch04_zip_carries_its_chapter_and_what_it_imports_not_the_others(ch04_zip):
    with zipfile.ZipFile(ch04_zip) as zf:
        names = zf.namelist()
        requirements = zf.read("requirements.txt").decode()
    chapters = {n.split("/")[1] for n in names if n.startswith("reference/") and n.count("/") > 1}
    # ch04's reference and hidden suite import ch03's activations and hints.
    assert chapters == {"ch04_training", "ch03_neural_networks"}
    assert {"reference/ch04_training/assignment.toml", "reference/ch04_training/hints.py",
            "reference/ch04_training/messages.toml", "reference/ch04_training/losses.py",
            "reference/ch04_training/hidden/test_two_layer_net.py", "reference/evaluation.py",
            "reference/__init__.py"} <= set(names)
    assert not [n for n in names if n.endswith("mutants.toml") or "/public/" in n]
    assert names.count("requirements.txt") == 1
    pins = dict(re.findall(r"^([A-Za-z0-9._-]+)==(\S+)$", requirements, re.M))
    for package in ("numpy", "pytest", "nbformat", "jinja2", "ijson"):
        assert pins[package] == importlib.metadata.version(package)
    assert ">=" not in requirements


def test_a_requirement_not_installed_here_is_kept_as_written(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy>=1.24  # arrays\nno-such-package-dlfs>=1\n\n# c\n")
    text = builder.pinned_requirements(tmp_path)
    assert f"numpy=={importlib.metadata.version('numpy')}" in text.splitlines()
    assert "no-such-package-dlfs>=1" in text.splitlines()


def _result(block_errors=()) -> GradingResult:
    """A graded ch04 result whose outcomes come in file order, not item order."""
    outcomes = [
        TestOutcome("t_tln", Verbatim("TwoLayerNet learns"), "TwoLayerNet", 5, TestStatus.PASSED),
        TestOutcome("t_ce", Verbatim("cross entropy"), "cross_entropy_error", 3, TestStatus.FAILED,
                    feedback=Feedback(Verbatim("wrong `log`"))),
        TestOutcome("t_mse", Verbatim("mse"), "mean_squared_error", 2, TestStatus.PASSED),
        TestOutcome("t_ce2", Verbatim("cross entropy batch"), "cross_entropy_error", 1, TestStatus.PASSED),
    ]
    score = score_outcomes(outcomes, ["mean_squared_error", "cross_entropy_error", "TwoLayerNet"])
    return GradingResult(Provenance("submission", "hw.ipynb", "ab" * 32, "0.1.0", "ch04", "1"),
                         RunStatus.GRADED, score=score, outcomes=outcomes, seed=0,
                         load=LoadSummary(True, block_errors=tuple(block_errors)))


def test_dlfs_moves_under_extra_data_for_gradescope_only_and_tests_follow_the_items():
    result = _result()
    cli = to_dict(result)
    before = json.dumps(cli, sort_keys=True)
    data = to_gradescope(cli, load_assignment("ch04").items)
    # The CLI's results.json is left as it was.
    assert json.dumps(cli, sort_keys=True) == before and "dlfs" in cli and "extra_data" not in cli
    assert "dlfs" not in data and data["extra_data"] == {"dlfs": cli["dlfs"]}
    assert data["output_format"] == "md"
    assert [(t["number"], t["tags"][0]) for t in data["tests"]] == [
        ("1", "mean_squared_error"), ("2", "cross_entropy_error"), ("3", "cross_entropy_error"),
        ("4", "TwoLayerNet")]
    # Within an item the suite's own order stays.
    assert [t["name"] for t in data["tests"]][1:3] == ["cross entropy", "cross entropy batch"]
    assert data["score"] == cli["score"] == 8


def test_the_summary_is_in_the_courses_language_with_scores_per_item_and_fixes():
    assignment = load_assignment("ch04")
    errors = [BlockError("cell 3", "NameError", "name 'np' is not defined", 2)]
    korean = summary(_result(errors), assignment, ["preface line"], assignment.lang or "ko")
    assert korean.startswith("preface line\n\n") and "**점수: 8 / 11**" in korean
    assert "| `cross_entropy_error` | 1 / 4 | 부분 점수 |" in korean
    assert "### 먼저 고칠 것" in korean and "NameError" in korean
    assert korean.index("mean_squared_error") < korean.index("cross_entropy_error") < korean.index("TwoLayerNet")
    english = summary(_result(errors), dataclasses.replace(assignment, lang="en"), [], "en")
    assert "**Score: 8 / 11**" in english and "### Fix these first" in english
    assert "점수" not in english


def test_what_a_student_wrote_is_shown_not_rendered_and_the_summary_stays_bounded():
    evil = "# Owned [click](https://evil.example) <img src=x onerror=alert(1)> | a | ` ``` "
    errors = [BlockError(f"cell {n}", "ValueError", evil + "x" * 5000, n) for n in range(60)]
    text = summary(_result(errors), load_assignment("ch04"), [], "en")
    assert len(text) < output.MAX_SUMMARY + 100
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == output.MAX_FIX_LINES + 1 and bullets[-1] == "- and 52 more"
    assert "<img" not in text.replace("\\<img", "") and "[click]" not in text.replace("\\[click\\]", "")
    assert not [line for line in text.splitlines() if line.startswith("#") and not line.startswith("### ")]
    assert all(len(line) < output.MAX_LINE + 200 for line in bullets)


def test_a_catalog_code_mark_becomes_a_code_span_a_students_backticks_cannot_close():
    assert output._markdown("`soft_max` is missing") == "`soft_max` is missing"
    assert output._markdown("cannot import `a``b` here") == "cannot import `a``b` here"
    # An odd backtick, as in `print('`')`: every backtick shown, nothing opened.
    assert output._markdown("x ` [y](z)") == "x \\` \\[y\\](z)"
    assert output._code("``x`") == "``` ``x` ```"


def _folder(tmp_path, names_and_times):
    folder = tmp_path / "submission"
    for name, when in names_and_times:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
        os.utime(path, (when, when))
    return folder


@pytest.mark.parametrize("files, graded, by_name", [
    # The published name wins over a newer draft, in any case, below a folder too.
    ([("draft.ipynb", 2e6), ("ch04_training.ipynb", 1e6)], "ch04_training.ipynb", True),
    ([("zz.ipynb", 2e6), ("hw/CH04_Training.ipynb", 1e6)], "hw/CH04_Training.ipynb", True),
    # Two of that name: the newer.
    ([("a/ch04_training.ipynb", 1e6), ("b/ch04_training.ipynb", 2e6), ("c.ipynb", 3e6)],
     "b/ch04_training.ipynb", True),
    # Without it: the newest, as the command line grades a student's folder.
    ([("draft.ipynb", 2e6), ("final.ipynb", 1e6)], "draft.ipynb", False),
    ([("only.ipynb", 1e6)], "only.ipynb", False),
    # A .py is graded only without a notebook, whatever its name.
    ([("ch04_training.py", 2e6), ("mine.ipynb", 1e6)], "mine.ipynb", False),
])
def test_the_published_name_chooses_among_notebooks(tmp_path, files, graded, by_name):
    folder = _folder(tmp_path, files)
    found, others = discover_one(folder, tmp_path / "scratch")
    chosen, rest, named = runner._published_first(found, others, folder, "ch04_training.ipynb")
    assert chosen.origin == graded and chosen.path == folder / graded and named is by_name
    kind = [name for name, _ in files if name.endswith(".ipynb")]
    assert sorted(rest) == sorted(set(kind) - {graded}) == list(rest)


def test_the_preface_names_the_file_the_others_and_why_in_one_language():
    folder_sub = type("S", (), {"refusal": None, "origin": "hw.ipynb",
                                "path": type("P", (), {"is_file": lambda self: True})()})()
    others = tuple(f"draft{n}.ipynb" for n in range(15))
    lines = output.preface(folder_sub, others, True, "ch04_training.ipynb", "en")
    assert lines[0] == "File graded: `hw.ipynb`"
    assert "`draft9.ipynb` and 5 more" in lines[1] and "draft10" not in lines[1]
    assert "named like the assignment's notebook (`ch04_training.ipynb`)" in lines[1]
    korean = output.preface(folder_sub, others[:1], False, "ch04_training.ipynb", "ko")
    assert korean[1].startswith("제출물에 있었지만 채점하지 않은 파일: `draft0.ipynb`.")
    assert "가장 최근에 수정한 파일" in korean[1] and "File" not in " ".join(korean)


def test_gradescopes_tests_speak_the_courses_language():
    """Are Gradescope's test titles and outputs in one language, the one asked for?"""
    result = _result()
    failing = result.outcomes[1]
    result.outcomes[1] = dataclasses.replace(failing, feedback=Feedback(
        msg("grading.root.passes_with_reference", names="`x`")))
    english = to_gradescope(to_dict(result, lang="en"), load_assignment("ch04").items)
    korean = to_gradescope(to_dict(result, lang="ko"), load_assignment("ch04").items)
    hangul = lambda text: any("\uac00" <= ch <= "\ud7a3" for ch in text)
    assert not any(hangul(t["output"]) for t in english["tests"])
    assert any("passes" in t["output"] for t in english["tests"])
    outputs = "".join(t["output"] for t in korean["tests"])
    assert hangul(outputs) and "passes" not in outputs
