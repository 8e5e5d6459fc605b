"""Benchmark: the dashboard's similarity pass (autograder/report/similarity.py) on its own.

Two cases, each timed once:
  adversarial  two submissions whose three items each carry a 6,000-element literal list
               of digits (under the 20 KiB an item's kept code may have), nearly the
               same in both;
  class        a synthetic class of N submissions of eight items: most written
               independently, a fifth of the items the "book's" code typed in, a fifth
               of the submissions copies of another with names, comments and order
               changed (half of them with a number changed in three items),
               and a few with 20,000-element literal lists.

Run: make bench   (or: .venv/bin/python bench/similarity.py [N] [--only adversarial|class])
"""

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from autograder.grading.outcome import TestOutcome, TestStatus  # noqa: E402
from autograder.grading.score import score_outcomes  # noqa: E402
from autograder.report import similarity  # noqa: E402
from autograder.ingest.sources import ItemSource  # noqa: E402
from autograder.result import GradingResult, Provenance, RunStatus  # noqa: E402

ITEMS = ["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "softmax", "cross_entropy_error",
         "numerical_gradient", "TwoLayerNet"]
NAMES = ["x", "y", "t", "out", "dout", "dx", "W", "b", "grad", "tmp", "h", "idx", "batch", "z",
         "a", "c", "mask", "val", "loss", "res"]
FUNCS = ["sum", "max", "exp", "log", "dot", "maximum", "argmax", "mean", "sqrt", "zeros_like"]
OPS = ["+", "-", "*", "/"]


def _statement(rng: random.Random, bound: list[str], names: list[str], indent: str) -> list[str]:
    """One line or two of numpy code that reads only names bound before it, and binds one."""
    a = rng.choice(names)
    b, c = rng.choice(bound), rng.choice(bound)
    bound.append(a)
    kind = rng.randrange(7)
    if kind == 0:
        return [f"{indent}{a} = np.{rng.choice(FUNCS)}({b}, axis={rng.choice([0, 1, -1])})"]
    if kind == 1:
        return [f"{indent}{a} = {b} {rng.choice(OPS)} {c} {rng.choice(OPS)} {rng.randint(1, 9)}"]
    if kind == 2:
        return [f"{indent}{a} = {b}",
                f"{indent}if {c}.ndim == {rng.randint(1, 3)}:",
                f"{indent}    {a} = {b}.reshape(1, {b}.size)"]
    if kind == 3:
        return [f"{indent}{a} = np.zeros_like({b})",
                f"{indent}for i in range({b}.shape[{rng.randint(0, 1)}]):",
                f"{indent}    {a}[i] = np.{rng.choice(FUNCS)}({c}[i]) {rng.choice(OPS)} {b}[i]"]
    if kind == 4:
        return [f"{indent}{a} = {b}.copy()", f"{indent}{a}[{c} <= {rng.randint(0, 2)}] = 0"]
    if kind == 5:
        return [f"{indent}{a} = np.{rng.choice(FUNCS)}({b} {rng.choice(OPS)} {c}) / {b}.shape[0]"]
    return [f"{indent}{a} = 1 / (1 + np.exp(-{b}))"]


def own_code(rng: random.Random, item: str) -> str:
    """An item as one student might write it: a class of three methods or a function."""
    names = rng.sample(NAMES, 8)
    if item[0].isupper():
        lines = [f"class {item}:", "    def __init__(self):"]
        lines += [f"        self.{n} = None" for n in names[:rng.randint(1, 3)]]
        for method in ("forward", "backward"):
            bound = [names[0]]
            lines.append(f"    def {method}(self, {names[0]}):")
            for _ in range(rng.randint(3, 6)):
                lines += _statement(rng, bound, names, "        ")
            lines.append(f"        self.{names[1]} = {bound[-2]}")
            lines.append(f"        return {bound[-1]}")
        return "\n".join(lines) + "\n"
    bound = names[:2]
    lines = [f"def {item}({names[0]}, {names[1]}):"]
    for _ in range(rng.randint(4, 9)):
        lines += _statement(rng, bound, names, "    ")
    lines.append(f"    return {bound[-1]}")
    return "\n".join(lines) + "\n"


