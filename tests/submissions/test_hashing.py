"""Is a submission hashed without reading it whole, and never blocked on by a FIFO?"""

import hashlib
import os
import pickle

import pytest

from autograder.submissions import FileTooLarge, sha256_of
from autograder.submissions import hashing


def test_the_digest_is_sha256_of_the_bytes_read_in_chunks(tmp_path, monkeypatch):
    data = bytes(range(256)) * 4
    path = tmp_path / "hw.ipynb"
    path.write_bytes(data)
    reads = []
    real_read = hashing.open_regular

    def counting_open(p):
        fh = real_read(p)
        original = fh.read
        fh.read = lambda n=-1: reads.append(n) or original(n)
        return fh

    monkeypatch.setattr(hashing, "CHUNK_BYTES", 100)
    monkeypatch.setattr(hashing, "open_regular", counting_open)
    assert sha256_of(path, limit=len(data)) == hashlib.sha256(data).hexdigest()
    assert reads and all(n == 100 for n in reads), "never one read of the whole file"


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.ipynb"
    path.write_bytes(b"x" * 11)
    with pytest.raises(FileTooLarge) as exc:
        sha256_of(path, limit=10)
    assert (exc.value.size, exc.value.limit) == (11, 10)
    assert isinstance(exc.value, OSError)
    again = pickle.loads(pickle.dumps(exc.value))
    assert (type(again), again.size, again.limit) == (FileTooLarge, 11, 10)


def test_a_fifo_or_folder_is_an_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    with pytest.raises(OSError, match="not a regular file"):
        sha256_of(tmp_path / "pipe.ipynb", limit=1 << 20)
    with pytest.raises(OSError):
        sha256_of(tmp_path, limit=1 << 20)
