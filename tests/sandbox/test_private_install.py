"""The fallback layer when the grader is installed where only its owner may enter.

A home directory, or a checkout in `mktemp -d`, is 0700: the uid the sandbox drops to
cannot pass through it, yet it must still import what it imports after the drop
(matplotlib on first use, a numpy submodule, matplotlib's fonts). readable.py links such
code from a copy others can read; these tests lay out a private install (the libraries
and the shim, in a 0700 folder, hard-linked where possible) and grade from it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from autograder.pipeline import grade, prepare
from autograder.sandbox import Limits, Sandbox, isolation, readable
from autograder.sandbox.isolation import ENV_FORCE, FALLBACK
from autograder.submissions import Submission

pytestmark = pytest.mark.sandbox

SCENARIOS = Path(__file__).parents[1] / "e2e" / "scenarios"
PLOTTING_NOTEBOOK = SCENARIOS / "plots_in_graded_function" / "submission.ipynb"
ROOT_ONLY = pytest.mark.skipif(os.getuid() != 0, reason="only root can drop to another uid")


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)  # the same bytes, without their 0700 ancestors' protection lost
    except OSError:
        shutil.copy2(src, dst)


def _lay_out(paths: list[str], folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    placed = []
    for path in paths:
        target = folder / os.path.basename(path)
        if os.path.isdir(path):
            shutil.copytree(path, target, copy_function=_link_or_copy)
        else:
            _link_or_copy(path, str(target))
        placed.append(str(target))
    return placed


@pytest.fixture(scope="module")
def private_install(tmp_path_factory):
    """numpy, matplotlib with its requirements, and wire/ + shim/, inside a 0700 folder."""
    private = tmp_path_factory.mktemp("home")
    private.chmod(0o700)
    libraries = _lay_out(isolation.library_paths(), private / "venv" / "site-packages")
    sandbox_dir = private / "checkout" / "autograder" / "sandbox"
    _lay_out([os.path.join(isolation.SANDBOX_DIR, name) for name in isolation.SHARED], sandbox_dir)
    (private / "checkout" / "reference.txt").write_text("the hidden suites live beside the shim\n")
    yield private, libraries, str(sandbox_dir)
    shutil.rmtree(private, ignore_errors=True)  # copies, where links could not be made: large


@pytest.fixture
def cache(monkeypatch):
    """A cache folder of this test's own in the temporary folder (others may pass its parent)."""
    parent = tempfile.mkdtemp(prefix="ag-test-readable-")
    os.chmod(parent, 0o755)
    root = os.path.join(parent, "cache")
    monkeypatch.setattr(readable, "cache_root", lambda: root)
    monkeypatch.setattr(readable, "_chosen", {})
    monkeypatch.setattr(readable, "_refused", set())
    yield root
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def installed_privately(private_install, cache, monkeypatch):
    private, libraries, sandbox_dir = private_install
    monkeypatch.setattr(isolation, "library_paths", lambda: list(libraries))
    monkeypatch.setattr(isolation, "SANDBOX_DIR", sandbox_dir)
    monkeypatch.setenv(ENV_FORCE, FALLBACK)
    return private


def test_a_notebook_that_plots_gets_full_marks_from_a_private_install(installed_privately):
    result = grade(prepare(Submission("private", PLOTTING_NOTEBOOK)), limits={"call_seconds": 20.0})
    assert result.graded, result.error
    assert result.max_points and result.points == result.max_points, \
        [(o.name, o.message[:300]) for o in result.outcomes if o.points < o.max_points]


@ROOT_ONLY
def test_the_dropped_uid_reads_a_copy_and_still_not_the_private_folder(installed_privately, cache):
    with Sandbox(Limits(call_seconds=20.0, load_seconds=20.0), isolation=FALLBACK) as box:
        assert "uid" in box.isolation
        report = box.load([("cell 1", PROBE)])
        assert report.ok, report.block_errors
        seen = box.module.probe(str(installed_privately / "checkout" / "reference.txt"))
    assert seen["uid"] != 0
    assert seen["secret"] == "PermissionError"
    assert seen["pyplot"].startswith(cache + os.sep)
    assert seen["polynomial"] == 3.0


