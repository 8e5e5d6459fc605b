"""Chapter 3: activation functions, softmax and the three-layer forward pass."""

from .activations import identity_function, relu, sigmoid, softmax, step_function
from .three_layer_net import accuracy, forward, init_network, predict

__all__ = ["step_function", "sigmoid", "relu", "identity_function", "softmax",
           "init_network", "forward", "predict", "accuracy"]
