"""The module classes of ``torch.nn`` that reftorch builds."""

from .activation import ReLU
from .container import Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module

__all__ = ["Dropout", "Linear", "Module", "ReLU", "Sequential"]
