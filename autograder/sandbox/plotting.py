"""matplotlib for student code: which folders it needs, a font list built once, its settings.

Nearly every notebook imports matplotlib.pyplot, and some graded functions plot while
they compute. The sandbox offers the matplotlib the grader has installed, with the
packages it requires (found through their installed metadata, so a new dependency is
not forgotten), read-only; the Agg backend, so nothing tries to open a window; and a
configuration folder of the sandbox's own, so nothing is written anywhere else.

matplotlib builds a list of the machine's fonts the first time it is imported with an
empty configuration folder, which takes a good part of a second. The grader builds it
once, in its own cache (again when the fonts or matplotlib change), and every sandbox
reads that copy: under bubblewrap mounted read-only in a small tmpfs that is the
configuration folder, in the fallback copied into a folder beside the working folder. Without matplotlib installed
for the grader none of this happens, and student code that imports it gets an ImportError.
"""

from __future__ import annotations

import atexit
import glob
import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

log = logging.getLogger("autograder.sandbox")

DISTRIBUTION = "matplotlib"
# Already inside through the sandbox's own numpy mounts.
PROVIDED = {"numpy"}
BACKEND = "Agg"
INSIDE_CONFIG = "/opt/mplconfig"
# Room for what matplotlib may write into its folder (nothing, unless the font list is
# rebuilt); it counts as the sandbox's memory.
CONFIG_BYTES = 4 * 1024 * 1024
BUILD_SECONDS = 120
# Where matplotlib looks for the machine's fonts (font_manager's folders on Linux).
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")

_lock = threading.Lock()
_font_list: list = []          # [path or None] once built (or found impossible)
_paths: list = []              # [tuple of paths] once computed


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _required(dist) -> list[str]:
    """The distributions `dist` needs at run time (extras are optional, so left out)."""
    names = []
    for requirement in dist.requires or []:
        spec, _, marker = requirement.partition(";")
        if "extra" in marker:
            continue
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        if match:
            names.append(match.group(1))
    return names


def _top_level(dist) -> set[str]:
    """The importable files and folders a distribution installed, as absolute paths."""
    found = set()
    for file in dist.files or []:
        top = file.parts[0] if file.parts else ""
        if not top or top in ("..", "__pycache__") or top.endswith((".dist-info", ".egg-info", ".pth")):
            continue
        path = os.path.abspath(str(dist.locate_file(top)))  # its name is the import name
        if os.path.exists(path):
            found.add(path)
    return found


def package_paths() -> tuple[str, ...]:
    """matplotlib's folders and those of everything it requires (numpy aside), or ()."""
    with _lock:
        if not _paths:
            _paths.append(_closure())
        return _paths[0]


def _closure() -> tuple[str, ...]:
    seen, todo, paths = set(), [DISTRIBUTION], set()
    while todo:
        name = _normalised(todo.pop())
        if name in seen or name in PROVIDED:
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            # matplotlib missing: no plotting; a requirement missing behind a marker
            # (for another Python version) is simply not needed here.
            if name == DISTRIBUTION:
                log.warning("sandbox: matplotlib is not installed; student code cannot import it")
                return ()
            continue
        paths |= _top_level(dist)
        todo += _required(dist)
    return tuple(sorted(paths))


def font_list() -> str | None:
    """The path of a font list matplotlib accepts as its cache (see cache_folder)."""
    with _lock:
        if _font_list and _font_list[0] is not None and not os.path.exists(_font_list[0]):
            _font_list.clear()  # removed under us (a cleaner, a rebuild): a mount of it would fail
        if not _font_list:
            _font_list.append(_font_list_in(cache_folder()) if _has_matplotlib() else None)
        return _font_list[0]


def _has_matplotlib() -> bool:
    try:
        importlib.metadata.distribution(DISTRIBUTION)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def _fonts_fingerprint() -> str:
    """What the font list depends on: the interpreter, matplotlib's version, and the
    folders fonts are installed in (a font added or removed changes a folder's mtime)."""
    parts = [sys.executable, importlib.metadata.version(DISTRIBUTION)]
    for top in FONT_FOLDERS:
        for folder, _, _ in os.walk(os.path.expanduser(top)):
            try:
                parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
            except OSError:
                continue
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def cache_folder() -> str:
    """Where the grader keeps the font list: in its user's cache, so every grading process
    (a pool's workers exit without cleaning up) shares one, built once per set of fonts;
    a temporary folder of this process when there is no such cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "dlfs-autograder", f"matplotlib-{_fonts_fingerprint()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        return folder
    except OSError:
        folder = tempfile.mkdtemp(prefix="ag-mplfonts-")
        atexit.register(shutil.rmtree, folder, True)
        return folder


def _font_list_in(folder: str) -> str | None:
    built = sorted(glob.glob(os.path.join(folder, "fontlist-v*.json")))
    if built:
        return built[-1]
    # A fresh interpreter with an empty configuration folder builds the list and saves it
    # there; the grader itself never imports matplotlib. Built aside and moved in whole, so
    # a process building it at the same time never reads half a file.
    work = tempfile.mkdtemp(prefix="build-", dir=folder)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "MPLBACKEND": BACKEND, "MPLCONFIGDIR": work,
           "LANG": "C.UTF-8"}
    try:
        subprocess.run([sys.executable, "-I", "-c", "import matplotlib.font_manager"], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=BUILD_SECONDS, check=True)
        built = sorted(glob.glob(os.path.join(work, "fontlist-v*.json")))
        if not built:
            log.warning("sandbox: matplotlib built no font list in %s", work)
            return None
        final = os.path.join(folder, os.path.basename(built[-1]))
        os.replace(built[-1], final)
        return final
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("sandbox: could not build matplotlib's font list (%s); each sandbox that "
                    "plots will build its own", exc)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def environment(config_inside: str) -> dict[str, str]:
    """What the sandbox's environment adds for matplotlib."""
    return {"MPLBACKEND": BACKEND, "MPLCONFIGDIR": config_inside}


def host_config(root: str, uid: int | None) -> str:
    """A configuration folder in the sandbox's own folder, holding a copy of the font list
    (the fallback's, and bubblewrap's when it cannot size a tmpfs)."""
    folder = os.path.join(root, "mplconfig")
    os.mkdir(folder, 0o700)
    fonts = font_list()
    if fonts is not None:
        shutil.copyfile(fonts, os.path.join(folder, os.path.basename(fonts)))
    if uid is not None:
        os.chown(folder, uid, uid)  # matplotlib insists on a folder it can write to
        os.chmod(folder, 0o711)     # and bwrap, binding it as root without CAP_DAC_OVERRIDE, must enter it
    return folder


def bwrap_config(root: str, uid: int | None, size_supported: bool) -> list[str]:
    """bwrap arguments giving the sandbox INSIDE_CONFIG, its configuration folder."""
    if not size_supported:
        return ["--bind", host_config(root, uid), INSIDE_CONFIG]
    args = ["--perms", "01777", "--size", str(CONFIG_BYTES), "--tmpfs", INSIDE_CONFIG]
    fonts = font_list()
    if fonts is not None:
        args += ["--ro-bind", fonts, f"{INSIDE_CONFIG}/{os.path.basename(fonts)}"]
    return args
