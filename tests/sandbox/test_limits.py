"""Does every way student code can misbehave end that call only, with the right error?"""

import time

import numpy as np
import pytest

from autograder.sandbox import SandboxCrashed, StudentRaised, TimeLimitExceeded

pytestmark = pytest.mark.sandbox

STUDENT = [("cell 1", """
import numpy as np, os, sys, time, ctypes
def ok(x):
    return x + 1
def spin():
    while True:
        pass
def sleeper():
    while True:
        time.sleep(0.05)
def stubborn():
    while True:
        try:
            time.sleep(0.05)
        except:
            pass
def huge():
    return np.ones(10**11)
def leave(code):
    sys.exit(code)
def hard_exit():
    os._exit(3)
def segfault():
    ctypes.string_at(0)
def flood():
    print("x" * 50_000_000)
    return "done"
def ask():
    return input("name? ")
""")]


@pytest.fixture
def sb(make_sandbox):
    box = make_sandbox(call_seconds=1.0)
    assert box.load(STUDENT).ok
    return box


@pytest.mark.parametrize("name", ["spin", "sleeper", "stubborn"])
def test_endless_call_times_out_and_the_next_call_works(sb, name):
    # That it returns at all is the deadline at work (no test here waits on a clock).
    with pytest.raises(TimeLimitExceeded, match="time limit"):
        getattr(sb.module, name)()
    assert sb.module.ok(1) == 2  # restarted, same blocks reloaded


def test_huge_allocation_is_a_clean_error(sb):
    with pytest.raises((StudentRaised, SandboxCrashed)) as info:
        sb.module.huge()
    if isinstance(info.value, StudentRaised):
        assert info.value.exc_type == "MemoryError"
    assert sb.module.ok(1) == 2


@pytest.mark.parametrize("name, args, words", [
    ("leave", (0,), "sys.exit(0)"), ("hard_exit", (), "code 3"), ("segfault", (), "SIGSEGV"),
])
def test_exits_and_crashes_fail_the_call_only(sb, name, args, words):
    with pytest.raises(SandboxCrashed, match=words.replace("(", r"\(").replace(")", r"\)")):
        getattr(sb.module, name)(*args)
    assert sb.module.ok(41) == 42


def test_output_flood_is_capped(sb):
    assert sb.module.flood() == "done"
    out = sb.output()
    assert len(out) < 64 * 1024 + 200 and "truncated" in out


def test_input_does_not_hang(sb):
    with pytest.raises(StudentRaised, match="EOFError") as info:
        sb.module.ask()
    assert info.value.exc_type == "EOFError"


def test_load_timeout_skips_the_block_and_keeps_the_rest(make_sandbox):
    box = make_sandbox(load_seconds=0.5)
    report = box.load([("cell 1", "a = 1"), ("cell 2", "while True: pass"), ("cell 3", "def f():\n    return a + 1")])
    assert report.timed_out and not report.ok
    assert [e[0] for e in report.block_errors] == ["cell 2"]
    assert box.module.f() == 2


def test_exhausted_submission_budget_fails_without_running_anything(make_sandbox):
    box = make_sandbox(call_seconds=1.0, submission_seconds=4.0)
    assert box.load(STUDENT).ok
    # Spin until the budget is gone, however long this machine takes to start a process.
    for _ in range(20):
        with pytest.raises(TimeLimitExceeded) as info:
            box.module.spin()
        if "budget" in str(info.value):
            break
    assert "budget" in str(info.value)
    generation = box._generation
    for _ in range(3):
        with pytest.raises(TimeLimitExceeded, match="budget"):
            box.module.ok(1)
    assert box._generation == generation  # refused before any process was started
