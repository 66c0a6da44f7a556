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
from .container import Identity, ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module

__all__ = ["CELU", "Dropout", "ELU", "GELU", "Hardsigmoid", "Hardswish", "Hardtanh", "Identity", "LeakyReLU",
           "Linear", "Mish", "Module", "ModuleDict", "ModuleList", "PReLU", "ReLU", "ReLU6", "SELU", "Sequential",
           "SiLU", "Sigmoid", "Softplus", "Tanh"]
