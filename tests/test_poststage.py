"""Can one student's odd result end a batch, or every later batch into the same folder?

The stages after grading (gradebook, results.json and pages, history, similarity,
summary.csv, the exports, the dashboard) are fed typed results with hostile file names
(bytes that are not UTF-8, CP949, lone surrogates, control characters), huge literals and
odd code shapes, through the real run_batch with grading itself replaced (fast). hypothesis
is not installed here, so the cases come from seeded random generation: a failure names
its seed.
"""

import csv
import io
import json
import logging
import os
import random

import pytest

from autograder import batch as batch_module
from autograder import units
from autograder.executor import SerialExecutor
from autograder.feedback import Feedback, Verbatim, msg
from autograder.gradebook import Gradebook
from autograder.grading.outcome import TestOutcome, TestStatus
from autograder.grading.score import score_outcomes
from autograder.pipeline import Prepared
from autograder.poststage import Faults, neutral
from autograder.report.render import write_submission
from autograder.ingest.sources import ItemSource
from autograder.result import ErrorCode, GradingResult, Provenance, RunError, RunStatus
from autograder.submissions import Submission
from autograder.submissions.ids import safe_id
from autograder.text import path_text

pytestmark = pytest.mark.sandbox

CLASS_FILES = ("summary.csv", "grades.csv", "canvas.csv", "moodle.csv", "dashboard.html")
ITEMS = ("softmax", "relu", "Net")


# --- what a hostile class hands in --------------------------------------------------------

def _raw_name(rng: random.Random) -> str:
    """A file name as Python reads it from disk after `unzip` (surrogate-escaped bytes)."""
    kind = rng.randrange(7)
    if kind == 0:      # a zip made on Korean Windows: CP949 bytes
        return os.fsdecode(rng.choice(["김철수", "이영희_과제", "박지우 ch04"]).encode("cp949") + b".ipynb")
    if kind == 1:      # any bytes a file name can hold
        return os.fsdecode(bytes(rng.choice([b for b in range(1, 256) if b != 0x2F])
                                 for _ in range(rng.randint(1, 30))))
    if kind == 2:      # lone surrogates, as a JSON manifest could carry them
        return "kim\ud800" + chr(rng.randint(0xD800, 0xDFFF)) + ".ipynb"
    if kind == 3:      # control characters, bidi overrides, a terminal escape
        return "lee\x1b[31m\u202e\x07\r\n" + rng.choice(["=cmd", "+1", "@x", "-2"])
    if kind == 4:      # Korean spelled in NFD, as a Mac saves it
        return "\u1100\u1175\u11b7\u1109\u116e\u11ab.ipynb"
    if kind == 5:
        return "".join(chr(rng.randint(0x20, 0x2FFFF)) for _ in range(rng.randint(1, 40)))
    return "student" + "é" * rng.randint(0, 300)


def _code(rng: random.Random) -> str:
    """An item's code: legal Python of odd shapes (or a notebook's near-Python)."""
    depth = rng.randint(50, 3000)
    shapes = [
        f"def f(x):\n    return x + 0x1{'0' * rng.randint(4000, 6000)}\n",       # int too long to print
        f"def f(x):\n    y = {'1' * 5000}\n    return y\n",                        # a decimal one
        "def f(x):\n    return " + "-" * depth + "x\n",                            # deep unary chain
        "def f(x):\n    return " + "(" * 150 + "x" + ")" * 150 + "\n",
        "def f(x):\n    return " + "[" * 80 + "x" + "]" * 80 + "\n",
        "def f(x):\n    return " + "f(" * 400 + "x" + ")" * 400 + "\n",
        "X = [" + ", ".join(str(i) for i in range(rng.randint(1000, 20000))) + "]\n",
        "f = lambda x: (lambda y: y + x)(x) * 2 if x else (lambda: 0)()\n" * rng.randint(1, 30),
        "class Net:\n    if True:\n        lr = 0.1\n    for i in range(3):\n        pass\n"
        "    a.b = 1\n    x, (y, z) = 1, (2, 3)\n    del x\n    global g\n    print('hi')\n"
        "    [q := 1 for _ in ()]\n    w: int\n    class Inner:\n        pass\n"
        "    def m(self, *a, **k):\n        return lambda: self\n",
        "async def f(x):\n    match x:\n        case [1, *rest]:\n            return rest\n"
        "        case {'a': b}:\n            return b\n    return await x\n",
        "def f(x):\n    return '\ud800' + x\n",                                       # a lone surrogate
        "def f(x):\n    return x\x00\n",                                           # does not parse
        "@decorator\ndef f(x, /, y=1, *, z):\n    yield from (i for i in x if (j := i))\n",
    ]
    return rng.choice(shapes)


