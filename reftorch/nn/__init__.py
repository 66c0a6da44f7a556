"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init
from .modules import (
    BatchNorm1d,
    BatchNorm2d,
    Dropout,
    Embedding,
    GroupNorm,
    LayerNorm,
    Linear,
    Module,
    ReLU,
    Sequential,
)
from .parameter import Parameter

__all__ = ["Dropout", "Linear", "Module", "Parameter", "ReLU", "Sequential", "functional", "init"]
__all__ += ["BatchNorm1d", "BatchNorm2d", "Embedding", "GroupNorm", "LayerNorm"]
