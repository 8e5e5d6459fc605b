"""Does a hostile value stop at the wall: refused or clipped, at a bounded cost to the grader?

Student code here returns what the codec may refuse, and also writes forged frames of its
own onto the response pipe (fd 1001 in the sandbox), bypassing the shim's checks. Each
test asserts the outcome and the sizes that reach the grader, never a duration.
"""

import dataclasses
import tracemalloc

import numpy as np
import pytest

from autograder.pipeline import MAX_IMPORT_ERRORS, MAX_IMPORT_FIELD, _import_errors
from autograder.sandbox import Handle, Limits, Sandbox, SandboxCrashed, StudentRaised, UnsafeValue
from autograder.sandbox.inbound import MESSAGE_CHARS, QUALNAME_CHARS, TRACEBACK_CHARS, TYPE_NAME_CHARS
from autograder.sandbox.load_report import MAX_BLOCK_ERRORS, block_lineno

pytestmark = pytest.mark.sandbox

STUDENT = [("cell 1", r'''
import os, struct, sys
import numpy as np

def ok(x):
    return x + 1

def forge(doc):
    """Write a response frame of our own, for the request being served (as a determined
    forger finds its number in the shim's memory), then return as usual."""
    import gc
    shim = next(o for o in gc.get_objects() if type(o).__name__ == "Shim")
    body = doc.replace("@SEQ@", str(shim.serving[-1])).encode()
    message = struct.pack(">I", len(body)) + body + struct.pack(">I", 0)
    data = memoryview(struct.pack(">I", len(message)) + message)
    while data:
        data = data[os.write(1001, data):]
    return "the real answer, never read"

def long_named_exception():
    raise type("E" * 1_000_000, (Exception,), {})("m" * 1_000_000)

def many_entries():
    return {i: i for i in range(400_000)}

def many_lists():
    return [[]] * 10_000_000  # ten million empty lists on the wire, built without the wait

def deep():
    value = []
    for _ in range(1000):
        value = [value]
    return value

class Obj:
    pass

def long_keys(size, count):
    return {"k" * size + str(i): Obj() for i in range(count)}

def leave_with(code):
    sys.exit(code)

def call(f, *args, **kwargs):
    return f(*args, **kwargs)

def widened(f):
    return f(np.ones(1000).astype(np.longdouble).astype(np.clongdouble))
''')]

RAISED = ('{"$dict":[["status","raised"],["seq",@SEQ@],["error",{"$error":{"exc_type":"%s","message":"%s",'
          '"traceback":"%s","frames":[["%s",1,"%s"]]}}]]}')


@pytest.fixture(scope="module")
def sb():
    with Sandbox(Limits(call_seconds=20, load_seconds=20)) as box:
        assert box.load(STUDENT).ok
        yield box


def test_a_huge_exception_name_and_message_are_clipped_by_the_shim(sb):
    with pytest.raises(StudentRaised) as info:
        sb.module.long_named_exception()
    assert info.value.exc_type == "E" * TYPE_NAME_CHARS
    assert len(info.value.message) <= MESSAGE_CHARS + 50 and len(str(info.value)) < 3 * MESSAGE_CHARS


def test_a_forged_exception_record_is_clipped_by_the_grader(sb):
    with pytest.raises(StudentRaised) as info:
        sb.module.forge(RAISED % ("E" * 1_000_000, "m" * 1_000_000, "t" * 1_000_000, "c" * 100_000,
                                  "q" * 100_000))
    err = info.value
    assert err.exc_type.startswith("E" * 50) and len(err.exc_type) <= TYPE_NAME_CHARS + 50
    assert len(err.message) <= MESSAGE_CHARS + 50 and len(err.traceback) <= TRACEBACK_CHARS + 50
    [(label, line, name)] = err.frames
    assert line == 1 and len(label) <= TYPE_NAME_CHARS + 50 and len(name) <= QUALNAME_CHARS + 50
    assert sb.module.ok(1) == 2


@pytest.mark.parametrize("name, words", [
    ("many_entries", "dict entries|values"), ("many_lists", "values"), ("deep", "nesting")])
def test_a_reply_over_a_cap_is_refused_and_the_sandbox_goes_on(sb, name, words):
    with pytest.raises(UnsafeValue, match=words) as info:
        getattr(sb.module, name)()
    assert len(str(info.value)) < 1000
    assert sb.module.ok(1) == 2


def test_a_forged_flood_of_empty_lists_is_refused_before_it_is_built(sb):
    doc = ('{"$dict":[["status","ok"],["seq",@SEQ@],["value",[' + ",".join(["[]"] * 10_000_000)
           + ']],["mutated",{"$dict":[]}]]}')
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeValue, match="values"):
            sb.module.forge(doc)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The frame (30 MB) read once and its text once; building it would take over 600 MB.
    assert peak < 4 * len(doc)
    assert sb.module.ok(1) == 2  # the forger's process was replaced, the blocks replayed