PROBE = """
import os
import numpy as np
import matplotlib.pyplot as plt

def probe(secret):
    try:
        open(secret).read()
        verdict = "read"
    except OSError as exc:
        verdict = type(exc).__name__
    import numpy.polynomial  # not imported before the drop
    plt.plot([1, 2], [3, 4])
    plt.savefig("line.png")
    return {"uid": os.getuid(), "secret": verdict, "pyplot": os.path.realpath(plt.__file__),
            "polynomial": float(numpy.polynomial.Polynomial([1, 2])(1))}
"""


# ------------------------------------------------------------------ readable.for_others


def _tree(folder: Path) -> list[str]:
    (folder / "pkg" / "sub").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("X = 1\n")
    (folder / "pkg" / "sub" / "tool").write_text("#!/bin/sh\n")
    (folder / "pkg" / "sub" / "tool").chmod(0o755)
    (folder / "pkg.libs").mkdir()
    (folder / "pkg.libs" / "blas.so").write_bytes(b"\0" * 16)
    (folder / "top.py").write_text("Y = 2\n")
    return [str(folder / "pkg"), str(folder / "pkg.libs"), str(folder / "top.py")]


def test_code_others_can_read_is_used_where_it_is(tmp_path, cache):
    open_folder = Path(tempfile.mkdtemp(prefix="ag-test-open-"))
    try:
        open_folder.chmod(0o755)
        paths = _tree(open_folder)
        assert readable.for_others(paths) == paths
        assert not os.path.exists(cache)
    finally:
        shutil.rmtree(open_folder)


def test_a_private_tree_is_copied_side_by_side_readable_by_all(tmp_path, cache):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)
    copies = readable.for_others(paths)
    assert [os.path.basename(c) for c in copies] == ["pkg", "pkg.libs", "top.py"]
    assert len({os.path.dirname(c) for c in copies}) == 1  # ../pkg.libs still found from pkg/
    assert os.path.dirname(os.path.dirname(copies[0])) == cache
    assert Path(copies[0], "__init__.py").read_text() == "X = 1\n"
    modes = {os.path.relpath(path, cache): stat.S_IMODE(os.stat(path).st_mode)
             for folder, dirs, files in os.walk(cache) for path in
             (os.path.join(folder, name) for name in dirs + files)}
    entry = os.path.basename(os.path.dirname(copies[0]))
    assert modes[f"{entry}/pkg/sub"] == 0o755 and modes[f"{entry}/pkg/sub/tool"] == 0o755
    assert modes[f"{entry}/pkg/__init__.py"] == 0o644 and modes[f"{entry}/top.py"] == 0o644
    assert os.stat(os.path.join(copies[0], "__init__.py")).st_mtime_ns == \
        os.stat(tmp_path / "pkg" / "__init__.py").st_mtime_ns  # bytecode caches stay valid
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o700  # the user's folder untouched


def test_the_same_files_share_a_copy_and_an_edit_makes_a_new_one(tmp_path, cache, monkeypatch):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)
    first = readable.for_others(paths)
    monkeypatch.setattr(readable, "_chosen", {})  # another grading process
    assert readable.for_others(paths) == first
    (tmp_path / "pkg" / "__init__.py").write_text("X = 22\n")
    monkeypatch.setattr(readable, "_chosen", {})
    second = readable.for_others(paths)
    assert second != first and Path(second[0], "__init__.py").read_text() == "X = 22\n"
    assert Path(first[0], "__init__.py").read_text() == "X = 1\n"


def test_one_private_file_in_an_open_tree_is_enough_to_copy(tmp_path, cache):
    open_folder = Path(tempfile.mkdtemp(prefix="ag-test-open-"))
    try:
        open_folder.chmod(0o755)
        paths = _tree(open_folder)
        (open_folder / "pkg" / "__init__.py").chmod(0o600)  # installed under umask 077
        copies = readable.for_others(paths)
        assert copies != paths
        assert stat.S_IMODE(os.stat(os.path.join(copies[0], "__init__.py")).st_mode) == 0o644
    finally:
        shutil.rmtree(open_folder)


