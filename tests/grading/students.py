"""Student stand-ins for grading tests: the reference under book names, and buggy variants.

In grading, student code runs in the sandbox and a call that raises arrives as a
StudentRaised; `Sandboxed` reproduces that in-process so the plugin sees what it would see.
"""

import traceback
import types

import numpy as np

from reference import ch03_neural_networks, ch04_training
from autograder.sandbox.errors import StudentRaised

CH03 = ["step_function", "sigmoid", "relu", "identity_function", "softmax",
        "init_network", "forward", "predict", "accuracy"]
CH04 = ["mean_squared_error", "cross_entropy_error", "numerical_diff", "numerical_gradient",
        "gradient_descent", "simpleNet"]


def reference_student(**overrides) -> types.ModuleType:
    """A module holding the reference's items (chapter 4's TwoLayerNet) plus `overrides`."""
    module = types.ModuleType("student_submission")
    for name in CH03 + CH04:
        setattr(module, name, getattr(ch03_neural_networks if name in CH03 else ch04_training, name))
    module.TwoLayerNet = ch04_training.TwoLayerNet
    for name, value in overrides.items():
        setattr(module, name, value)
    return module


def define(source: str, name: str):
    """Compile a student's function from source, as ingest would hand it over."""
    namespace = {"np": np}
    exec(compile(source, "<student>", "exec"), namespace)
    return namespace[name]


class Sandboxed:
    """Wraps a module so that an exception inside a call surfaces as StudentRaised."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        target = getattr(self._module, name)
        if not callable(target):
            return target

        def call(*args, **kwargs):
            try:
                return target(*args, **kwargs)
            except Exception as exc:
                raise StudentRaised(f"{name}(...)", type(exc).__name__, str(exc),
                                    traceback.format_exc()) from None
        return call
