"""Is the wall really there: clean child, limits, no escape by files, network or processes?"""

import errno
import os
import socket
import time
import uuid

import numpy as np
import pytest

from autograder.sandbox import Sandbox, StudentRaised
from autograder.sandbox import isolation
from autograder.sandbox.isolation import ENV_FORCE
from autograder.sandbox.shim import seccomp

from .conftest import LAYERS

pytestmark = pytest.mark.sandbox

PROBE = [("cell 1", """
import os, sys, resource
import numpy as np

def probe():
    return {
        "isolated": sys.flags.isolated, "uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups(),
        "env": dict(os.environ), "files": sorted(os.listdir(".")), "sid": os.getsid(0), "pid": os.getpid(),
        "as": resource.getrlimit(resource.RLIMIT_AS)[0], "core": resource.getrlimit(resource.RLIMIT_CORE)[0],
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0], "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0], "stdin": os.readlink("/proc/self/fd/0"),
        "numpy_first": "numpy" in sys.modules, "capeff": open("/proc/self/status").read().split("CapEff:")[1].split()[0],
    }

def write(path):
    with open(path, "w") as fh:
        fh.write("escaped")
    return True

def read(path):
    if os.path.isdir(path):
        return os.listdir(path)
    with open(path) as fh:
        return fh.read()

def connect(port):
    import socket
    s = socket.socket()
    s.settimeout(1)
    s.connect(("127.0.0.1", port))
    return True

def grader_modules():
    return sorted(name for name in sys.modules if name.split(".")[0] == "autograder")

def importable(name):
    import importlib
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False

def new_user_namespace():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(0x10000000), ctypes.get_errno()  # CLONE_NEWUSER

def fill(count, size):
    written = []
    try:
        for i in range(count):
            with open(f"fill{i}", "wb") as fh:
                fh.write(b"x" * size)
            written.append(i)
    except OSError as exc:
        return written, exc.errno
    return written, None

def spawn(marker):
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sh", ["sh", "-c", "sleep 30; echo " + marker])
        os._exit(0)
    os.waitpid(pid, 0)
    return True
""")]

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pids_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_child_is_clean_limited_and_unprivileged(make_sandbox, layer):
    box = make_sandbox(isolation=layer, memory_bytes=1 << 31, file_bytes=1 << 20, open_files=50)
    assert box.isolation.startswith(layer)
    assert box.load(PROBE).ok
    info = box.module.probe()
    assert info["isolated"] == 1 and info["numpy_first"]
    assert info["uid"] != 0 and info["euid"] != 0 and info["groups"] == [] and info["capeff"] == "0000000000000000"
    assert info["env"]["OPENBLAS_NUM_THREADS"] == info["env"]["OMP_NUM_THREADS"] == info["env"]["MKL_NUM_THREADS"] == "1"
    assert set(info["env"]) <= {"PATH", "HOME", "TMPDIR", "LANG", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                "MKL_NUM_THREADS", "LC_CTYPE", "PWD", "MPLBACKEND", "MPLCONFIGDIR"}
    assert info["files"] == []  # the student's code travels over the pipe, never as a file
    assert info["stdin"] == "/dev/null"
    # Own session: led by the shim itself (fallback, or a child of the warm pool's template)
    # or by bwrap's init inside its PID namespace.
    assert info["sid"] == info["pid"] if layer == "fallback" or box._proc.forked else info["sid"] <= 2
    assert (info["as"], info["core"], info["fsize"], info["nofile"]) == (1 << 31, 0, 1 << 20, 50)
    assert info["cpu"] > 0


@pytest.mark.parametrize("layer", LAYERS)
def test_only_the_shared_wire_and_the_shim_of_the_grader_are_inside(make_sandbox, layer):
    box = make_sandbox(isolation=layer)
    assert box.load(PROBE).ok
    loaded = box.module.grader_modules()
    assert "autograder.sandbox.wire.codec" in loaded and "autograder.sandbox.shim.shim" in loaded
    assert all(name in ("autograder", "autograder.sandbox") or name.startswith(
        ("autograder.sandbox.wire", "autograder.sandbox.shim")) for name in loaded), loaded
    for name in ("autograder.sandbox.sandbox", "autograder.sandbox.limits", "autograder.pipeline",
                 "autograder.grading", "reference", "tests"):
        assert box.module.importable(name) is False, name


