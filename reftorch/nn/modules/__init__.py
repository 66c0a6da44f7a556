"""The module classes of ``torch.nn`` that reftorch builds."""

from .activation import ReLU
from .batchnorm import BatchNorm1d, BatchNorm2d
from .container import Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import GroupNorm, LayerNorm
from .sparse import Embedding

__all__ = ["Dropout", "Linear", "Module", "ReLU", "Sequential"]
__all__ += ["BatchNorm1d", "BatchNorm2d", "Embedding", "GroupNorm", "LayerNorm"]
