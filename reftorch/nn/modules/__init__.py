"""The module classes of ``torch.nn`` that reftorch builds."""

from .activation import (
    CELU,
    ELU,
    GELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softplus,
    Tanh,
)
from .container import Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module

__all__ = ["CELU", "ELU", "GELU", "SELU", "Dropout", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "Linear",
           "Mish", "Module", "PReLU", "ReLU", "ReLU6", "Sequential", "SiLU", "Sigmoid", "Softplus", "Tanh"]
