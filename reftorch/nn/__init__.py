"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init
from .modules import Linear, Module, ReLU, Sequential
from .parameter import Parameter

__all__ = ["Linear", "Module", "Parameter", "ReLU", "Sequential", "functional", "init"]
