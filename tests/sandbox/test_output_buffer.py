"""The captured output: a mark taken after the child wrote is after what it wrote."""

import os

from autograder.sandbox.output import OutputBuffer


def test_a_mark_taken_after_a_write_counts_what_was_written():
    """The pump reads on its own thread; a mark must not fall before bytes already in the
    pipe (restart's forget_since would then drop the student's own output)."""
    buffer = OutputBuffer(cap=1 << 20)
    read_end, write_end = os.pipe()
    pump = buffer.drain(read_end)
    written = 0
    for line in range(300):
        data = f"line {line}\n".encode()
        os.write(write_end, data)
        written += len(data)
        assert buffer.mark() == written
    os.close(write_end)
    pump.join(timeout=5)
    assert not pump.is_alive()
    assert buffer.text().count("\n") == 300


def test_output_beyond_the_cap_is_counted_not_kept():
    buffer = OutputBuffer(cap=10)
    read_end, write_end = os.pipe()
    pump = buffer.drain(read_end)
    os.write(write_end, b"x" * 25)
    os.close(write_end)
    pump.join(timeout=5)
    assert buffer.text() == "x" * 10 + "\n[... output truncated: 15 more bytes dropped]"


def test_forget_since_drops_only_what_came_after_the_mark():
    buffer = OutputBuffer(cap=1 << 20)
    read_end, write_end = os.pipe()
    pump = buffer.drain(read_end)
    os.write(write_end, b"own\n")
    mark = buffer.mark()
    os.write(write_end, b"lent\n")
    buffer.forget_since(mark)
    os.close(write_end)
    pump.join(timeout=5)
    assert buffer.text() == "own\n"
