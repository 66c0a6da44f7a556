"""The module classes of ``torch.nn`` that reftorch builds."""

from .activation import ReLU
from .container import Sequential
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .fold import Fold, Unfold
from .linear import Linear
from .module import Module
from .pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AvgPool1d", "AvgPool2d",
           "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "Flatten", "Fold", "MaxPool1d", "MaxPool2d",
           "Unflatten", "Unfold",
           "Dropout", "Linear", "Module", "ReLU", "Sequential"]
