"""Through the command line: a class folder holding a corrupt zip is still graded."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _results(out: Path, student: str) -> dict:
    # Per-student folders may live at OUT/<id>/ or OUT/students/<id>/.
    for folder in (out / "students" / student, out / student):
        if (folder / "results.json").exists():
            return json.loads((folder / "results.json").read_text(encoding="utf-8"))
    raise AssertionError(f"no results.json for {student} under {out}")


def test_a_corrupt_zip_in_a_class_folder_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "kim_minsu_ch03.ipynb", folder / "kim.ipynb")
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 this upload was cut off")
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder),
                           "--out", str(tmp_path / "out"), "--jobs", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    kim = _results(tmp_path / "out", "kim")
    assert kim["dlfs"]["status"] == "graded"
    assert kim["score"] == kim["dlfs"]["max_score"] > 0
    broken = _results(tmp_path / "out", "broken")
    assert broken["dlfs"]["status"] == "error" and broken["score"] == 0
