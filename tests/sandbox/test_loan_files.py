"""Is every file student code wrote while the reference was lent gone after the restart?

The root-cause retry lends the reference's functions (or classes) to the student's module
and restarts the process once they were used (sandbox/substitute.py): what student code
computed with them must not reach the tests still to come. A global goes with the old
process; a file is on a disk. Student code writes where it can: its working folder, TMPDIR,
matplotlib's configuration folder, and any folder the machine leaves writable to all
(/tmp, /var/tmp, /dev/shm). In each layer, with the warm pool and without, is none of
those files there for the new process, nor for the next submission given the same uid?
"""

import os
import uuid

import numpy as np
import pytest

from autograder.sandbox import pool
from autograder.sandbox.substitute import substituted

from .conftest import LAYERS

pytestmark = pytest.mark.sandbox

STUDENT = [("cell 1", r"""
import os, tempfile
import numpy as np

def softmax(x):
    return x

def places():
    return {"cwd": os.getcwd(), "tmpdir": tempfile.gettempdir(), "home": os.path.expanduser("~"),
            "mplconfig": os.environ.get("MPLCONFIGDIR", ""), "tmp": "/tmp", "var_tmp": "/var/tmp",
            "dev_shm": "/dev/shm"}

def stash(x, token):
    '''Keep what the lent softmax answers in a file in every folder that takes one.'''
    answer = repr([float(v) for v in softmax(x)])
    wrote = {}
    for where, folder in places().items():
        if not folder:
            continue
        path = os.path.join(folder, f"stash-{token}-{where}")
        try:
            with open(path, "w") as fh:
                fh.write(answer)
            os.makedirs(path + ".d", exist_ok=True)
            with open(os.path.join(path + ".d", "inner"), "w") as fh:
                fh.write(answer)
        except OSError:
            continue
        wrote[where] = path
    return wrote

def segment(key, create, x):
    import ctypes
    if x is not None:
        softmax(x)
    flags = 0o1666 if create else 0o666   # IPC_CREAT: it outlives its creator
    return ctypes.CDLL(None).shmget(key, 4096, flags) >= 0

def still_there(wrote):
    return sorted(where for where, path in wrote.items()
                  if os.path.lexists(path) or os.path.lexists(path + ".d"))
""")]


def right_softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


@pytest.fixture(params=["pool", "no pool"])
def pool_mode(request, monkeypatch):
    if request.param == "no pool":
        monkeypatch.setenv(pool.ENV_POOL, "off")
    else:
        monkeypatch.delenv(pool.ENV_POOL, raising=False)
    return request.param


def _stash_during_a_loan(box, token):
    assert box.load(STUDENT).ok
    generation = box._generation
    with substituted(box, {"softmax": right_softmax}) as lent:
        wrote = box.module.stash(np.array([1.0, 2.0, 3.0]), token)
        assert lent["softmax"].calls == 1
    assert box._generation == generation + 1      # the loan was used: a new process
    # The test can fail: the student's own folders took the file while the loan stood.
    assert {"cwd", "tmpdir", "mplconfig"} <= set(wrote), wrote
    return wrote


@pytest.mark.parametrize("layer", LAYERS)
def test_no_file_written_during_a_loan_outlives_the_restart(make_sandbox, layer, pool_mode):
    box = make_sandbox(isolation=layer)
    token = uuid.uuid4().hex[:12]
    wrote = _stash_during_a_loan(box, token)
    assert box._proc.forked == (pool_mode == "pool" and os.getuid() == 0)
    assert box.module.still_there(wrote) == []
    # Nor is it on the machine's disk for whoever looks there next.
    assert [path for path in wrote.values() if os.path.lexists(path)] == []


@pytest.mark.parametrize("layer", LAYERS)
def test_no_file_written_during_a_loan_reaches_the_next_submission(make_sandbox, layer, pool_mode):
    box = make_sandbox(isolation=layer)
    token = uuid.uuid4().hex[:12]
    wrote = _stash_during_a_loan(box, token)
    box.close()
    # Parallel graders take uids too, so the next sandbox may or may not get this one:
    # either way nothing of the loan may be there for it.
    after = make_sandbox(isolation=layer)
    assert after.load(STUDENT).ok
    assert after.module.still_there(wrote) == []
    assert [path for path in wrote.values() if os.path.lexists(path)] == []


@pytest.mark.parametrize("layer", LAYERS)
def test_no_shared_memory_made_during_a_loan_outlives_the_restart(make_sandbox, layer, pool_mode):
    """A SysV segment is no file, but it keeps bytes for whoever asks its key next."""
    box = make_sandbox(isolation=layer)
    assert box.load(STUDENT).ok
    key = 0x5EED0000 | (uuid.uuid4().int & 0xFFFF)
    with substituted(box, {"softmax": right_softmax}):
        assert box.module.segment(key, True, np.array([1.0, 2.0])) is True
    assert box.module.segment(key, False, None) is False


@pytest.mark.skipif(os.getuid() != 0, reason="a dedicated uid is leased as root only")
def test_what_a_died_grader_left_for_a_uid_is_gone_before_that_uid_is_used(make_sandbox, monkeypatch):
    """A grader killed mid-batch never ran its sweep: the next lease of the uid does."""
    from autograder.sandbox import sandbox as sandbox_module
    from autograder.sandbox.uids import UidLease
    lease = UidLease()       # held here, so no parallel grader can be using this uid
    token = uuid.uuid4().hex[:12]
    left = [os.path.join(folder, f"stash-{token}-left") for folder in ("/tmp", "/dev/shm")]
    try:
        for path in left:
            with open(path, "w") as fh:
                fh.write("the dead grader's loan")
            os.chown(path, lease.uid, lease.uid)
        monkeypatch.setattr(sandbox_module, "UidLease", lambda: lease)
        box = make_sandbox(isolation="fallback")
        assert box._lease is lease
        assert [path for path in left if os.path.lexists(path)] == []
    finally:
        for path in left:
            if os.path.lexists(path):
                os.unlink(path)
        lease.release()