def _text(rng: random.Random) -> str:
    return rng.choice(["<script>alert(1)</script>", "\ud800\udfff", "\x1b[2J", "```\n# h",
                       "=HYPERLINK(\"x\")", "a" * 5000, "\u202e", "\udcb1\udce8"])


def _feedback(rng: random.Random) -> Feedback:
    """A failure whose every piece is hostile: verbatim text, a message's field, values."""
    raised = msg("grading.student_raised", call=_text(rng), exc_type=_text(rng), message=Verbatim(_text(rng)))
    return Feedback(rng.choice([Verbatim(_text(rng)), raised]), inputs=_text(rng), returned=_text(rng),
                    expected=_text(rng), details=(Verbatim(_text(rng)), raised))


def _result(rng: random.Random, student_id: str, source: str, graded: bool | None = None) -> GradingResult:
    prov = Provenance(student_id, source, f"{rng.getrandbits(256):064x}", "0.1.0",
                      rng.choice(["ch03", "ch04"]), "1")
    if not graded if graded is not None else rng.random() < 0.2:
        return GradingResult(prov, RunStatus.ERROR, error=RunError(ErrorCode.INVALID_JSON, Verbatim(_text(rng)),
                                                                   traceback=_text(rng)),
                             output=_text(rng))
    outcomes = [TestOutcome(f"test_{item}.py::t{i}", Verbatim(_text(rng)), item, 1.0,
                            rng.choice(list(TestStatus)), feedback=_feedback(rng),
                            hint=msg("grading.mismatch", call=_text(rng)), notes=(Verbatim(_text(rng)),))
                for item in ITEMS for i in range(2)]
    return GradingResult(prov, RunStatus.GRADED, score=score_outcomes(outcomes, list(ITEMS)),
                         outcomes=outcomes, output=_text(rng), notes={"softmax": Verbatim(_text(rng))},
                         item_sources={item: ItemSource(1, 1, _code(rng)) for item in ITEMS})


def _class(seed: int, size: int = 10) -> tuple[list[Submission], dict[str, GradingResult]]:
    rng = random.Random(seed)
    subs, results = [], {}
    for n in range(size):
        raw = _raw_name(rng)
        # The id is cleaned as discovery cleans it; the provenance keeps the raw name.
        student_id = f"{safe_id(raw)}-{n}"
        subs.append(Submission(student_id, rng.choice([os.path.join("class", raw), raw]), origin=raw))
        results[student_id] = _result(rng, student_id, raw)
    return subs, results


@pytest.fixture
def fake_grading(monkeypatch):
    """run_batch with reading and grading replaced: each submission gets the given result."""
    given: dict[str, GradingResult] = {}

    def prepare(sub, assignment=None, *, assignment_from_file=False, data=None):
        return Prepared(sub, given[sub.student_id].provenance)

    # Where the workers do them (here, a SerialExecutor's worker is this process).
    monkeypatch.setattr(units, "prepare", prepare)
    monkeypatch.setattr(units, "grade", lambda prep, **_options: given[prep.submission.student_id])
    return given


def _assert_folder_complete(out, results):
    for result in results:
        document = json.loads((out / "students" / result.student_id / "results.json").read_text(encoding="utf-8"))
        assert document["dlfs"]["student_id"] == result.student_id
    for name in CLASS_FILES:
        assert (out / name).is_file(), name
    rows = list(csv.reader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + len(results)


# --- the attacks ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(6))
def test_hostile_results_never_end_the_batch_nor_the_next(tmp_path, fake_grading, seed):
    subs, results = _class(seed)
    fake_grading.update(results)
    out = tmp_path / "out"
    first = batch_module.run_batch(subs, out, executor=SerialExecutor(), force=True)
    assert len(first.results) == len(subs), f"seed {seed}"
    stored = [r.provenance for r in first.results]
    _assert_folder_complete(out, first.results)
    # The same folder again: every stored result is read back (the cache) and reported.
    second = batch_module.run_batch(subs, out, executor=SerialExecutor())
    assert second.cached == sum(r.graded for r in results.values())
    assert [r.provenance for r in second.results] == stored
    _assert_folder_complete(out, second.results)
    # Whatever failed is said on the dashboard, by stage.
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    for fault in second.faults:
        assert f"<code>{fault.stage}</code>" in html


def test_an_undecodable_file_name_is_stored_readably_with_its_bytes(tmp_path):
    raw = os.fsdecode("class/김철수.ipynb".encode("cp949"))
    prov = Provenance("kim", raw, "ab" * 32, "0.1.0", "ch04", "1")
    assert prov.source.startswith("class/\\xb1\\xe8") and prov.source.endswith("(cp949: class/김철수.ipynb)")
    assert path_text("plain 이름.ipynb") == "plain 이름.ipynb"
    result = GradingResult(prov, RunStatus.GRADED, output="printed \ud800 and \udcb1")
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result)
        [back] = book.latest_per_assignment()
    assert back.provenance == prov and back.output == result.output
    target = write_submission(tmp_path / "students", result)
    assert json.loads(target.read_text(encoding="utf-8"))["output"].endswith("\nprinted \ud800 and \udcb1")


