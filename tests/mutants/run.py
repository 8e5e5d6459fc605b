"""`make mutants`: grade every chapter's classic bugs through the real pipeline.

Each mutant notebook is ingested, run in the sandbox and graded by the hidden suite,
exactly as a student's would be. A mutant is killed when it loses points (and each of
its `full_items` keeps full marks: a slip charged once); a variant the book accepts
(`expect = "full"`) and the unmutated reference must score full marks. Prints a table per
chapter and ends with `mutants killed: K/N` and `accepted variants at full marks: A/B`;
exits 1 when a mutant survives, an item is charged twice, or an accepted variant or the
reference loses a point.
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


def _items_below_full(result, names) -> list[str]:
    """Those of `names` whose tests did not all pass."""
    return sorted({o.item for o in result.outcomes if o.item in names and o.points < o.max_points})


def verdict(mutant, score: float, max_score: float, short: list[str]) -> tuple[str, bool]:
    """The table's verdict for one notebook, and whether it is as the catalogue expects."""
    full = score == max_score > 0
    if mutant is None:
        return ("full", True) if full else ("LOSES POINTS", False)
    if mutant.expect == "full":
        return ("accepted", True) if full else ("LOSES POINTS", False)
    if not score < max_score:
        return "SURVIVED", False
    if short:
        return f"CHARGED TWICE ({', '.join(short)})", False
    return "killed", True


def grade_chapter(assignment, jobs: int) -> list[tuple[object, float, float, list[str]]]:
    """(mutant or None for the reference, score, max score, its full_items below full
    marks) for the chapter's notebooks."""
    with tempfile.TemporaryDirectory(prefix="dlfs-mutants-") as tmp:
        folder, out = Path(tmp) / "notebooks", Path(tmp) / "out"
        folder.mkdir()
        written = write_notebooks(assignment, folder)
        subs = [Submission(stem, folder / f"{stem}.ipynb") for stem in written]
        batch = run_batch(subs, out, assignment=assignment, jobs=jobs, force=True)
        rows = []
        for result in batch.results:
            mutant = written[result.student_id]
            short = _items_below_full(result, mutant.full_items) if mutant else []
            rows.append((mutant, result.points, result.max_points or 0.0, short))
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants.run")
    parser.add_argument("chapters", nargs="*", help="assignment ids (default: every chapter)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    killed = total = accepted = variants = 0
    healthy = True
    for assignment in list_assignments():
        if args.chapters and assignment.id not in args.chapters or not mutants_of(assignment):
            continue
        rows = grade_chapter(assignment, args.jobs)
        print(f"\n{assignment.id}: {assignment.title['en']}")
        print(f"  {'mutant':<34} {'score':>11}  verdict   why")
        for mutant, score, max_score, short in rows:
            said, as_expected = verdict(mutant, score, max_score, short)
            if mutant is None:
                healthy &= as_expected
            elif mutant.expect == "full":
                variants += 1
                accepted += as_expected
            else:
                total += 1
                killed += as_expected
            name, why = (mutant.id, mutant.why) if mutant else ("reference", "")
            print(f"  {name:<34} {score:>5g}/{max_score:<5g}  {said:<8}  {why}")
    print(f"\nmutants killed: {killed}/{total}")
    print(f"accepted variants at full marks: {accepted}/{variants}")
    return 0 if healthy and killed == total and accepted == variants else 1


if __name__ == "__main__":
    sys.exit(main())
