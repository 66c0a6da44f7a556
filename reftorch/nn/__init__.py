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
    Identity,
    LeakyReLU,
    Linear,
    Mish,
    Module,
    ModuleDict,
    ModuleList,
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

__all__ = ["CELU", "Dropout", "ELU", "GELU", "Hardsigmoid", "Hardswish", "Hardtanh", "Identity", "LeakyReLU",
           "Linear", "Mish", "Module", "ModuleDict", "ModuleList", "PReLU", "Parameter", "ReLU", "ReLU6", "SELU",
           "Sequential", "SiLU", "Sigmoid", "Softplus", "Tanh", "functional", "init"]