@pytest.mark.parametrize("body, words", [
    ('{"$dict":[["status","exited"],["seq",@SEQ@],["code",%s]]}' % ("9" * 3000), "protocol broken"),
    ('{"$dict":[["status","%s"],["seq",@SEQ@]]}' % ("s" * 1_000_000), "protocol broken"),
    ('{"$dict":[["status","ok"],["seq",@SEQ@],["value",{"$ndarray":0}],["mutated",{"$dict":[]}]]}', "refuses"),
    ('{"$dict":[["status","ok"],["value",1],["mutated",{"$dict":[]}]]}', "sequence number"),
    ('{"$dict":[["status","ok"],["seq",99999],["value",1],["mutated",{"$dict":[]}]]}', "never sent"),
])
def test_forged_frames_of_the_wrong_shape_end_the_call_with_a_short_message(sb, body, words):
    with pytest.raises((SandboxCrashed, UnsafeValue), match=words) as info:
        sb.module.forge(body)
    assert len(str(info.value)) < 1000
    assert sb.module.ok(1) == 2


def test_a_forged_handle_gets_a_short_type_name(sb):
    ref = '{"$handle":{"generation":1,"oid":1,"type_name":"%s","is_callable":false}}' % ("T" * 1_000_000)
    value = sb.module.forge('{"$dict":[["status","ok"],["seq",@SEQ@],["value",%s],["mutated",{"$dict":[]}]]}' % ref)
    assert isinstance(value, Handle) and len(repr(value)) < 400


def test_handles_under_long_keys_get_short_labels(sb):
    found = sb.module.long_keys(40_000, 80)
    assert len(found) == 80
    assert all(isinstance(h, Handle) and len(repr(h)) < 400 for h in found.values())
    with pytest.raises(UnsafeValue, match="strings"):
        sb.module.long_keys(8_000_000, 2)


def test_an_exit_code_out_of_range_is_not_passed_on(sb):
    with pytest.raises(SandboxCrashed, match=r"sys\.exit\(1\)"):
        sb.module.leave_with(10 ** 100)
    assert sb.module.ok(1) == 2


def test_callbacks_take_plain_real_numbers_only(sb):
    seen = []

    def f(x):
        seen.append(type(x))
        return float(np.sum(x))

    assert sb.module.call(f, np.ones(3)) == 3.0 and sb.module.call(f, 2.5) == 2.5
    with pytest.raises(UnsafeValue, match="int/float array"):
        sb.module.widened(f)
    with pytest.raises(UnsafeValue, match="positional"):
        sb.module.call(f, x=np.ones(3))
    with pytest.raises(UnsafeValue, match="elements"):
        sb.module.call(f, np.ones(Limits().max_callback_elements + 1))
    with pytest.raises(UnsafeValue, match="array"):
        sb.module.call(f, [1.0, 2.0])
    assert seen == [np.ndarray, float]  # f never saw what was refused


def test_the_import_error_record_is_bounded(sb):
    sb.load(STUDENT + [("cell 2", "__ingest_import_errors__ = [('c' * 10_000, 1, 's' * 500, 'e')] * 200\n")])
    errors = _import_errors(sb)
    assert len(errors) == MAX_IMPORT_ERRORS
    assert all(len(field) <= MAX_IMPORT_FIELD for entry in errors
               for field in dataclasses.astuple(entry))
    sb.load(STUDENT + [("cell 2", "__ingest_import_errors__ = [('c' * 1_000_000, 1, 's', 'e')] * 100\n")])
    assert _import_errors(sb) == []  # over the reply caps: refused, nothing reported


def test_a_block_line_comes_from_the_frames_not_from_text():
    """The failing line of a block is its innermost frame in it; a traceback or message that
    names a line (a student can print anything) is not read."""
    frames = (("cell 1", 7, "<module>"), ("cell 2", 3, "helper"), ("cell 1", 4, "f"))
    assert block_lineno("cell 1", frames) == 4
    assert block_lineno("cell 2", frames) == 3
    assert block_lineno("cell 3", frames) is None and block_lineno("cell 1", ()) is None


def test_a_block_that_does_not_compile_reports_its_line(sb):
    """A SyntaxError has no frame in the block: is its own line reported, through the frames?"""
    report = sb.load(STUDENT + [("cell 9", "x = 1\n\nreturn x\n")])
    assert [(e.label, e.exc_type, e.lineno) for e in report.block_errors] == [("cell 9", "SyntaxError", 3)]
    forged = "raise SyntaxError('x', ('<cell 8>', 10 ** 30, 0, ''))\n"
    report = sb.load(STUDENT + [("cell 8", "\n" + forged)])
    assert [(e.label, e.lineno) for e in report.block_errors] == [("cell 8", 2)]   # where it was raised
    assert sb.load(STUDENT).ok


def test_a_notebook_of_failing_cells_lists_only_the_first_errors(sb):
    cells = [(f"cell {i}", f"class A{i}:\n    raise ValueError('{i}' + 'x' * 5000)\n") for i in range(120)]
    report = sb.load(STUDENT + cells)
    assert not report.ok and len(report.block_errors) == MAX_BLOCK_ERRORS
    assert report.more_errors == 120 - MAX_BLOCK_ERRORS
    assert report.block_errors[0].label == "cell 0" and report.block_errors[0].lineno == 2
    assert all(len(error.message) <= MESSAGE_CHARS + 50 for error in report.block_errors)
    assert sb.load(STUDENT).ok  # the module-wide sandbox, as the other tests expect it