@pytest.mark.parametrize("layer", LAYERS)
def test_student_code_cannot_make_a_user_namespace(make_sandbox, layer):
    """The kernel here allows unprivileged user namespaces; the shim's filter does not."""
    box = make_sandbox(isolation=layer)
    assert box.load(PROBE).ok
    assert box.module.new_user_namespace() == (-1, errno.EPERM)
    assert box.module.spawn(f"agmarker{uuid.uuid4().hex}")  # fork and exec still work


def test_the_working_folder_under_bubblewrap_is_a_tmpfs_of_its_own_size(make_sandbox):
    box = make_sandbox(isolation="bubblewrap", workdir_bytes=40 << 20, file_bytes=16 << 20)
    assert box.load(PROBE).ok
    assert box.module.fill(4, 15 << 20) == ([0, 1], errno.ENOSPC)


def test_the_userns_filter_and_the_trusted_side_know_the_same_machines():
    assert set(isolation.USERNS_FILTER_MACHINES) == set(seccomp.ARCHES)


def test_an_unknown_isolation_mode_is_refused():
    with pytest.raises(ValueError, match="isolation"):
        Sandbox(isolation="none")


def test_env_var_forces_the_fallback(monkeypatch):
    monkeypatch.setenv(ENV_FORCE, "fallback")
    with Sandbox() as sb:
        assert sb.isolation.startswith("fallback")


@pytest.mark.parametrize("layer", LAYERS)
def test_writing_outside_the_work_dir_fails(make_sandbox, layer):
    box = make_sandbox(isolation=layer)
    box.load(PROBE)
    name = f"escape-{uuid.uuid4().hex}"
    targets = [os.path.join(PROJECT, name)] + ([f"/tmp/{name}"] if layer == "bubblewrap" else [])
    for target in targets:
        with pytest.raises(Exception) as info:
            box.module.write(target)
        assert getattr(info.value, "exc_type", "") in ("PermissionError", "FileNotFoundError", "OSError")
        assert not os.path.exists(target)
    assert box.module.write("inside.txt") is True


@pytest.mark.parametrize("layer", LAYERS)
def test_double_forked_setsid_grandchild_dies_with_the_sandbox(make_sandbox, layer):
    box = make_sandbox(isolation=layer)
    box.load(PROBE)
    marker = f"agmarker{uuid.uuid4().hex}"
    assert box.module.spawn(marker)
    deadline = time.monotonic() + 2
    while not pids_with(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pids_with(marker), "the sleeper should be running while the sandbox is open"
    box.close()
    deadline = time.monotonic() + 2
    while pids_with(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pids_with(marker) == []


# The fallback cuts the network with `unshare --net`, which needs root.
@pytest.mark.parametrize("layer", LAYERS if os.getuid() == 0 else ["bubblewrap"])
def test_a_listening_socket_on_the_graders_loopback_is_unreachable(make_sandbox, layer):
    """A real listener, so a refused connection cannot pass for isolation by accident."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.3)
    try:
        box = make_sandbox(isolation=layer)
        box.load(PROBE)
        with pytest.raises(StudentRaised) as info:
            box.module.connect(listener.getsockname()[1])
        assert info.value.exc_type in ("OSError", "ConnectionRefusedError", "TimeoutError")
        with pytest.raises(socket.timeout):
            listener.accept()[0].close()
    finally:
        listener.close()


@pytest.mark.parametrize("path", ["reference", "tests", "tests/sandbox/test_isolation.py", "autograder/grading"])
def test_project_files_are_invisible_under_bubblewrap(make_sandbox, path):
    box = make_sandbox(isolation="bubblewrap")
    box.load(PROBE)
    with pytest.raises(Exception) as info:
        box.module.read(os.path.join(PROJECT, path))
    assert getattr(info.value, "exc_type", "") in ("FileNotFoundError", "PermissionError")
