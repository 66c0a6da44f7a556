"""The module classes of ``torch.nn`` that reftorch builds."""

from .activation import ReLU
from .container import Sequential
from .linear import Linear
from .module import Module

__all__ = ["Linear", "Module", "ReLU", "Sequential"]
