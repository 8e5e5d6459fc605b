"""Chapter 7's hidden suite: full marks for the reference and for a student who follows the
book (zero-padded pooling, the layer's stride=1 default, the book's accuracy loop); each
classic bug, written as students write it in the book's code, fails exactly the tests it
should, with its hint."""

import shutil
import types

import numpy as np
import pytest

from autograder.assignment import load_assignment
from autograder.feedback import msg
from autograder.grading.outcome import TestStatus
from autograder.grading.runner import run_hidden_suite
from autograder.grading.student import StudentView
from reference import ch05_backprop, ch07_cnn

from .said import said, titled

pytestmark = [pytest.mark.sandbox, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

CH07 = load_assignment("ch07")
ITEMS = ("im2col", "col2im", "Convolution", "Pooling", "SimpleConvNet")

# --- a student who follows the book, item by item, in the book's API ------------------

BOOK_IM2COL = """
def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    oh = (H + 2 * pad - filter_h) // stride + 1
    ow = (W + 2 * pad - filter_w) // stride + 1
    padded = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], 'constant')
    cols = np.zeros((N, C, filter_h, filter_w, oh, ow))
    for i in range(filter_h):
        for j in range(filter_w):
            cols[:, :, i, j, :, :] = padded[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(N * oh * ow, -1)
"""

BOOK_COL2IM = """
def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    oh = (H + 2 * pad - filter_h) // stride + 1
    ow = (W + 2 * pad - filter_w) // stride + 1
    cols = col.reshape(N, oh, ow, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for i in range(filter_h):
        for j in range(filter_w):
            img[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += cols[:, :, i, j, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]
"""

BOOK_CONVOLUTION = """
class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x = None
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        oh = (H + 2 * self.pad - FH) // self.stride + 1
        ow = (W + 2 * self.pad - FW) // self.stride + 1
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, oh, ow, -1).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)
"""

BOOK_POOLING = """
class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        # The book's own lines: the output size leaves pad out (it never pools with padding).
        oh = int(1 + (H - self.pool_h) / self.stride)
        ow = int(1 + (W - self.pool_w) / self.stride)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        self.arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, oh, ow, C).transpose(0, 3, 1, 2)
        self.x = x
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
"""

BOOK_SIMPLE_CONVNET = """
from collections import OrderedDict

class SimpleConvNet:
    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                 hidden_size=100, output_size=10, weight_init_std=0.01):
        fn, fs = conv_param['filter_num'], conv_param['filter_size']
        pad, stride = conv_param['pad'], conv_param['stride']
        size = input_dim[1]
        conv_out = (size - fs + 2 * pad) / stride + 1
        pool_out = int(fn * (conv_out / 2) * (conv_out / 2))
        self.params = {
            'W1': weight_init_std * np.random.randn(fn, input_dim[0], fs, fs),
            'b1': np.zeros(fn),
            'W2': weight_init_std * np.random.randn(pool_out, hidden_size),
            'b2': np.zeros(hidden_size),
            'W3': weight_init_std * np.random.randn(hidden_size, output_size),
            'b3': np.zeros(output_size),
        }
        self.layers = OrderedDict()
        self.layers['Conv1'] = Convolution(self.params['W1'], self.params['b1'], stride, pad)
        self.layers['Relu1'] = Relu()
        self.layers['Pool1'] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers['Affine1'] = Affine(self.params['W2'], self.params['b2'])
        self.layers['Relu2'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W3'], self.params['b3'])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t, batch_size=100):
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        hits = 0.0
        for i in range(int(x.shape[0] / batch_size)):
            part = slice(i * batch_size, (i + 1) * batch_size)
            hits += np.sum(np.argmax(self.predict(x[part]), axis=1) == t[part])
        return hits / x.shape[0]

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads = {}
        grads['W1'], grads['b1'] = self.layers['Conv1'].dW, self.layers['Conv1'].db
        grads['W2'], grads['b2'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W3'], grads['b3'] = self.layers['Affine2'].dW, self.layers['Affine2'].db
        return grads
"""

BOOK = {"im2col": BOOK_IM2COL, "col2im": BOOK_COL2IM, "Convolution": BOOK_CONVOLUTION,
        "Pooling": BOOK_POOLING, "SimpleConvNet": BOOK_SIMPLE_CONVNET}

# What a chapter-7 notebook takes from chapter 5 (not graded here).
LAYERS = {name: getattr(ch05_backprop, name) for name in ("Relu", "Affine", "SoftmaxWithLoss")}


def _compile(source: str, namespace: dict) -> dict:
    exec(compile(source, "<student>", "exec"), namespace)
    return namespace


def book_notebook() -> types.ModuleType:
    """Every item from the book-style sources, in one namespace, as one notebook."""
    namespace = {"np": np, **LAYERS}
    for source in BOOK.values():
        _compile(source, namespace)
    module = types.ModuleType("student_submission")
    for name in ITEMS:
        setattr(module, name, namespace[name])
    return module


def with_one_item(name: str, source: str) -> types.ModuleType:
    """The reference's items, with `name` compiled from `source` on top of the reference's
    helpers: one item's bug, and nothing else of the student's."""
    module = types.ModuleType("student_submission")
    for item in ITEMS:
        setattr(module, item, getattr(ch07_cnn, item))
    helpers = {"np": np, **LAYERS, **{item: getattr(ch07_cnn, item) for item in ITEMS}}
    setattr(module, name, _compile(source, helpers)[name])
    return module


def bug(name: str, old: str, new: str) -> str:
    source = BOOK[name]
    assert source.count(old) == 1, f"{old!r} is not in the book-style {name} exactly once"
    return source.replace(old, new)


SUITE_FILE = {"im2col": "test_im2col.py", "col2im": "test_col2im.py",
              "Convolution": "test_convolution.py", "Pooling": "test_pooling.py",
              "SimpleConvNet": "test_simple_convnet.py"}


def grade(module, suite_dir=CH07.suite_dir):
    return run_hidden_suite(suite_dir, StudentView(module), reference=CH07.package)


def grade_item(module, name, tmp_path):
    """Only `name`'s file of the suite: with one item the student's and the rest the
    reference's (which never call the student's items), no other test can fail, and
    skipping them keeps each case fast."""
    suite = tmp_path / "hidden"
    suite.mkdir()
    shutil.copy(CH07.suite_dir / SUITE_FILE[name], suite)
    return grade(module, suite)


def not_passed(outcomes):
    return {o.test_id.split("::")[1]: o for o in outcomes if o.status is not TestStatus.PASSED}


# --- full marks -------------------------------------------------------------------------

def test_reference_gets_full_marks():
    module = types.ModuleType("student_submission")
    for name in ITEMS:
        setattr(module, name, getattr(ch07_cnn, name))
    outcomes = grade(module)
    assert not_passed(outcomes) == {}
    assert 30 <= len(outcomes) <= 40
    assert sum(o.max_points for o in outcomes) % 10 == 0
    # Every graded item is tested, and every test grades a declared item (conv_output_size
    # is deliberately not one: see assignment.toml).
    assert {o.item for o in outcomes} == set(CH07.items) == set(ITEMS)
    assert all(titled(o) for o in outcomes)


def test_a_student_who_follows_the_book_gets_full_marks():
    """Zero-padded pooling, Pooling's stride=1 default, int(...) pool size, the book's
    accuracy loop: all accepted."""
    assert not_passed(grade(book_notebook())) == {}


# --- classic bugs: exactly these tests fail; those comparing with the reference hint -----

def assert_fails(name, source, failing, hinted, hint, tmp_path):
    bad = not_passed(grade_item(with_one_item(name, source), name, tmp_path))
    assert set(bad) == failing
    for test, outcome in bad.items():
        assert outcome.status is TestStatus.FAILED and outcome.item == name, (test, said(outcome.feedback))
        if test in hinted:
            assert outcome.hint == msg(f"hint.{hint}"), (test, outcome.hint)


IM2COL_VALUES = {"test_values", "test_stride", "test_pad", "test_non_square_filter_stride_and_pad"}


@pytest.mark.parametrize("name, old, new, failing, hinted, hint", [
    ("im2col", ".transpose(0, 4, 5, 1, 2, 3)", "", IM2COL_VALUES, IM2COL_VALUES,
     "im2col_no_transpose"),
    ("im2col", ".transpose(0, 4, 5, 1, 2, 3)", ".transpose(0, 4, 5, 2, 3, 1)", IM2COL_VALUES,
     IM2COL_VALUES, "im2col_column_order"),
    ("im2col", ".transpose(0, 4, 5, 1, 2, 3)", ".transpose(0, 5, 4, 1, 2, 3)", IM2COL_VALUES,
     IM2COL_VALUES, "im2col_row_order"),
    ("col2im", "] += cols[", "] = cols[",
     {"test_overlaps_are_summed", "test_ones_count_the_windows", "test_stride", "test_pad"},
     {"test_overlaps_are_summed", "test_ones_count_the_windows", "test_stride", "test_pad"},
     "col2im_overwrite"),
    # The book's canvas has stride - 1 extra rows and columns, so uncropped it is too big
    # even without padding; only the padded one is recognised.
    ("col2im", "return img[:, :, pad:H + pad, pad:W + pad]", "return img",
     {"test_pad", "test_stride", "test_non_overlapping_windows_give_the_image_back"},
     {"test_pad"}, "col2im_no_crop"),
    ("Convolution", "np.dot(col, col_W) + self.b", "np.dot(col, col_W)",
     {"test_book_example", "test_forward_batch", "test_forward_stride_and_pad",
      "test_state_across_calls", "test_backward_dW_db_match_own_forward"},
     {"test_book_example", "test_forward_batch", "test_forward_stride_and_pad"}, "conv_no_bias"),
    ("Convolution", "out.reshape(N, oh, ow, -1).transpose(0, 3, 1, 2)", "out.reshape(N, -1, oh, ow)",
     {"test_forward_batch", "test_forward_stride_and_pad", "test_state_across_calls",
      "test_backward_dx_matches_own_forward", "test_backward_dW_db_match_own_forward"},
     {"test_forward_batch", "test_forward_stride_and_pad"}, "conv_output_order"),
    # A flipped filter: dx is still right for the student's own forward, dW is not.
    ("Convolution", "col_W = self.W.reshape(FN, -1).T", "col_W = self.W[:, :, ::-1, ::-1].reshape(FN, -1).T",
     {"test_book_example", "test_forward_batch", "test_forward_stride_and_pad",
      "test_state_across_calls", "test_backward_dx", "test_backward_stride_and_pad",
      "test_backward_dW_db_match_own_forward"},
     {"test_book_example", "test_forward_batch", "test_forward_stride_and_pad"}, "conv_flipped"),
    ("Convolution", "self.dW.transpose(1, 0).reshape", "self.dW.reshape",
     {"test_backward_dW_db", "test_backward_dW_db_match_own_forward", "test_backward_stride_and_pad"},
     {"test_backward_dW_db", "test_backward_stride_and_pad"}, "conv_dw_no_transpose"),
    ("Convolution", "self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout, axis=1)",
     {"test_backward_dW_db", "test_backward_dW_db_match_own_forward", "test_backward_stride_and_pad"},
     {"test_backward_dW_db", "test_backward_stride_and_pad"}, "conv_db_axis"),
    ("Convolution", "dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)\n        self.db = np.sum(dout, axis=0)",
     "self.db = np.sum(dout, axis=0)\n        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)",
     {"test_backward_dW_db", "test_backward_dW_db_match_own_forward", "test_backward_stride_and_pad"},
     {"test_backward_dW_db", "test_backward_stride_and_pad"}, "conv_db_4d"),
    ("Convolution", "dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)", "dout = dout.reshape(-1, FN)",
     {"test_backward_dx", "test_backward_dW_db", "test_backward_dx_matches_own_forward",
      "test_backward_dW_db_match_own_forward", "test_backward_stride_and_pad",
      "test_state_across_calls"},
     {"test_backward_dx", "test_backward_dW_db", "test_backward_stride_and_pad"}, "conv_dout_order"),
    ("Pooling", "out = np.max(col, axis=1)", "out = np.mean(col, axis=1)",
     {"test_book_example", "test_forward_batch", "test_forward_overlapping_windows",
      "test_backward_matches_own_forward", "test_state_across_calls"},
     {"test_book_example", "test_forward_batch", "test_forward_overlapping_windows"}, "pool_mean"),
    ("Pooling", "out.reshape(N, oh, ow, C).transpose(0, 3, 1, 2)", "out.reshape(N, C, oh, ow)",
     {"test_forward_batch", "test_forward_overlapping_windows", "test_backward_matches_own_forward",
      "test_state_across_calls"},
     {"test_forward_batch", "test_forward_overlapping_windows"}, "pool_channel_order"),
    ("Pooling", "dmax[np.arange(self.arg_max.size), self.arg_max.flatten()]", "dmax[:, 0]",
     {"test_backward", "test_backward_matches_own_forward", "test_backward_overlapping_windows_add_up",
      "test_backward_3x3_stride_2", "test_state_across_calls"},
     {"test_backward", "test_backward_overlapping_windows_add_up", "test_backward_3x3_stride_2"},
     "pool_bwd_first"),
    ("Pooling", "dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()",
     "dmax[:] = dout.reshape(-1, 1) / size",
     {"test_backward", "test_backward_matches_own_forward", "test_backward_overlapping_windows_add_up",
      "test_backward_3x3_stride_2", "test_state_across_calls"},
     {"test_backward", "test_backward_overlapping_windows_add_up", "test_backward_3x3_stride_2"},
     "pool_bwd_mean"),
    ("Pooling", "        dout = dout.transpose(0, 2, 3, 1)\n", "",
     {"test_backward", "test_backward_matches_own_forward", "test_backward_overlapping_windows_add_up",
      "test_backward_3x3_stride_2", "test_state_across_calls"},
     {"test_backward", "test_backward_overlapping_windows_add_up", "test_backward_3x3_stride_2"},
     "pool_dout_order"),
    ("SimpleConvNet", "grads['W2'], grads['b2'] = self.layers['Affine1']",
     "grads['W2'], grads['b2'] = self.layers['Affine2']",
     {"test_gradient", "test_gradient_matches_own_loss", "test_learns_digits"}, {"test_gradient"},
     "convnet_grad_keys"),
], ids=["im2col-no-transpose", "im2col-channels-last", "im2col-rows-swapped", "col2im-overwrite",
        "col2im-no-crop", "conv-no-bias", "conv-output-order", "conv-flipped", "conv-dW-no-transpose",
        "conv-db-axis", "conv-db-before-reshape", "conv-dout-order", "pool-mean",
        "pool-channel-order", "pool-backward-first", "pool-backward-mean", "pool-dout-order",
        "convnet-grad-keys"])
def test_classic_bug(name, old, new, failing, hinted, hint, tmp_path):
    assert_fails(name, bug(name, old, new), failing, hinted, hint, tmp_path)


def test_convolution_without_padding_support_fails_only_the_pad_tests(tmp_path):
    """One limitation is charged once: a layer that ignores pad loses the pad tests only."""
    source = bug("Convolution", "col = im2col(x, FH, FW, self.stride, self.pad)",
                 "col = im2col(x, FH, FW, self.stride)")
    bad = not_passed(grade_item(with_one_item("Convolution", source), "Convolution", tmp_path))
    assert set(bad) == {"test_forward_stride_and_pad", "test_backward_stride_and_pad"}


@pytest.mark.parametrize("name, old, new, padded", [
    ("im2col", "def im2col(input_data, filter_h, filter_w, stride=1, pad=0):",
     "def im2col(input_data, filter_h, filter_w, stride=1):\n    pad = 0",
     {"test_pad", "test_non_square_filter_stride_and_pad"}),
    ("col2im", "def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):",
     "def col2im(col, input_shape, filter_h, filter_w, stride=1):\n    pad = 0", {"test_pad"}),
    ("Convolution", "def __init__(self, W, b, stride=1, pad=0):",
     "def __init__(self, W, b, stride=1):\n        pad = 0",
     {"test_forward_stride_and_pad", "test_backward_stride_and_pad"}),
    ("Pooling", "def __init__(self, pool_h, pool_w, stride=1, pad=0):",
     "def __init__(self, pool_h, pool_w, stride=1):\n        pad = 0", set()),
], ids=["im2col", "col2im", "Convolution", "Pooling"])
def test_a_missing_pad_parameter_costs_only_the_cases_that_pad(name, old, new, padded, tmp_path):
    """Tests pass only the optional arguments they need: written without `pad`, an item
    keeps every point of its unpadded cases (Pooling, never padded in the book, all)."""
    outcomes = grade_item(with_one_item(name, bug(name, old, new)), name, tmp_path)
    assert set(not_passed(outcomes)) == padded
    assert sum(o.points for o in outcomes) > 0


def test_the_books_pooling_typed_verbatim_gets_full_marks(tmp_path):
    """The book's Pooling computes its output size without pad: graded alike (no test pads)."""
    assert "int(1 + (H - self.pool_h) / self.stride)" in BOOK_POOLING
    assert not_passed(grade_item(with_one_item("Pooling", BOOK_POOLING), "Pooling", tmp_path)) == {}


def test_a_backward_that_raises_loses_the_backward_tests_only(tmp_path):
    source = bug("Convolution", "return col2im(dcol, self.x.shape", "return im2col(dcol, self.x.shape")
    bad = not_passed(grade_item(with_one_item("Convolution", source), "Convolution", tmp_path))
    assert set(bad) == {"test_backward_dx", "test_backward_dW_db", "test_backward_dx_matches_own_forward",
                        "test_backward_dW_db_match_own_forward", "test_backward_stride_and_pad",
                        "test_state_across_calls"}


class UnshiftedSoftmaxWithLoss(ch05_backprop.SoftmaxWithLoss):
    """The notebook's own layer (not graded in chapter 7) with a softmax without max shift."""

    def forward(self, x, t):
        e = np.exp(x)
        self.t, self.y = np.asarray(t), e / e.sum(axis=1, keepdims=True)
        onehot = self.t if self.t.size == self.y.size else np.eye(x.shape[1])[self.t]
        self.loss = -np.sum(onehot * np.log(self.y + 1e-7)) / x.shape[0]
        return self.loss


def test_an_unstable_softmax_under_the_convnet_is_charged_at_the_convnet(tmp_path):
    """SoftmaxWithLoss is not an item of chapter 7: its overflow on confident scores is
    SimpleConvNet's, and costs the confident-loss test (it passed before)."""
    namespace = {"np": np, **LAYERS, "SoftmaxWithLoss": UnshiftedSoftmaxWithLoss}
    for name in ("im2col", "col2im", "Convolution", "Pooling", "SimpleConvNet"):
        _compile(BOOK[name], namespace)
    module = types.ModuleType("student_submission")
    for name in ITEMS:
        setattr(module, name, namespace[name])
    bad = not_passed(grade_item(module, "SimpleConvNet", tmp_path))
    assert set(bad) == {"test_loss_confident"}
    assert bad["test_loss_confident"].hint == msg("hint.softmax_overflow")
