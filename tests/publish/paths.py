from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "student_template"
ASSIGNMENTS = ROOT / "assignments"
