"""Do frames cross a pipe intact, and are oversized or truncated frames refused?"""

import os
import struct
import threading
import time

import pytest

from autograder.sandbox.wire.transport import Channel, ChannelClosed, DeadlineExpired, FrameTooLarge


@pytest.fixture
def pipes():
    r, w = os.pipe()
    yield r, w
    for fd in (r, w):
        try:
            os.close(fd)
        except OSError:
            pass


def test_large_frame_round_trips_through_a_pipe(pipes):
    r, w = pipes
    os.set_blocking(w, False)
    sender, receiver = Channel(-1, w), Channel(r, -1)
    payload = os.urandom(3 * 1024 * 1024)
    got = []
    reader = threading.Thread(target=lambda: got.append(receiver.recv(time.monotonic() + 5)))
    reader.start()
    sender.send(payload, time.monotonic() + 5)
    reader.join()
    assert bytes(got[0]) == payload


def test_declared_oversized_frame_is_refused_before_reading(pipes):
    r, w = pipes
    os.write(w, struct.pack(">I", 10**6))
    with pytest.raises(FrameTooLarge):
        Channel(r, -1, max_frame=1000).recv(time.monotonic() + 1)
    with pytest.raises(FrameTooLarge):
        Channel(-1, w, max_frame=10).send(b"x" * 11)


def test_truncated_frame_is_reported_as_closed(pipes):
    r, w = pipes
    os.write(w, struct.pack(">I", 100) + b"abc")
    os.close(w)
    with pytest.raises(ChannelClosed):
        Channel(r, -1).recv(time.monotonic() + 1)


def test_silent_peer_hits_the_deadline(pipes):
    r, _ = pipes
    start = time.monotonic()
    with pytest.raises(DeadlineExpired):
        Channel(r, -1).recv(time.monotonic() + 0.2)
    assert time.monotonic() - start < 1


def test_an_announced_size_is_not_allocated_before_the_bytes_arrive(pipes):
    import tracemalloc
    r, w = pipes
    os.write(w, struct.pack(">I", 100 * 1024 * 1024) + b"x" * 1000)
    os.close(w)
    tracemalloc.start()
    with pytest.raises(ChannelClosed, match="1000 of"):
        Channel(r, -1, max_frame=200 * 1024 * 1024).recv(time.monotonic() + 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # a read chunk at most, not the 100 MB announced
