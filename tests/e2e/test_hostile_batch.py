"""Does one batch holding every hostile and broken submission finish, with a result each?

The scenario tests grade each submission alone; this one grades them together through
the CLI, in parallel, the way an instructor would meet them in a real class folder.
"""

from __future__ import annotations

import pytest
import json
import subprocess
import sys
from pathlib import Path

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "e2e" / "scenarios"


def test_a_class_of_hostile_submissions_is_graded_to_the_end(tmp_path):
    # The ch04 assignment with short time limits, so the endless loops cost seconds.
    config = tmp_path / "ch04_fast" / "assignment.toml"
    config.parent.mkdir()
    chapter = ROOT / "reference" / "ch04_training"
    original = (chapter / "assignment.toml").read_text(encoding="utf-8")
    assert 'suite = "hidden"' in original and "call_seconds = 20" in original
    config.write_text(
        original.replace('suite = "hidden"', f'suite = "{chapter / "hidden"}"')
                .replace("call_seconds = 20", "call_seconds = 2"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(SCENARIOS),
                           "--assignment", str(config), "--out", str(tmp_path / "out"), "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    scenarios = sorted(p.name for p in SCENARIOS.iterdir() if (p / "expected.json").exists())
    for name in scenarios:
        results = json.loads((tmp_path / "out" / "students" / name / "results.json").read_text(encoding="utf-8"))
        expected = json.loads((SCENARIOS / name / "expected.json").read_text(encoding="utf-8"))
        assert results["dlfs"]["status"] == expected["status"], (name, results["dlfs"].get("error"))
        assert name in proc.stdout
