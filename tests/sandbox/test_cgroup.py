"""Does every sandbox process tree live in a cgroup of its own, bounded, and gone after?"""

import os
import signal

import pytest

from autograder.sandbox.cgroup import WALL_PROCESSES, _plan

from .conftest import LAYERS

pytestmark = [pytest.mark.sandbox, pytest.mark.skipif(os.getuid() != 0 or _plan() is None,
                                reason="this machine gives the grader no cgroup to divide")]

HOGS = [("cell 1", """
import os, signal

def fork_hogs(count, size):
    '''Fork children that each hold `size` bytes; the termination signal of each.'''
    pids = []
    for _ in range(count):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            block = bytes([1]) * size
            os.write(w, b"x")
            signal.pause()
            os._exit(0)
        os.close(w)
        os.read(r, 1)  # one byte once it holds its memory; end of file if it died first
        os.close(r)
        pids.append(pid)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    return [os.waitpid(pid, 0)[1] & 0x7F for pid in pids]
""")]


@pytest.mark.parametrize("layer", LAYERS)
def test_the_process_tree_is_in_its_own_bounded_cgroup_removed_after(make_sandbox, layer):
    box = make_sandbox(isolation=layer, memory_bytes=300 << 20, processes=20)
    assert box.load(HOGS).ok
    folders = box._proc.cgroup.folders
    limits = {}
    for folder in folders:
        with open(os.path.join(folder, "cgroup.procs")) as fh:
            assert str(box._proc.popen.pid) in fh.read().split()
        for name in ("memory.limit_in_bytes", "memory.max", "pids.max"):
            if os.path.exists(os.path.join(folder, name)):
                with open(os.path.join(folder, name)) as fh:
                    limits[name.split(".")[0]] = int(fh.read())
    assert limits == {"memory": 300 << 20, "pids": 20 + WALL_PROCESSES}
    box.close()
    assert not any(os.path.exists(folder) for folder in folders)


def test_children_together_cannot_hold_more_than_the_memory_limit(make_sandbox):
    """Each child stays under RLIMIT_AS; four of them together do not fit the cgroup."""
    box = make_sandbox(memory_bytes=400 << 20, call_seconds=20)
    assert box.load(HOGS).ok
    endings = box.module.fork_hogs(4, 150 << 20)
    assert signal.SIGKILL in endings, endings  # the kernel's OOM killer, within the cgroup
    assert box.module.fork_hogs(1, 150 << 20) == [signal.SIGTERM]  # one alone fits
