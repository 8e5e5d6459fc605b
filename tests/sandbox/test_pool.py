"""The warm pool: is each forked sandbox process as alone as a freshly started one?

Every test here gets its sandboxes from the template (asserted, so a silent fall back to
fresh starts cannot pass for the pool), and shows what one submission leaves behind
(files, module state, environment, IPC objects, listening sockets, random state) absent
in the next, and in a sibling running at the same time.
"""

import os

import pytest

from autograder.sandbox import Limits, Sandbox, SandboxCrashed, pool, uids

from .conftest import LAYERS

pytestmark = [pytest.mark.sandbox,
              pytest.mark.skipif(os.getuid() != 0, reason="the pool is used as root only (a uid per child)")]

STUDENT = [("cell 1", r"""
import ctypes, os, random, signal, socket, sys
import numpy as np

first_draws = (float(np.random.rand()), random.random())

def leave_traces():
    '''Everything a submission could leave for the next one.'''
    for path in ("left_here.txt", os.path.join(os.environ["TMPDIR"], "in_tmpdir.txt"),
                 os.path.join(os.environ["MPLCONFIGDIR"], "matplotlibrc")):
        with open(path, "w") as fh:
            fh.write("from the previous submission")
    np.LEFT_BEHIND = "numpy patched"
    np.random.seed(1234)
    os.environ["LEFT_BEHIND"] = "env"
    sys.modules["left_behind"] = sys
    libc = ctypes.CDLL(None, use_errno=True)
    shm = libc.shmget(0x5EED, 4096, 0o1666)  # IPC_CREAT | 0666: outlives its creator
    return shm >= 0

def listen():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    globals()["server"] = server
    return server.getsockname()[1]

def traces():
    libc = ctypes.CDLL(None, use_errno=True)
    found = {
        "files": sorted(os.listdir(".")) + sorted(os.listdir(os.environ["TMPDIR"])),
        "config": sorted(os.listdir(os.environ["MPLCONFIGDIR"])),
        "numpy": hasattr(np, "LEFT_BEHIND"), "env": "LEFT_BEHIND" in os.environ,
        "module": "left_behind" in sys.modules, "shm": libc.shmget(0x5EED, 4096, 0o666) >= 0,
    }
    return found

def connect(port):
    client = socket.socket()
    client.settimeout(1)
    try:
        client.connect(("127.0.0.1", port))
        return "connected"
    except OSError as exc:
        return type(exc).__name__

def pids():
    return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())

def status():
    with open("/proc/self/status") as fh:
        return {line.split(":")[0]: line.split()[1] for line in fh if line.startswith("Cap")}

def unshare_mounts():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(0x00020000), ctypes.get_errno()

def crash():
    os.kill(os.getpid(), signal.SIGSEGV)
""")]


@pytest.fixture(autouse=True)
def pool_on(monkeypatch):
    """These tests are about the pool, whatever the environment chose for the others."""
    monkeypatch.delenv(pool.ENV_POOL, raising=False)


def _forked(box: Sandbox) -> Sandbox:
    assert box.load(STUDENT).ok, box.load(STUDENT).block_errors
    assert box._proc.forked, "this sandbox did not come from the template"
    return box


@pytest.mark.parametrize("layer", LAYERS)
def test_nothing_of_one_submission_reaches_the_next(make_sandbox, layer):
    first = _forked(make_sandbox(isolation=layer))
    assert first.module.leave_traces() is True
    assert first.module.traces()["numpy"]  # the traces are there, in the process that left them
    draws = first.module.first_draws
    first.close()
    second = _forked(make_sandbox(isolation=layer))
    seen = second.module.traces()
    assert "matplotlibrc" not in seen.pop("config")
    assert seen == {"files": [], "numpy": False, "env": False, "module": False, "shm": False}
    # The template's random state is not handed down: each child draws its own numbers.
    assert second.module.first_draws[0] != draws[0] and second.module.first_draws[1] != draws[1]


@pytest.mark.parametrize("layer", LAYERS)
def test_a_sibling_running_beside_sees_nothing_of_the_other(make_sandbox, layer):
    first = _forked(make_sandbox(isolation=layer))
    assert first.module.leave_traces() is True
    port = first.module.listen()
    assert first.module.connect(port) == "connected"
    second = _forked(make_sandbox(isolation=layer))
    seen = second.module.traces()
    assert (seen["files"], seen["numpy"], seen["env"], seen["module"], seen["shm"]) == ([], False, False, False, False)
    assert second.module.connect(port) != "connected"  # its own network namespace
    if layer == "bubblewrap":
        assert second.module.pids() == [second.module.pids()[0]]  # itself only: not the template, not the sibling
        assert "matplotlibrc" not in seen["config"]


def test_the_child_keeps_no_capability_and_cannot_make_namespaces(make_sandbox):
    box = _forked(make_sandbox(isolation="bubblewrap"))
    caps = box.module.status()
    # The template keeps CAP_SYS_ADMIN for the children's mounts: none of it may reach the student.
    assert (caps["CapEff"], caps["CapPrm"], caps["CapInh"], caps["CapAmb"]) == ("0" * 16,) * 4
    assert list(box.module.unshare_mounts()) == [-1, 1]  # EPERM


@pytest.mark.parametrize("layer", LAYERS)
def test_the_pool_outlives_a_crashed_child_and_a_dead_template(make_sandbox, layer):
    box = _forked(make_sandbox(isolation=layer))
    template = pool.template(layer)
    with pytest.raises(SandboxCrashed, match="SIGSEGV"):
        box.module.crash()
    assert template.alive()
    again = _forked(make_sandbox(isolation=layer))
    assert pool.template(layer) is template
    assert again.module.connect(1) != "connected"  # it answers
    # When the template dies, its children count as ended: the next call starts the
    # submission again from a new template, and the old child is gone.
    old_child = again._proc.popen.pid
    template.popen.kill()
    with template.cond:
        assert template.cond.wait_for(lambda: template.dead, 10)
    assert again.module.connect(1) != "connected"
    assert pool.template(layer) is not template
    assert again._proc.forked and not _running(old_child)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as fh:
                children = [int(child) for child in fh.read().split()]
        except OSError:
            continue
        found += children
        todo += children
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.parametrize("layer", LAYERS)
def test_no_process_is_left_after_close_and_shutdown(layer):
    box = Sandbox(Limits(call_seconds=5.0, load_seconds=5.0), isolation=layer)
    _forked(box)
    uid, child = box._lease.uid, box._proc.popen.pid
    template = pool.template(layer)
    box.close()
    assert not _running(child)
    assert uids.pids_of_uid(uid) == []
    family = [pid for pid in (template.popen.pid, *_descendants(template.popen.pid)) if _running(pid)]
    assert template.popen.pid in family  # the template (in bwrap's) waits for the next
    pool.shutdown()
    assert not any(_running(pid) for pid in family)
    assert not os.path.exists(template.root)


def test_the_pool_can_be_turned_off(make_sandbox, monkeypatch):
    monkeypatch.setenv(pool.ENV_POOL, "off")
    box = make_sandbox()
    assert box.load(STUDENT).ok
    assert not box._proc.forked
