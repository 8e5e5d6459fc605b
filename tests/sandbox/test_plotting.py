"""Student code that plots: matplotlib inside both layers, Agg, nothing written outside."""

import glob
import os
import tempfile
import uuid

import numpy as np
import pytest

from autograder.sandbox import StudentRaised, isolation, plotting

from .conftest import LAYERS

pytestmark = pytest.mark.sandbox

PLOTTING = [("cell 1", """
import os, sys
import numpy as np
import matplotlib.pyplot as plt

def descend(x, lr, steps, picture):
    x = np.array(x, dtype=float)
    for i in range(steps):
        plt.scatter(x[0], x[1], s=4)
        plt.plot([i, i + 1], [x[0], x[1]])
        x -= lr * 2 * x
    plt.xlabel("x0")
    plt.title("gradient descent")
    plt.savefig(picture)
    plt.show()
    return x

def picture_header(name):
    with open(name, "rb") as fh:
        return fh.read(8)

def state():
    return {"files": sorted(os.listdir(".")), "config": sorted(os.listdir(os.environ["MPLCONFIGDIR"])),
            "backend": os.environ["MPLBACKEND"], "real": "matplotlib.figure" in sys.modules}
""")]

PNG = b"\x89PNG\r\n\x1a\n"
# Long enough that a real plotting call is never cut short by a busy machine.
SLOW_IMPORT = {"call_seconds": 60.0, "load_seconds": 60.0}


@pytest.mark.parametrize("layer", LAYERS)
def test_a_function_that_plots_while_it_computes_is_graded_normally(make_sandbox, layer):
    box = make_sandbox(isolation=layer, **SLOW_IMPORT)
    assert box.load(PLOTTING).ok
    got = box.module.descend([3.0, -4.0], 0.1, 20, "path.png")
    np.testing.assert_allclose(got, np.array([3.0, -4.0]) * 0.8 ** 20)
    assert box.module.picture_header("path.png") == PNG
    state = box.module.state()
    assert state["backend"] == "Agg" and state["real"]
    assert state["files"] == ["path.png"]
    # The grader's font list was read, not rebuilt, and nothing else was written there.
    assert state["config"] == [os.path.basename(plotting.font_list())]
    assert "warning" not in box.output().lower(), box.output()


@pytest.mark.parametrize("layer", LAYERS)
def test_importing_pyplot_costs_nothing_until_it_is_used(make_sandbox, layer):
    box = make_sandbox(isolation=layer, **SLOW_IMPORT)
    assert box.load(PLOTTING + [("cell 2", "from matplotlib import pyplot as also\n"
                                           "def same():\n    return also is plt\n")]).ok
    assert box.module.state()["real"] is False
    assert box.module.same() is True
    box.module.descend([1.0, 1.0], 0.5, 2, "p.png")
    assert box.module.state()["real"] is True


def test_a_misspelt_matplotlib_module_still_fails_at_its_import(make_sandbox):
    box = make_sandbox(isolation="bubblewrap")
    report = box.load([("cell 1", "import matplotlib.pyplott as plt\n")])
    assert [e.exc_type for e in report.block_errors] == ["ModuleNotFoundError"]


@pytest.mark.parametrize("layer", LAYERS)
def test_savefig_writes_only_in_the_sandboxs_own_folder(make_sandbox, layer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the grader's working folder: no picture may land here
    marker = f"plot-{uuid.uuid4().hex}"
    box = make_sandbox(isolation=layer, **SLOW_IMPORT)
    assert box.load(PLOTTING).ok
    box.module.descend([1.0, 2.0], 0.1, 3, f"{marker}.png")
    sandbox_root = box._proc.root
    found = [path for top in (tempfile.gettempdir(), str(tmp_path))
             for path in glob.glob(os.path.join(top, "**", f"{marker}*"), recursive=True)]
    assert [path for path in found if not path.startswith(sandbox_root + os.sep)] == []
    # Under bubblewrap the working folder is a tmpfs of the sandbox's own: not even its
    # folder on the host holds the picture.
    on_disk = layer == "fallback" or not isolation.bwrap_supports("--size")
    assert found == ([os.path.join(sandbox_root, "work", f"{marker}.png")] if on_disk else [])


def test_a_plot_that_fails_inside_student_code_is_the_students_error(make_sandbox):
    box = make_sandbox(isolation="bubblewrap", **SLOW_IMPORT)
    assert box.load(PLOTTING + [("cell 2", "def bad():\n    plt.plot([1, 2], [1, 2, 3])\n")]).ok
    with pytest.raises(StudentRaised) as info:
        box.module.bad()
    assert info.value.exc_type == "ValueError"
    assert "<cell 2>" in info.value.traceback and "matplotlib" not in info.value.traceback


def test_matplotlib_comes_with_what_it_requires_and_without_numpy_twice():
    names = {os.path.basename(path) for path in plotting.package_paths()}
    assert {"matplotlib", "mpl_toolkits", "PIL", "pyparsing", "cycler", "kiwisolver", "dateutil"} <= names
    assert "numpy" not in names and "__pycache__" not in names
    assert not any(name.endswith(".dist-info") for name in names)


@pytest.mark.parametrize("requirement, wanted", [
    ("numpy>=1.25", ["numpy"]),
    ("python-dateutil>=2.7", ["python-dateutil"]),
    ("importlib-resources>=3.2.0; python_version < '3.10'", ["importlib-resources"]),
    ("pytest; extra == 'dev'", []),
])
def test_requirements_are_read_without_their_extras(requirement, wanted):
    class Dist:
        requires = [requirement]
    assert plotting._required(Dist()) == wanted


def test_a_font_list_removed_under_the_grader_is_built_again():
    first = plotting.font_list()
    os.remove(first)
    second = plotting.font_list()
    assert second is not None and os.path.isfile(second)
