"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init
from .modules import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    Conv1d,
    Conv2d,
    ConvTranspose1d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    Fold,
    Linear,
    MaxPool1d,
    MaxPool2d,
    Module,
    ReLU,
    Sequential,
    Unflatten,
    Unfold,
)
from .parameter import Parameter

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AvgPool1d", "AvgPool2d",
           "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "Flatten", "Fold", "MaxPool1d", "MaxPool2d",
           "Unflatten", "Unfold",
           "Dropout", "Linear", "Module", "Parameter", "ReLU", "Sequential", "functional", "init"]
