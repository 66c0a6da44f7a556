"""The module classes of ``torch.nn`` that reftorch builds."""

from . import loss  # noqa: F401 - nn.modules.loss.X
from .activation import LogSoftmax, ReLU, Softmax, Softmin
from .container import Sequential
from .dropout import Dropout
from .linear import Linear
from .loss import *  # noqa: F403 - the loss modules
from .loss import __all__ as _losses
from .module import Module

__all__ = ["Dropout", "Linear", "LogSoftmax", "Module", "ReLU", "Sequential", "Softmax", "Softmin", *_losses]
