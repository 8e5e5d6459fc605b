"""The students' checker lives in student_template/ and is imported from there, as a
student's Python would; the public tests it runs import it by that name too."""

import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[2] / "student_template"
if str(TEMPLATE) not in sys.path:
    sys.path.insert(0, str(TEMPLATE))