def disguised(code: str, rng: random.Random) -> str:
    """A copy with other names, a comment, blank lines and the methods in another order."""
    # Local names and arguments only: an attribute (self.mask) keeps its name, as the
    # method's callers need it to.
    renamed = re.sub(r"(?<![.\w])(" + "|".join(NAMES) + r")\b", r"\1_v", code)
    lines = renamed.splitlines()
    if lines[0].startswith("class"):
        methods, current = [], []
        for line in lines[1:]:
            if line.startswith("    def ") and current:
                methods.append(current)
                current = []
            current.append(line)
        methods.append(current)
        rng.shuffle(methods)
        lines = [lines[0]] + [line for m in methods for line in m]
    return "# my own work\n" + "\n\n".join(lines) + "\n"


def literal_code(rng: random.Random, item: str, size: int, seed_values: int, digits: bool = False) -> str:
    """An item that pastes in its data: a `size`-element literal list of floats (or digits)."""
    values = random.Random(seed_values)
    data = ", ".join(str(values.randrange(10)) if digits else f"{values.random():.3f}"
                     for _ in range(size))
    return (f"def {item}(x, t):\n    W = np.array([{data}])\n"
            f"    y = np.dot(x, W[:x.shape[1]]) + {rng.randint(0, 3)}\n"
            "    y = y - np.max(y)\n    return -np.sum(t * np.log(np.exp(y) / np.sum(np.exp(y))))\n")


def _result(student: str, sources: dict[str, str]) -> GradingResult:
    outcomes = [TestOutcome(f"t_{i}", i, i, 1, TestStatus.PASSED) for i in sources]
    return GradingResult(Provenance(student, f"{student}.ipynb", f"{student:0>8}", "0.1.0", "ch05", "1"),
                         RunStatus.GRADED, score=score_outcomes(outcomes, list(sources)), outcomes=outcomes,
                         item_sources={i: ItemSource(1, 1, code) for i, code in sources.items()})


def synthetic_class(count: int, seed: int = 7) -> list[GradingResult]:
    rng = random.Random(seed)
    book = {item: own_code(rng, item) for item in ITEMS}
    submissions: list[dict[str, str]] = []
    for n in range(count):
        if submissions and n % 10 in (3, 7):                # a copy of someone else's ...
            copied = {i: disguised(c, rng) for i, c in rng.choice(submissions).items()}
            if n % 10 == 7:                                  # ... with one number changed here and there
                for item in rng.sample(ITEMS, 3):
                    copied[item] = re.sub(r"(?<= )(\d)\b", lambda m: str((int(m[1]) + 1) % 10),
                                          copied[item], count=1)
            submissions.append(copied)
        elif n % 40 == 5:                                    # pastes its data in
            items = {i: own_code(rng, i) for i in ITEMS}
            for item in ("softmax", "cross_entropy_error", "numerical_gradient"):
                items[item] = literal_code(rng, item, 20_000, seed_values=n // 80)
            submissions.append(items)
        else:
            submissions.append({i: book[i] if rng.random() < 0.2 else own_code(rng, i) for i in ITEMS})
    return [_result(f"s{n:04d}", items) for n, items in enumerate(submissions)]


def adversarial_pair() -> list[GradingResult]:
    rng = random.Random(3)
    pair = []
    for student in ("kim", "lee"):
        items = {item: literal_code(rng, item, 6_000, seed_values=i, digits=True)
                 for i, item in enumerate(("softmax", "cross_entropy_error", "numerical_gradient"))}
        pair.append(_result(student, items))
    return pair


def _timed(label: str, results: list[GradingResult]) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    report = similarity.find_similar(results)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    pairs = report.pairs
    detail = (f"; {report.candidates} near candidates, {report.compared} compared in full, "
              f"{len(report.skipped)} items skipped")
    print(f"similarity {label}: {len(results)} submissions, {len(pairs)} pairs flagged in "
          f"{elapsed:.2f} s ({cpu:.2f} s CPU){detail}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    args = [a for a in args if a != only]
    count = int(args[0]) if args else 200
    if only in (None, "adversarial"):
        _timed("adversarial (3 items of 6,000-digit literal lists, twice)", adversarial_pair())
    if only in (None, "class"):
        _timed(f"class of {count}", synthetic_class(count))


if __name__ == "__main__":
    main()
