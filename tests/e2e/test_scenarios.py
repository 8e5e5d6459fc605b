"""Does every hostile or broken submission end with a correct result of its own?

Each folder under scenarios/ holds one submission and expected.json: the status, which
items must get full marks or none, and side effects that must not happen (files
written outside, processes left alive, a connection to a listening socket).
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from autograder.pipeline import grade, prepare
from autograder.report.render import write_submission
from autograder.report.results_json import to_dict
from autograder.sandbox.isolation import ENV_FORCE
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

SCENARIOS = Path(__file__).parent / "scenarios"
# Short limits keep the suite fast; the mechanisms are the same at any length.
FAST_LIMITS = {"call_seconds": 6.0, "submission_seconds": 90.0}


def _expected(name: str) -> dict:
    return json.loads((SCENARIOS / name / "expected.json").read_text(encoding="utf-8"))


def _cases():
    """Every scenario under bubblewrap; under the fallback layer, those it can contain.

    The fallback's known gaps (reading world-readable files, writing /tmp, the network)
    are listed in each scenario's expected.json and in the README, not hidden here."""
    names = sorted(p.name for p in SCENARIOS.iterdir() if (p / "expected.json").exists())
    cases = [pytest.param(n, "bubblewrap", id=n) for n in names]
    cases += [pytest.param(n, "fallback", id=f"{n}-fallback") for n in names
              if "bubblewrap_only" not in _expected(n)]
    return cases


def _living_processes_matching(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{proc.name}: {cmdline}")
    return found


def _items(results: dict) -> dict[str, dict]:
    return {i["item"]: i for i in results["dlfs"].get("items", [])}


@pytest.mark.parametrize("name, layer", _cases())
def test_scenario(name, layer, tmp_path, monkeypatch):
    folder = SCENARIOS / name
    expected = _expected(name)
    submission = next(p for p in folder.iterdir() if p.name.startswith("submission"))
    for path in expected.get("absent_files", []):
        # A marker left by an earlier run (say, a fallback run by hand) would mask this one.
        if os.path.exists(path):
            os.remove(path)
    listener = None
    if "listen_port" in expected:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", expected["listen_port"]))
        listener.listen()
        listener.settimeout(0.2)
    try:
        # A scenario that does slow but finite work (walking the whole tree) asks for more.
        monkeypatch.setenv(ENV_FORCE, layer)
        limits = {**FAST_LIMITS, **expected.get("limits", {})}
        result = grade(prepare(Submission(name, submission)), limits=limits)
        written = write_submission(tmp_path, result)
        results = to_dict(result, lang="en")    # expected.json's fragments are English
    finally:
        if listener:
            try:
                conn, _ = listener.accept()
                conn.close()
                accepted = True
            except socket.timeout:
                accepted = False
            listener.close()
            assert not accepted, "the sandbox reached a socket on the grader's loopback"

    dlfs = results["dlfs"]
    assert dlfs["status"] == expected["status"], dlfs.get("error")
    if "error_code" in expected:
        assert dlfs["error"]["code"] == expected["error_code"]
        assert dlfs["error"]["message"], "an error result must say what went wrong"
    if "assignment" in expected:
        assert dlfs["assignment_id"] == expected["assignment"]
    items = _items(results)
    for item in expected.get("full", []):
        assert items[item]["status"] == "full", (item, [t["output"] for t in results["tests"]
                                                        if t["tags"] == [item] and t["status"] != "passed"])
    for item in expected.get("zero", []):
        assert items[item]["score"] == 0, (item, items[item])
    for item, fragment in expected.get("messages", {}).items():
        outputs = " ".join(t["output"] for t in results["tests"] if t["tags"] == [item]).lower()
        assert fragment in outputs, outputs[:500]
    # A notebook that computes nothing: a bound on the whole score, and tests (by a part
    # of their id) that must pay nothing at all.
    if "max_percent" in expected:
        assert results["score"] <= expected["max_percent"] / 100 * dlfs["max_score"], \
            [(i["item"], i["score"]) for i in dlfs["items"]]
    for fragment in expected.get("unpaid_tests", []):
        paid = [t["extra_data"]["test_id"] for t in results["tests"]
                if fragment in t["extra_data"]["test_id"] and t["score"]]
        assert not paid, paid
    if "output_contains" in expected:
        assert expected["output_contains"] in results["output"]
    for path in expected.get("absent_files", []):
        assert not os.path.exists(path), f"student code created {path}"
    for marker in expected.get("no_process_matching", []):
        assert not _living_processes_matching(marker), f"a process with {marker} outlived grading"
    if "max_results_bytes" in expected:
        assert written.stat().st_size <= expected["max_results_bytes"]
    # Nothing the student printed can become a score: the score is the sum of the tests.
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
