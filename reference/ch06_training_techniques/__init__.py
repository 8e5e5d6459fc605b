"""Chapter 6: optimizers, initial weight scales, batch normalization, dropout, and the
multi-layer networks that use them."""

from .initializers import he_std, xavier_std
from .multi_layer_net import MultiLayerNet, MultiLayerNetExtend
from .normalization import BatchNormalization, Dropout
from .optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "he_std", "xavier_std",
           "BatchNormalization", "Dropout", "MultiLayerNet", "MultiLayerNetExtend"]
