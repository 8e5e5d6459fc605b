"""Chapter 4: loss functions, numerical differentiation, gradient descent, and the
two-layer network trained by numerical gradients (this chapter's TwoLayerNet)."""

from .gradient import gradient_descent, numerical_diff, numerical_gradient
from .losses import cross_entropy_error, mean_squared_error, sum_squared_error
from .simple_net import simpleNet
from .two_layer_net import TwoLayerNet

__all__ = ["mean_squared_error", "sum_squared_error", "cross_entropy_error", "numerical_diff",
           "numerical_gradient", "gradient_descent", "simpleNet", "TwoLayerNet"]
