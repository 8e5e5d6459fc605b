"""Does the similarity pass take any code a student can submit, and a class of any size,
without raising and without comparing every pair? Copies are still flagged, near copies too."""

import difflib
import itertools
import random
import re

import pytest

from autograder.report import similarity
from autograder.report import code_form
from autograder.report.code_form import Unusable, canonical_form, normalise
from autograder.report.similarity import find_similar, similar_pairs
from tests.report.test_similarity import CEE, CEE_RENAMED, LAYER, LAYER_REORDERED, SOFTMAX, _result

TOKENS = re.compile(r"\w+|[^\w\s]")


def _literal_item(values, name="init_network", extra=""):
    data = ", ".join(map(str, values))
    return (f"def {name}(x):\n    W = np.array([{data}])\n    b = np.zeros(3){extra}\n"
            "    y = np.dot(x, W[:x.shape[1]]) + b\n    return y - np.max(y)\n")


def test_a_long_literal_list_is_one_summary_that_still_tells_data_apart():
    rng = random.Random(1)
    values = [round(rng.random(), 3) for _ in range(20_000)]
    form = normalise(_literal_item(values))
    assert form is not None and len(TOKENS.findall(form)) < 80
    assert "<list 20000 " in form
    renamed = _literal_item(values).replace("W", "weights").replace("(x", "(inp").replace("x.", "inp.")
    assert normalise(renamed) == form
    assert normalise(_literal_item(values[:-1] + [0.5])) != form
    # Short literals stay as written: they are code, not data.
    assert "0.3" in normalise(_literal_item([0.1, 0.3, 0.5]))


def test_two_notebooks_pasting_the_same_weights_are_flagged_with_little_work():
    values = [i % 10 for i in range(6_000)]
    items = ("softmax", "cross_entropy_error", "numerical_gradient")
    kim = _result("kim", {i: _literal_item(values, i) for i in items})
    lee = _result("lee", {i: _literal_item(values, i, extra="\n    b = b + 1") for i in items})
    report = find_similar([kim, lee])
    assert [(p["a"], p["b"]) for p in report.pairs] == [("kim", "lee")]
    assert report.compared <= 3


def test_huge_integers_strings_and_bytes_normalise():
    big = "0x" + "f" * 5000       # legal, and past Python's 4300-digit limit for str(int)
    code = (f"def f(x):\n    n = {big}\n    s = '{'a' * 5000}'\n    b = b'{'z' * 5000}'\n"
            f"    t = f'{{x!r:>{{n}}}}{'q' * 3000}'\n    return n + len(s) + len(b) + len(t) + x\n")
    form = canonical_form(code)
    assert form is not None and "<int " in form and "<str 5000 " in form and "<bytes 5000 " in form
    assert canonical_form(re.sub(r"\bx\b", "inp", code)) == form
    assert canonical_form(code.replace("'a'", "'b'").replace("a" * 5000, "b" * 5000)) != form


ODD_SHAPES = {
    "fstrings": '''
def report(x, width=8):
    label = f"{x!r:>{width}}" + f'{"a" if x else "b"}' + f"""{f'{x}'}"""
    return f"{x=}" + f"{x:{width}.{2}f}" + f"{{literal}} {x['k'] if isinstance(x, dict) else x}"
''',
    "walrus_and_lambda": '''
def pick(xs):
    if (n := len(xs)) > 2:
        key = lambda v, *a, k=1, **kw: (v, n, k)
        return sorted(xs, key=key)[: (m := n // 2)] + [m]
    return [y for x in xs if (y := x * 2) > 0]
''',
    "match": '''
def kind(shape):
    match shape:
        case [a, *rest] if (n := len(rest)) > 2:
            return n + a
        case {"k": v, **kw}:
            return v
        case Point(x=0, y=yy) | Other() as o:
            return yy
        case _:
            return None
''',
    "decorators_and_class_body": '''
@dataclass(frozen=True)
class Layer(Base, metaclass=Meta):
    import math
    SIZES = [n ** 2 for n in range(4)]
    if SIZES:
        extra = 1
    for _i in range(2):
        pass
    del _i
    lr: float = 0.01
    @staticmethod
    @functools.lru_cache(maxsize=None)
    def forward(x, *, scale=2.0):
        global COUNT
        COUNT += 1
        return x * scale
    async def later(self):
        async with self.lock as held, other() as o:
            async for item in self.stream():
                await item
        return [i async for i in self.stream()]
    class Inner:
        def __init_subclass__(cls, **kw):
            super().__init_subclass__(**kw)
''',
    "generators_and_try": '''
def walk(tree, depth=0):
    def inner():
        nonlocal depth
        depth += 1
        yield from (x for x in tree if x)
    try:
        assert tree, "empty"
        with open("f") as fh, open("g") as gh:
            a, *b, c = fh.read(), gh.read(), 1, 2
    except* (ValueError, TypeError) as group:
        raise RuntimeError() from group
    else:
        return {k: v for k, v in zip(b, b)} | {*b} and ...
    finally:
        del a
    return x[1:2, ::3, ...] if 0 < depth <= 3 != 4 else 1j + 0x1f + 0b1 + 1_000.5e-3
''',
    "unicode": '''
def 소프트맥스(입력, δ=1e-7):
    최대 = np.max(입력)
    return np.exp(입력 - 최대) / (np.sum(np.exp(입력 - 최대)) + δ) + len("\\ud800\\x00한글")
''',
}


