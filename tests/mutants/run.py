"""`make mutants`: grade every chapter's classic bugs through the real pipeline.

Each mutant notebook is ingested, run in the sandbox and graded by the hidden suite,
exactly as a student's would be. A mutant is killed when it loses points; the
unmutated reference must score full marks. Prints a table per chapter and ends with
`mutants killed: K/N`; exits 1 when a mutant survives or the reference loses a point.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from autograder.assignment import list_assignments
from autograder.batch import run_batch
from autograder.submissions import Submission

from .catalogue import mutants_of, write_notebooks


def grade_chapter(assignment, jobs: int) -> list[tuple[str, float, float, str]]:
    """(mutant id or 'reference', score, max score, why) for the chapter's notebooks."""
    with tempfile.TemporaryDirectory(prefix="dlfs-mutants-") as tmp:
        folder, out = Path(tmp) / "notebooks", Path(tmp) / "out"
        folder.mkdir()
        written = write_notebooks(assignment, folder)
        subs = [Submission(stem, folder / f"{stem}.ipynb") for stem in written]
        batch = run_batch(subs, out, assignment=assignment, jobs=jobs, force=True)
        rows = []
        for result in batch.results:
            mutant = written[result.student_id]
            rows.append((mutant.id if mutant else "reference", result.points,
                         result.max_points or 0.0, mutant.why if mutant else ""))
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants.run")
    parser.add_argument("chapters", nargs="*", help="assignment ids (default: every chapter)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    killed = total = 0
    healthy = True
    for assignment in list_assignments():
        if args.chapters and assignment.id not in args.chapters or not mutants_of(assignment):
            continue
        rows = grade_chapter(assignment, args.jobs)
        print(f"\n{assignment.id}: {assignment.title['en']}")
        print(f"  {'mutant':<34} {'score':>11}  verdict   why")
        for name, score, max_score, why in rows:
            if name == "reference":
                verdict = "full" if score == max_score > 0 else "LOSES POINTS"
                healthy &= score == max_score > 0
            else:
                total += 1
                verdict = "killed" if score < max_score else "SURVIVED"
                killed += score < max_score
            print(f"  {name:<34} {score:>5g}/{max_score:<5g}  {verdict:<8}  {why}")
    print(f"\nmutants killed: {killed}/{total}")
    return 0 if healthy and killed == total else 1


if __name__ == "__main__":
    sys.exit(main())
