"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init
from .modules import (
    CELU,
    ELU,
    GELU,
    SELU,
    Dropout,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    Linear,
    Mish,
    Module,
    PReLU,
    ReLU,
    ReLU6,
    Sequential,
    Sigmoid,
    SiLU,
    Softplus,
    Tanh,
)
from .parameter import Parameter

__all__ = ["CELU", "ELU", "GELU", "SELU", "Dropout", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "Linear",
           "Mish", "Module", "PReLU", "Parameter", "ReLU", "ReLU6", "Sequential", "SiLU", "Sigmoid", "Softplus",
           "Tanh", "functional", "init"]
