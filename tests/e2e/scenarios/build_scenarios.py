"""Rebuild the scenario notebooks from the perfect ch04 example, one hostile change each.

Run by hand after changing a scenario: `python tests/e2e/scenarios/build_scenarios.py`;
the notebooks and expected.json files it writes are committed.
"""
import json
import sys
import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
from nbformat.v3 import new_notebook as v3_notebook, new_worksheet, new_code_cell as v3_code_cell
from pathlib import Path

root = Path(__file__).resolve().parent
base_nb = nbformat.read(root.parents[2] / "examples" / "park_jiwoo_ch04.ipynb", as_version=4)
BASE = [c.source for c in base_nb.cells if c.cell_type == "code"]
IMPORTS, ACTS, MSE, CEE, NUMERIC, TIMEIT, SIMPLE, TWO, TRAIN = BASE

def stable(nb):
    for number, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{number}"  # stable ids: a rebuild changes only what changed
    return nb


def write(name, cells, expect, suffix=".ipynb", raw=None):
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        (d / f"submission{suffix}").write_bytes(raw)
    else:
        n = stable(new_notebook(cells=[new_code_cell(c) for c in cells]))
        n.metadata["dlfs"] = {"assignment": "ch04"}
        (d / "submission.ipynb").write_text(nbformat.writes(n), encoding="utf-8")
    (d / "expected.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

ALL = ["mean_squared_error", "cross_entropy_error", "numerical_diff", "numerical_gradient",
       "gradient_descent", "simpleNet", "TwoLayerNet"]
def others(*bad):
    return [i for i in ALL if i not in bad]

ND_HEAD = "def numerical_diff(f, x):\n"
def replace_numerical_diff(body):
    new = NUMERIC.replace("def numerical_diff(f, x):\n    h = 1e-4\n    return (f(x + h) - f(x - h)) / (2 * h)\n",
                          ND_HEAD + body)
    assert new != NUMERIC
    return new

write("loop_in_graded_function",
      [IMPORTS, ACTS, MSE, CEE, replace_numerical_diff("    while True:\n        pass\n"), SIMPLE, TWO],
      {"status": "graded", "full": others("numerical_diff"), "zero": ["numerical_diff"],
       "messages": {"numerical_diff": "time"}})
write("loop_at_top_level",
      [IMPORTS, ACTS, MSE, CEE, NUMERIC, "while True:\n    pass", SIMPLE, TWO],
      {"status": "graded", "full": ALL})
write("huge_allocation",
      [IMPORTS, ACTS, "big = np.zeros(10**11)",
       MSE.replace("def mean_squared_error(y, t):\n", "def mean_squared_error(y, t):\n    waste = np.ones((10**6, 10**6))\n"),
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"]})
write("monkeypatch_numpy",
      [IMPORTS, ACTS,
       "import numpy.testing\nnp.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\nnp.isclose = lambda a, b, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)",
       "def mean_squared_error(y, t):\n    np.allclose = lambda *a, **k: True\n    np.testing.assert_allclose = lambda *a, **k: None\n    np.array_equal = lambda *a, **k: True\n    return 0.0",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"]})
write("walk_filesystem",
      [IMPORTS, ACTS, CEE,
       "import os\n\ndef mean_squared_error(y, t):\n    found = []\n    for top in ('/',):\n        for dirpath, dirnames, filenames in os.walk(top):\n            for name in filenames:\n                if name in ('assignment.toml', 'gradcheck.py') or ({'reference', 'hidden'} & set(dirpath.split(os.sep)) and name.endswith('.py')):\n                    found.append(os.path.join(dirpath, name))\n            if len(found) > 50:\n                break\n    try:\n        import reference\n        found.append('import reference worked')\n    except Exception:\n        pass\n    print('FOUND', len(found), found[:5])\n    return 123.0",
       NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"],
       "output_contains": "FOUND 0 []", "limits": {"call_seconds": 20},
       "bubblewrap_only": "the fallback layer cannot hide world-readable files"})
write("exit_calls",
      [IMPORTS, ACTS,
       "import sys, os\n\ndef mean_squared_error(y, t):\n    sys.exit(0)",
       CEE, replace_numerical_diff("    import os\n    os._exit(0)\n"), SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error", "numerical_diff"),
       "zero": ["mean_squared_error", "numerical_diff"]})
write("fake_score_output",
      [IMPORTS, ACTS, CEE,
       "import json\n\ndef mean_squared_error(y, t):\n    print('============ 100 passed in 0.01s ============')\n    print(json.dumps({'score': 100, 'tests': []}))\n    print('Score: 100 / 100')\n    return 0.0",
       NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"]})
write("write_outside_directory",
      [IMPORTS, ACTS,
       "def mean_squared_error(y, t):\n    for target in ('/work/main/PWNED.txt', '../escaped.txt', '/tmp/dlfs_escape_marker.txt', '/root/escaped.txt'):\n        try:\n            with open(target, 'w') as fh:\n                fh.write('pwned')\n        except Exception:\n            pass\n    with open('scratch_inside.txt', 'w') as fh:\n        fh.write('a file in my own folder is fine')\n    return 0.5 * np.sum((y - t) ** 2)",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": ALL,
       "absent_files": ["/work/main/PWNED.txt", "/tmp/dlfs_escape_marker.txt", "/root/escaped.txt"],
       "bubblewrap_only": "the fallback layer cannot make /tmp read-only"})
write("spawn_processes",
      [IMPORTS, ACTS,
       "import os, subprocess\n\ndef mean_squared_error(y, t):\n    try:\n        subprocess.Popen(['sleep', '987654'])\n    except Exception:\n        pass\n    try:\n        if os.fork() == 0:\n            os.setsid()\n            if os.fork() == 0:\n                os.execvp('sleep', ['sleep', '987653'])\n            os._exit(0)\n    except Exception:\n        pass\n    return 0.5 * np.sum((y - t) ** 2)",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"),
       "no_process_matching": ["987654", "987653"]})
write("network_connect",
      [IMPORTS, ACTS,
       "import socket, os\n\ndef mean_squared_error(y, t):\n    port = int(os.environ.get('DLFS_PROBE_PORT', '47011'))\n    s = socket.socket()\n    s.settimeout(1)\n    s.connect(('127.0.0.1', port))\n    s.sendall(b'leak')\n    return 0.5 * np.sum((y - t) ** 2)",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"],
       "listen_port": 47011})
write("lying_ndarray_subclass",
      [IMPORTS,
       "class Liar(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(self.shape, dtype=bool)\n    def __array__(self, dtype=None, copy=None):\n        return np.full(self.shape, 0.1)\n    def __float__(self):\n        return 0.0\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\ndef softmax(x):\n    return np.zeros(np.shape(x)).view(Liar)",
       MSE,
       "def cross_entropy_error(y, t):\n    return np.zeros(()).view(Liar)",
       NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": ["mean_squared_error", "numerical_diff", "numerical_gradient", "gradient_descent"],
       "zero": ["cross_entropy_error"]})
write("segfault_ctypes",
      [IMPORTS, ACTS, MSE, CEE,
       replace_numerical_diff("    import ctypes\n    ctypes.string_at(0)\n"), SIMPLE, TWO],
      {"status": "graded", "full": others("numerical_diff"), "zero": ["numerical_diff"]})
write("input_call",
      [IMPORTS, ACTS,
       "def mean_squared_error(y, t):\n    answer = input('정답을 입력하세요: ')\n    return float(answer)",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": others("mean_squared_error"), "zero": ["mean_squared_error"]})
write("bare_except_swallows_timeout",
      [IMPORTS, ACTS, MSE, CEE,
       replace_numerical_diff("    import time\n    while True:\n        try:\n            time.sleep(0.5)\n        except:\n            pass\n"),
       SIMPLE, TWO],
      {"status": "graded", "full": others("numerical_diff"), "zero": ["numerical_diff"],
       "messages": {"numerical_diff": "time"}})
write("output_flood",
      [IMPORTS, ACTS,
       "def mean_squared_error(y, t):\n    print('x' * (50 * 1024 * 1024))\n    return 0.5 * np.sum((y - t) ** 2)",
       CEE, NUMERIC, SIMPLE, TWO],
      {"status": "graded", "full": ALL, "max_results_bytes": 400000})
write("invalid_json", None, {"status": "error", "error_code": "invalid_json"},
      raw=b'{"cells": [{"cell_type": "code",, "source": "def softmax(x): return x"}], "metadata": {}, "nbformat": 4}')
write("truncated_upload", None, {"status": "error", "error_code": "truncated"},
      raw=b'{"cells": [{"cell_type": "code", "source": "def softmax(x):\\n  return x"')
write("empty_notebook", None, {"status": "error", "error_code": "empty"},
      raw=nbformat.writes(new_notebook()).encode())
v3 = v3_notebook(worksheets=[new_worksheet(cells=[v3_code_cell(input=c) for c in [IMPORTS, ACTS, MSE, CEE, NUMERIC, SIMPLE, TWO]])])
write("nbformat_v3", None, {"status": "graded", "assignment": "ch04", "full": ALL},
      raw=nbformat.v3.writes_json(v3).encode() if hasattr(nbformat.v3, "writes_json") else nbformat.writes(v3, version=3).encode())
write("python_file", None, {"status": "graded", "assignment": "ch04", "full": ALL},
      suffix=".py", raw=("# %%\n" + "\n\n# %%\n".join([IMPORTS, ACTS, MSE, CEE, NUMERIC, SIMPLE, TWO]) + "\n").encode())
write("cp949_encoded",
      None, {"status": "graded", "assignment": "ch04", "full": ALL},
      raw=nbformat.writes(stable(new_notebook(cells=[new_markdown_cell("# 4장 과제 - 한글 주석")] + [new_code_cell(c) for c in [IMPORTS, "# 활성화 함수\n" + ACTS, MSE, CEE, NUMERIC, SIMPLE, TWO]]))).encode("cp949"))

# --- cells that break the parser, definitions inside blocks, objects posing as arrays ---

def indented(source, by="    "):
    return "".join(by + line + "\n" if line.strip() else "\n" for line in source.splitlines())

def escaped_notebook(cells, assignment="ch04"):
    """JSON with \\u escapes: a lone surrogate survives only this way (nbformat writes it raw)."""
    n = stable(new_notebook(cells=[new_code_cell(c) for c in cells]))
    n.metadata["dlfs"] = {"assignment": assignment}
    return (json.dumps(n, ensure_ascii=True, indent=1, sort_keys=True) + "\n").encode("ascii")

write("deep_expression_cell",
      [IMPORTS, ACTS, MSE, CEE, NUMERIC,
       "x = " + "+".join(["1"] * 1200),
       "y = " + "-" * 50_000 + "1",
       "def mean_squared_error(y, t):\n    return " + " + ".join(["(y - t)"] * 1200) + "\n",
       SIMPLE, TWO],
      {"status": "graded", "assignment": "ch04", "full": ALL})
write("lone_surrogate_cell", None, {"status": "graded", "assignment": "ch04", "full": ALL},
      raw=escaped_notebook([IMPORTS, ACTS, MSE, CEE, NUMERIC, SIMPLE, TWO,
                            'NAME = "\ud800"\n\ndef mean_squared_error(y, t):\n    return 0.0\n']))
# Just over the 100 KB cap for one cell, so the committed notebook stays near 110 KB;
# an 8 MB literal is built on the fly in tests/ingest/test_hostile_cells.py.
write("huge_literal_cell",
      [IMPORTS, ACTS, MSE, CEE, NUMERIC,
       "def mean_squared_error(y, t):\n    return 0.0\n\nW = [" + ", ".join(["0.125"] * 15_000) + "]\n",
       SIMPLE, TWO],
      {"status": "graded", "assignment": "ch04", "full": ALL})
write("definitions_in_blocks",
      ["try:\n    import cupy as np\nexcept ImportError:\n    import numpy as np\n    print('numpy instead of cupy')\n",
       "if True:\n" + indented(ACTS),
       "with np.errstate(all='ignore'):\n" + indented(MSE),
       CEE,
       "try:\n" + indented(NUMERIC) + "except NameError:\n    pass\n",
       SIMPLE,
       "if 1:\n" + indented(TWO),
       "if __name__ == '__main__':\n    net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)\n"
       "    mean_squared_error = None\n    while True:\n        pass\n"],
      {"status": "graded", "assignment": "ch04", "full": ALL})
CH03 = [c.source for c in nbformat.read(root.parents[2] / "examples" / "kim_minsu_ch03.ipynb", as_version=4).cells
        if c.cell_type == "code"]
CH03_ITEMS = ["step_function", "sigmoid", "relu", "identity_function", "softmax", "forward", "predict", "accuracy"]
FAKE_INIT = ("class FakeArray:\n    def __init__(self, shape):\n        self.shape = shape\n"
             "        self.dtype = np.dtype('float64')\n\n    def __array__(self, dtype=None, copy=None):\n"
             "        return np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])\n\n"
             "def init_network():\n    shapes = {'W1': (2, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,), 'W3': (2, 2), 'b3': (2,)}\n"
             "    return {key: FakeArray(shape) for key, shape in shapes.items()}\n")
FORWARD = "def forward" + CH03[5].split("def forward", 1)[1]  # the cell after its init_network
fake = stable(new_notebook(cells=[new_code_cell(c) for c in CH03[:5] + [FAKE_INIT, FORWARD] + CH03[6:]]))
fake.metadata["dlfs"] = {"assignment": "ch03"}
write("fake_shape_object", None,
      {"status": "graded", "assignment": "ch03", "full": CH03_ITEMS, "zero": ["init_network"],
       "messages": {"init_network": "fakearray"}},
      raw=nbformat.writes(fake).encode("utf-8"))

# --- student code that plots while it computes ---

DESCENT_LOOP = "    for i in range(step_num):\n        x -= lr * numerical_gradient(f, x)\n"
assert DESCENT_LOOP in NUMERIC
write("plots_in_graded_function",
      [IMPORTS, ACTS, MSE, CEE,
       NUMERIC.replace(DESCENT_LOOP,
                       "    for i in range(step_num):\n"
                       "        plt.scatter(x[0], x[1], s=4, c='b')\n"
                       "        x -= lr * numerical_gradient(f, x)\n"
                       "    plt.plot([-3, 3], [0, 0], '--')\n"
                       "    plt.xlabel('X0')\n"
                       "    plt.ylabel('X1')\n"
                       "    plt.savefig('gradient_path.png')\n"
                       "    plt.show()\n"),
       SIMPLE, TWO],
      # The first call that plots imports matplotlib for real: room for a busy machine.
      {"status": "graded", "assignment": "ch04", "full": ALL, "limits": {"call_seconds": 20}})

# --- a test of one item failing inside another graded item ---

CEE_1D_RESHAPE = ("    if y.ndim == 1:\n        t = t.reshape(1, t.size)\n        y = y.reshape(1, y.size)\n")
assert CEE_1D_RESHAPE in CEE
write("root_cause_in_other_item",
      # Without the book's reshape, a single sample's one-hot t has no axis 1: argmax raises
      # inside cross_entropy_error, and simpleNet.loss([0.6, 0.9], ...) with it.
      [IMPORTS, ACTS, MSE, CEE.replace(CEE_1D_RESHAPE, ""), NUMERIC, SIMPLE, TWO],
      {"status": "graded", "assignment": "ch04", "full": others("cross_entropy_error", "simpleNet"),
       "messages": {"simpleNet": "another graded item: fix `cross_entropy_error` first"}})

# --- notebooks that compute nothing (their sources: tests/grading/nothing.py) ---

sys.path.insert(0, str(root.parents[2]))
from tests.grading.nothing import NOTHING  # noqa: E402

for name, (chapter, source) in sorted(NOTHING.items()):
    nothing = stable(new_notebook(cells=[new_code_cell(source.strip() + "\n")]))
    nothing.metadata["dlfs"] = {"assignment": chapter}
    write(f"computes_nothing_{name.split('_', 1)[1]}_{chapter}", None,
          {"status": "graded", "assignment": chapter, "max_percent": 12,
           "unpaid_tests": ["own_forward", "own_loss", "learns_digits"],
           "limits": {"call_seconds": 10, "submission_seconds": 240}},
          raw=nbformat.writes(nothing).encode("utf-8"))