@pytest.mark.parametrize("name", sorted(ODD_SHAPES))
def test_odd_but_legal_code_normalises_and_renaming_does_not_change_it(name):
    code = ODD_SHAPES[name]
    form = canonical_form(code)
    assert form is not None
    # Every name it binds, given another spelling, normalises to the same form.
    bound = [n for n in code_form._bound_names(__import__("ast").parse(code))
             if n.isidentifier() and len(n) > 1 and n not in ("Layer", "Inner", "forward", "later",
                                                               "SIZES", "extra", "lr", "math")]
    renamed = code
    for n in bound:
        renamed = re.sub(rf"(?<![.\w\"']){re.escape(n)}\b(?!\s*=[^=]\s*\w+\))", f"{n}_z", renamed)
    assert canonical_form(renamed) == form


@pytest.mark.parametrize("code,reason", [
    ("def f(x):\n    return " + "-" * 700 + "x\n", "depth"),
    ("def f(x):\n    return x" + ".a" * 400 + "\n", "depth"),
    ("def f(x):\n    return " + "lambda: " * 200 + "0\n", "depth"),
    ("def f(x):\n    return x" + "[0]" * 5000 + "\n", "depth"),
    ("def f(x):\n    return " + "(" * 300 + "x" + ")" * 300 + "\n", "syntax"),
    ("def f(x):\n    return x\x00\n", "syntax"),
    ("def f(x):\n    return " + "1" * 5000 + "\n", "syntax"),   # the parser's own digit limit
    ("def f(x):\n    y = x * 2\n    return y… (40000 more characters)", "syntax"),
    ("def f(x):\n    return x\n" + "# pad\n" * 60_000, "size"),
])
def test_code_that_cannot_be_normalised_is_refused_with_a_reason(code, reason):
    with pytest.raises(Unusable) as refused:
        canonical_form(code)
    assert refused.value.reason == reason
    assert normalise(code) is None


def test_an_item_that_cannot_be_normalised_is_skipped_and_reported_not_the_class():
    deep = "def softmax(a):\n    return " + "-" * 700 + "a\n"
    big = CEE.replace("1e-7", "0x" + "f" * 5000)
    results = [_result("kim", {"softmax": SOFTMAX, "cross_entropy_error": CEE, "Relu": LAYER}),
               _result("lee", {"softmax": deep, "cross_entropy_error": CEE_RENAMED, "Relu": LAYER_REORDERED}),
               _result("park", {"softmax": deep, "cross_entropy_error": big, "Relu": LAYER})]
    report = find_similar(results)
    assert [(s.student_id, s.item, s.reason) for s in report.skipped] == [
        ("lee", "softmax", "depth"), ("park", "softmax", "depth")]
    assert [(p["a"], p["b"], p["score"]) for p in report.pairs] == [("kim", "lee", "100% (2/2)")]


# --- random odd code ----------------------------------------------------------------------

_ATOMS = ["x", "y", "self.w", "np.pi", "0", "-1", "1e308", "3j", "None", "...", "'s'", "b'b'",
          "f'{x!r}'", "f'{x:>{y}}'", "[]", "{}", "(x,)", "'\\ud800'", "10 ** 100"]


