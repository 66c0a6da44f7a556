"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init
from .modules import Dropout, Linear, LogSoftmax, Module, ReLU, Sequential, Softmax, Softmin  # noqa: F401
from .modules.loss import *  # noqa: F403 - the loss modules
from .modules.loss import __all__ as _losses
from .parameter import Parameter

__all__ = ["Dropout", "Linear", "LogSoftmax", "Module", "Parameter", "ReLU", "Sequential", "Softmax", "Softmin",
           "functional", "init", *_losses]