def _poisoned_similarity(real):
    def similar(results, known=None):
        if any(r.student_id == "lee" and r.item_sources for r in results):
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
        return real(results, known)
    return similar


def _three(seed=1):
    rng = random.Random(seed)
    results = {sid: _result(rng, sid, f"{sid}.ipynb", graded=True) for sid in ("kim", "lee", "park")}
    return [Submission(sid, f"{sid}.ipynb") for sid in results], results


def test_a_class_stage_that_fails_on_one_student_notes_it_and_writes_its_file(
        tmp_path, fake_grading, monkeypatch, caplog):
    subs, results = _three()
    fake_grading.update(results)
    real = batch_module.find_similar
    monkeypatch.setattr(batch_module, "find_similar", _poisoned_similarity(real))
    with caplog.at_level(logging.ERROR, logger="autograder.batch"):
        run = batch_module.run_batch(subs, tmp_path, executor=SerialExecutor(), force=True)
    assert [(f.stage, f.student_id, f.kept) for f in run.faults] == [("similarity", "lee", "neutralised")]
    assert "similarity failed for lee" in caplog.text and "4300 digits" in caplog.text
    html = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    faults = html.split('<table class="faults">')[1].split("</table>")[0]
    assert "lee" in faults and "4300 digits" in faults
    # lee's grade is still everywhere a grade goes.
    assert "lee" in (tmp_path / "canvas.csv").read_text(encoding="utf-8-sig")
    # A later run into the folder (every result now from the gradebook) goes the same way.
    again = batch_module.run_batch(subs, tmp_path, executor=SerialExecutor())
    assert again.cached == 3 and [f.student_id for f in again.faults] == ["lee"]


def test_a_student_the_gradebook_or_the_pages_refuse_still_gets_a_grade(tmp_path, fake_grading, monkeypatch):
    subs, results = _three()
    fake_grading.update(results)
    real_record, real_render = Gradebook.record, units.render_student_files

    def record(self, result):
        if result.student_id == "kim":
            raise OSError("disk full")
        return real_record(self, result)

    def render(result, *args):
        if result.student_id == "park":
            raise RecursionError("maximum recursion depth exceeded")
        return real_render(result, *args)
    monkeypatch.setattr(Gradebook, "record", record)
    monkeypatch.setattr(units, "render_student_files", render)
    run = batch_module.run_batch(subs, tmp_path, executor=SerialExecutor(), force=True)
    assert {(f.stage, f.student_id) for f in run.faults} == {("gradebook", "kim"), ("results", "park")}
    # park's results.json is the plain one: the score, nothing the code produced.
    plain = json.loads((tmp_path / "students" / "park" / "results.json").read_text(encoding="utf-8"))
    assert plain["score"] == results["park"].points and plain["tests"] == []
    assert not (tmp_path / "students" / "park" / "feedback.html").exists()
    # kim was never stored, yet is in this run's summary and exports.
    summary = (tmp_path / "summary.csv").read_text(encoding="utf-8-sig")
    assert all(sid in summary for sid in ("kim", "lee", "park"))
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        assert {r.student_id for r in book.latest_per_assignment()} == {"lee", "park"}


def test_class_stage_neutralises_then_drops_an_offender():
    faults = Faults()
    subs, results = _three()
    kim, lee, park = results["kim"], results["lee"], results["park"]

    def stage(rs):
        if any(r.student_id == "lee" for r in rs):
            raise KeyError("lee always fails")
        if any(r.student_id == "kim" and r.outcomes for r in rs):
            raise ValueError("kim's outcomes fail")
        return [r.student_id for r in rs]
    assert faults.klass("dashboard", stage, [kim, lee, park], None) == ["kim", "park"]
    assert [(f.student_id, f.kept) for f in faults.items] == [("kim", "neutralised"), ("lee", "dropped")]
    assert neutral(kim).points == kim.points and neutral(kim).outcomes == []