def _expr(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(_ATOMS)
    a, b = _expr(rng, depth - 1), _expr(rng, depth - 1)
    return rng.choice([f"({a} + {b})", f"{a}[{b}]", f"f({a}, *{b}, k={a}, **{b})", f"(lambda q, *r: {a})",
                       f"[{a} for x in {b} if x]", f"{{{a}: {b}}}", f"({a} if {b} else {a})",
                       f"(z := {a})", f"not {a}", f"-{a}", f"{a}.attr", f"f'{{{a}}}'",
                       f"[{', '.join([a] * rng.randint(30, 200))}]", f"{a} < {b} <= {a}",
                       f"{b}[1:{a}:2]", f"(yield {a})", f"await {a}"])


def _statement(rng: random.Random, depth: int, indent: str) -> list[str]:
    e = _expr(rng, rng.randint(0, 4))
    if depth <= 0 or rng.random() < 0.4:
        return [indent + rng.choice([f"x = {e}", f"y += {e}", f"return {e}", f"assert {e}", f"del x",
                                     f"global g", f"print({e})", "pass", f"a, *b = {e}, {e}",
                                     f"w: int = {e}", "import numpy as np", "raise ValueError"])]
    head = rng.choice([f"if {e}:", f"for x in {e}:", f"while {e}:", f"with {e} as h:", "try:",
                       f"def g{depth}(x, /, y=1, *a, k, **kw):", f"class C{depth}(B):", f"match {e}:",
                       f"@deco({e})\ndef h{depth}(q):", f"async def a{depth}():"])
    inner = indent + "    "
    if head.startswith("match"):
        return [indent + head, inner + "case [p, *_] if p:", inner + "    pass", inner + "case _:",
                *_statement(rng, depth - 1, inner + "    ")]
    lines = [indent + line for line in head.split("\n")]
    for _ in range(rng.randint(1, 3)):
        lines += _statement(rng, depth - 1, inner)
    if head == "try:":
        lines += [indent + "except* Exception as e:", inner + "pass", indent + "finally:", inner + "pass"]
    return lines


def _random_item(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:     # something extreme: deep, wide, huge or broken
        return rng.choice(["x = " + "-" * rng.randint(50, 2000) + "1",
                           "x = " + "[" * rng.randint(50, 250) + "]" * rng.randint(50, 250),
                           "x = y" + ".a" * rng.randint(50, 2000),
                           "x = " + "1" * rng.randint(4000, 9000),
                           "x = '" + "s" * rng.randint(1000, 100_000) + "'",
                           "x = " + " + ".join(["y"] * rng.randint(100, 3000)),
                           "def f(:\n"])
    code = "\n".join(_statement(rng, rng.randint(1, 4), ""))
    if roll > 0.9:      # a slip of the keyboard
        cut = rng.randrange(len(code) + 1)
        code = code[:cut] + rng.choice(["", "(", ")", ":", "\n  ", "'", "\x00", "\\"]) + code[cut + 1:]
    return code


def test_random_odd_code_never_makes_the_pass_raise():
    rng = random.Random(20240613)
    outcomes = set()
    for _ in range(400):
        code = _random_item(rng)
        try:
            outcomes.add("form" if canonical_form(code) is not None else "small")
        except Unusable as why:
            outcomes.add(why.reason)
    assert {"form", "small", "syntax", "depth"} <= outcomes
    # And a class of such code: every pair meets, some are copies, nothing raises.
    rng = random.Random(7)
    items = ["a", "b", "c"]
    base = [{i: _random_item(rng) for i in items} for _ in range(40)]
    results = [_result(f"s{n:02d}", sources) for n, sources in enumerate(base + base[:5])]
    report = find_similar(results)
    assert {s.reason for s in report.skipped} <= {"syntax", "depth", "size", "error"}
    flagged = {(p["a"], p["b"]) for p in report.pairs}
    for n in range(5):   # a copy with two or more comparable items is flagged
        comparable = [i for i in items if normalise(base[n][i]) is not None]
        if len(comparable) >= 2:
            assert (f"s{n:02d}", f"s{n + 40:02d}") in flagged


# --- the cost of a class ------------------------------------------------------------------

def _function(rng: random.Random, name: str, lines: int) -> str:
    body, bound = [], ["x", "t"]
    for k in range(lines):
        a, b = rng.choice(bound), rng.choice(bound)
        body.append(rng.choice([f"v{k} = np.{rng.choice(['sum', 'max', 'exp', 'log'])}({a}, axis={rng.randint(0, 1)})",
                                f"v{k} = {a} {rng.choice('+-*/')} {b} {rng.choice('+-*/')} {rng.randint(1, 9)}",
                                f"v{k} = {a}.reshape(1, {b}.size)",
                                f"v{k} = np.zeros_like({a})\n    for i in range({b}.shape[0]):\n"
                                f"        v{k}[i] = {a}[i] * {rng.randint(2, 5)}"]))
        bound.append(f"v{k}")
    return f"def {name}(x, t):\n    " + "\n    ".join(body) + f"\n    return {bound[-1]}\n"


def test_a_class_of_distinct_submissions_is_not_compared_pair_by_pair():
    rng = random.Random(11)
    items = ["softmax", "cross_entropy_error", "numerical_gradient", "sigmoid"]
    sources = [{i: _function(rng, i, rng.randint(5, 10)) for i in items} for _ in range(120)]
    # Three near copies: names changed, one number changed in one item.
    for original in (3, 50, 99):
        copy = {i: c.replace("v", "w") for i, c in sources[original].items()}
        copy["sigmoid"] = re.sub(r"axis=(\d)", lambda m: f"axis={1 - int(m[1])}", copy["sigmoid"], count=1)
        sources.append(copy)
    results = [_result(f"s{n:03d}", s) for n, s in enumerate(sources)]
    report = find_similar(results)
    assert [(p["a"], p["b"]) for p in report.pairs] == [("s003", "s120"), ("s050", "s121"), ("s099", "s122")]
    pairs_of_items = len(items) * len(results) * (len(results) - 1) // 2
    assert report.compared < 20 and report.candidates < pairs_of_items / 100


def test_every_near_pair_difflib_would_find_is_found():
    """The hashing proposes every pair of forms that difflib counts as the same (ratio at
    least NEAR): edits of one to three tokens, spread out, on small and large items."""
    rng = random.Random(5)
    originals = [_function(rng, "f", rng.randint(3, 30)) for _ in range(30)]
    edited = []
    for code in originals:
        for _ in range(rng.randint(1, 3)):
            spots = [m.start() for m in re.finditer(r"\b\d\b", code)]
            spot = rng.choice(spots)
            code = code[:spot] + str((int(code[spot]) + 1) % 10) + code[spot + 1:]
        edited.append(code)
    forms = {f"s{n:02d}": normalise(c) for n, c in enumerate(originals + edited)}
    truth = set()
    for (a, fa), (b, fb) in itertools.combinations(sorted(forms.items()), 2):
        matcher = difflib.SequenceMatcher(None, TOKENS.findall(fa), TOKENS.findall(fb), autojunk=False)
        # quick_ratio() bounds ratio() from above: only a shortcut to the same truth.
        if fa != fb and matcher.quick_ratio() >= similarity.NEAR and matcher.ratio() >= similarity.NEAR:
            truth.add((a, b))
    assert len(truth) >= 20
    found = set(similarity._item_matches(forms, len(forms), similarity.SimilarityReport()))
    assert truth <= found


def test_near_copies_are_flagged_but_near_copies_of_the_class_wide_form_are_not():
    book = {"cross_entropy_error": CEE, "Relu": LAYER}
    tweaked = {"cross_entropy_error": CEE.replace("1e-7", "1e-8"), "Relu": LAYER.replace("= 0\n", "= 0.0\n")}
    # A near copy between two students is the same code.
    assert similar_pairs([_result("kim", book), _result("lee", tweaked)])[0]["score"] == "100% (2/2)"
    # But when most of the class typed the book's code, a tweak of it is still the book's.
    results = [_result(f"s{i}", book) for i in range(5)] + [_result("lee", tweaked)]
    assert similar_pairs(results) == []


def test_the_pass_is_deterministic():
    rng = random.Random(2)
    sources = [{i: _function(rng, i, 6) for i in ("a", "b")} for _ in range(30)]
    sources += [dict(sources[0]), dict(sources[1])]
    results = [_result(f"s{n:02d}", s) for n, s in enumerate(sources)]
    assert similar_pairs(results) == similar_pairs(list(reversed(results)))


def test_the_dashboard_names_the_items_left_out():
    deep = "def softmax(a):\n    return " + "-" * 700 + "a\n"
    results = [_result("kim", {"softmax": deep, "cross_entropy_error": CEE, "Relu": LAYER}),
               _result("lee", {"softmax": SOFTMAX, "cross_entropy_error": CEE_RENAMED, "Relu": LAYER_REORDERED})]
    report = find_similar(results)
    from autograder.report.render import render_dashboard
    html = render_dashboard(results, "students", "en", report.pairs, similar_skipped=report.skipped)
    assert "Left out of the similarity comparison" in html and "(1): kim (softmax)" in html
    assert "100% (2/2)" in html
    assert "유사도 비교에서 빠진 문항(1): kim (softmax)" in render_dashboard(results, "students", "ko", [], similar_skipped=report.skipped)
    assert "similar-skipped" not in render_dashboard(results, "students", "en", report.pairs, [])
