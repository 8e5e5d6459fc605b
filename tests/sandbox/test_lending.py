"""What a function lent to the student's module may cost the grader, and what outlives it.

A lent function runs in the grader's process on arguments student code picks, so its
calls are bounded (sandbox/bounded.py); and once student code has called it, the
process is restarted, so nothing it computed with the reference's help survives.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import bounded
from autograder.sandbox.errors import UnsafeValue
from autograder.sandbox.substitute import substituted
from reference.ch07_cnn import im2col

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]

HOARDER = [("cell 1", "import numpy as np\n\nSTASH = []\n\n"
                      "def softmax(x):\n    return x\n\n"
                      "def hoard(x):\n    STASH.append(softmax(x))\n    return len(STASH)\n\n"
                      "def grab():\n    global GRABBED\n    GRABBED = softmax\n\n"
                      "def use_grabbed(x):\n    return GRABBED(x)\n\n"
                      "def conv(x, pad):\n    return im2col(x, 3, 3, 1, pad)\n\n"
                      "def im2col(x, fh, fw, stride, pad):\n    return x\n")]


def right_softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def test_what_student_code_kept_from_a_lent_call_is_gone_after_the_loan(make_sandbox):
    box = make_sandbox()
    assert box.load(HOARDER).ok
    x = np.array([1.0, 2.0, 3.0])
    generation = box._generation
    with substituted(box, {"softmax": right_softmax}) as lent:
        assert box.module.hoard(x) == 1
        assert box.module.hoard(x * 2) == 2
        assert lent["softmax"].calls == 2
    assert box.module.STASH == []                 # a new process: the stash went with the old one
    assert box._generation == generation + 1
    assert box.module.hoard(x) == 1               # the student's own softmax is back
    np.testing.assert_array_equal(box.module.STASH[0], x)


def test_what_student_code_printed_from_a_lent_call_is_not_kept(make_sandbox):
    """Is what student code printed while the reference was lent (it may be the reference's
    answers) dropped from the captured output, while what it printed before stays?"""
    leaker = [("cell 1", "import numpy as np\nprint('loaded')\n\n"
                         "def softmax(x):\n    return x\n\n"
                         "def leak(x):\n    print('LEAK', [float(v) for v in softmax(x)])\n")]
    box = make_sandbox()
    assert box.load(leaker).ok
    box.module.leak(np.array([0.0, 0.0]))            # the student's own: printed and kept
    with substituted(box, {"softmax": right_softmax}):
        box.module.leak(np.array([1.0, 2.0, 3.0]))
    output = box.output()
    assert "LEAK [0.0, 0.0]" in output and "0.09003" not in output
    assert output.count("loaded") == 1            # the replay's repeat of the load is dropped too


def test_a_loan_never_called_restarts_nothing_and_is_dead_afterwards(make_sandbox):
    box = make_sandbox()
    assert box.load(HOARDER).ok
    generation = box._generation
    with substituted(box, {"softmax": right_softmax}) as lent:
        box.module.grab()                         # kept, not called
    assert lent["softmax"].calls == 0
    assert box._generation == generation
    with pytest.raises(LookupError):
        box.module.use_grabbed(np.ones(3))


def test_a_huge_integer_argument_is_refused_before_the_reference_runs(make_sandbox):
    box = make_sandbox()
    assert box.load(HOARDER).ok
    ran = []

    def spy(*args):
        ran.append(args)
        return im2col(*args)

    x = np.ones((1, 1, 2, 2))
    with substituted(box, {"im2col": spy}) as lent:
        assert box.module.conv(x, 1).shape == (4, 9)    # a sensible pad crosses
        with pytest.raises(UnsafeValue, match="within"):
            box.module.conv(x, 5000)
    assert lent["im2col"].exceeded and lent["im2col"].refused
    assert len(ran) == 1


@pytest.mark.parametrize("args", [(np.ones(3), -2000), (np.array([3, 1 << 40]),), (np.int64(4096),)])
def test_integers_beyond_the_bound_are_refused(args):
    with pytest.raises(bounded.OverBounds):
        bounded.check_args(args, 1 << 20)


def test_the_arguments_together_and_the_result_are_bounded():
    with pytest.raises(bounded.OverBounds, match="together"):
        bounded.call(np.add, (np.ones(600), np.ones(600)), 1000)
    with pytest.raises(bounded.OverBounds, match="return"):
        bounded.call(np.tile, (np.ones(10), 200), 1000)
    assert bounded.call(np.add, (np.ones(3), 2), 1000).tolist() == [3.0, 3.0, 3.0]


def test_a_lent_call_that_runs_too_long_is_stopped():
    finished = []

    def spin():
        for _ in range(10 ** 9):   # tens of seconds of Python: the timer stops it first
            pass
        finished.append(True)

    with pytest.raises(bounded.OverBounds, match="longer"):
        bounded.call(spin, (), 10, seconds=0.2)
    assert not finished


# Run in a process of its own, so its peak resident size is its own: the call would
# build an (1997*1997, 25) column matrix, 800 MB, and copy it, without the bound.
MEASURE = textwrap.dedent("""
    import json, resource, sys
    import numpy as np
    from autograder.sandbox import bounded
    from reference.ch07_cnn import im2col

    # A safety net in case the bound under test fails: never more than 4 GiB more.
    with open("/proc/self/statm") as f:
        size = int(f.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (size + (4 << 30), resource.RLIM_INFINITY))
    x = np.ones((1, 1, 1, 1))
    small = bounded.call(im2col, (np.ones((2, 3, 7, 7)), 5, 5, 1, 0), 1 << 20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        bounded.call(im2col, (x, 5, 5, 1, 1000), 1 << 20)
        refused = ""
    except bounded.OverBounds as exc:
        refused = str(exc)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"refused": refused, "grew_kib": after - before, "small": list(small.shape),
                      "limit_back": resource.getrlimit(resource.RLIMIT_AS)[0] == size + (4 << 30)}))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
def test_a_lent_call_cannot_make_the_grader_allocate_gigabytes():
    done = subprocess.run([sys.executable, "-c", MEASURE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "MiB" in out["refused"]
    assert out["grew_kib"] < 200 * 1024          # the padded input (32 MB) at most, not 800 MB twice
    assert out["small"] == [18, 75]              # a call of a test's size still runs
    assert out["limit_back"]                     # the grader's own limit is put back
