"""Chapter 7: im2col, convolution and pooling layers, and SimpleConvNet."""

from .conv import Convolution, Pooling
from .im2col import col2im, conv_output_size, im2col
from .simple_convnet import SimpleConvNet

__all__ = ["conv_output_size", "im2col", "col2im", "Convolution", "Pooling", "SimpleConvNet"]
