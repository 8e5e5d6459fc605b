"""Reference solutions for 'Deep Learning from Scratch' chapters 2-7, under the book's names.

`from reference import softmax` works for every graded item. Modules load on first use,
so importing one chapter's item does not pay for the others (the grader imports this
package for every submission).

Two book classes share the name TwoLayerNet: chapter 4's (sigmoid hidden layer, numerical
and analytic gradient) lives in `reference.ch04_two_layer_net`; the top-level name is
chapter 5's backprop network (`reference.two_layer_net`).
"""

from importlib import import_module

# name -> module that defines it, grouped by chapter.
_ITEMS = {
    # ch02 perceptron
    "AND": "perceptron", "NAND": "perceptron", "OR": "perceptron", "XOR": "perceptron",
    # ch03 activations and the 3-layer forward pass
    "step_function": "activations", "sigmoid": "activations", "relu": "activations",
    "identity_function": "activations", "softmax": "activations",
    "init_network": "three_layer_net", "forward": "three_layer_net",
    "predict": "three_layer_net", "accuracy": "three_layer_net",
    # ch04 losses, numerical differentiation, learning
    "mean_squared_error": "losses", "sum_squared_error": "losses",
    "cross_entropy_error": "losses",
    "numerical_diff": "gradient", "numerical_gradient": "gradient",
    "gradient_descent": "gradient",
    "simpleNet": "simple_net",
    # ch05 layers and the backprop network
    "MulLayer": "layers", "AddLayer": "layers", "Relu": "layers", "Sigmoid": "layers",
    "Affine": "layers", "SoftmaxWithLoss": "layers",
    "TwoLayerNet": "two_layer_net",
    # ch06 optimizers, initial scales, regularisation
    "SGD": "optimizers", "Momentum": "optimizers", "Nesterov": "optimizers",
    "AdaGrad": "optimizers", "RMSprop": "optimizers", "Adam": "optimizers",
    "he_std": "initializers", "xavier_std": "initializers",
    "BatchNormalization": "normalization", "Dropout": "normalization",
    "MultiLayerNet": "multi_layer_net", "MultiLayerNetExtend": "multi_layer_net",
    # ch07 convolution
    "conv_output_size": "im2col", "im2col": "im2col", "col2im": "im2col",
    "Convolution": "conv", "Pooling": "conv",
    "SimpleConvNet": "simple_convnet",
}

__all__ = sorted(_ITEMS)


def __getattr__(name):
    try:
        module = _ITEMS[name]
    except KeyError:
        raise AttributeError(f"module 'reference' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