def test_an_entry_a_cleaner_thinned_is_built_again(tmp_path, cache, monkeypatch):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)
    first = readable.for_others(paths)
    os.remove(os.path.join(first[1], "blas.so"))  # unread for days, aged out of /tmp
    monkeypatch.setattr(readable, "_chosen", {})  # the next grading process
    assert readable.for_others(paths) == first
    assert Path(first[1], "blas.so").read_bytes() == b"\0" * 16
    assert sorted(os.listdir(cache)) == [".lock", os.path.basename(os.path.dirname(first[0]))]


def test_bytecode_python_adds_to_an_entry_does_not_make_it_look_thinned(tmp_path, cache, monkeypatch):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)
    first = readable.for_others(paths)
    os.mkdir(os.path.join(first[0], "__pycache__"))
    Path(first[0], "__pycache__", "__init__.cpython-311.pyc").write_bytes(b"pyc")
    monkeypatch.setattr(readable, "_build", lambda *args: pytest.fail("built again"))
    monkeypatch.setattr(readable, "_chosen", {})
    assert readable.for_others(paths) == first


def _copies_in_a_new_process(paths, queue):
    readable._chosen.clear()
    queue.put(readable.for_others(paths))


def test_graders_starting_together_end_with_one_entry(tmp_path, cache):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)
    context = multiprocessing.get_context("fork")  # keeps this test's cache folder
    queue = context.Queue()
    workers = [context.Process(target=_copies_in_a_new_process, args=(paths, queue)) for _ in range(3)]
    for worker in workers:
        worker.start()
    answers = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert answers[0] != paths and answers.count(answers[0]) == 3
    entry = os.path.basename(os.path.dirname(answers[0][0]))
    assert sorted(os.listdir(cache)) == [".lock", entry]  # one entry, no half-built leftovers


def test_a_graders_racing_build_finds_the_entry_made_and_leaves_nothing(tmp_path, cache):
    tmp_path.chmod(0o700)
    paths = [os.path.realpath(p) for p in _tree(tmp_path)]
    os.mkdir(cache, 0o755)
    entry = os.path.join(cache, "entry")
    readable._build(paths, entry)
    readable._build(paths, entry)  # the rename fails: the first one stays
    assert sorted(os.listdir(cache)) == ["entry"]
    assert readable._intact(entry)


@ROOT_ONLY
@pytest.mark.parametrize("spoil", ["world-writable", "another owner", "a symlink"])
def test_a_cache_folder_someone_else_could_fill_is_not_used(tmp_path, cache, spoil, caplog):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path / "home")
    elsewhere = Path(os.path.dirname(cache), "elsewhere")
    elsewhere.mkdir(0o755)
    if spoil == "a symlink":
        os.symlink(elsewhere, cache)
    else:
        os.mkdir(cache)
        os.chmod(cache, 0o777 if spoil == "world-writable" else 0o755)
        if spoil == "another owner":
            os.chown(cache, 12345, 12345)
    with caplog.at_level(logging.WARNING, logger="autograder.sandbox"):
        assert readable.for_others(paths) == paths
    assert "not using" in caplog.text
    assert os.listdir(elsewhere) == []


def test_without_a_uid_drop_the_sandbox_links_the_originals(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(readable, "for_others", lambda paths: calls.append(paths) or paths)
    isolation._stage(str(tmp_path / "lib"), dropping=False)
    numpy_link = tmp_path / "lib" / "numpy"
    assert calls == [] and os.readlink(numpy_link) == isolation.numpy_dirs()[0]


def test_a_copy_that_cannot_be_made_leaves_the_sandbox_as_it_was(tmp_path, cache, monkeypatch, caplog):
    tmp_path.chmod(0o700)
    paths = _tree(tmp_path)

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(readable, "_copy_file", disk_full)
    with caplog.at_level(logging.WARNING, logger="autograder.sandbox"):
        assert readable.for_others(paths) == paths
    assert "could not copy" in caplog.text
    assert os.listdir(cache) == [".lock"]  # no half-built entry left behind
