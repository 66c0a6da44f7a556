"""``torch.nn``: modules, parameters, initialisers and functional forms (the part reftorch builds)."""

from . import functional, init, utils  # noqa: F401 - utils: an attribute of torch.nn, not in its __all__
from .modules import *  # noqa: F403 - torch.nn re-exports every class of torch.nn.modules
from .modules import __all__ as _module_classes
from .parameter import Parameter

__all__ = [*_module_classes, "Parameter", "functional", "init"]
