"""Chapter 5: backpropagation layers and the backprop TwoLayerNet."""

from .layers import Affine, AddLayer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from .two_layer_net import TwoLayerNet

__all__ = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "TwoLayerNet"]
