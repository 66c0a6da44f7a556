"""``torch.utils``: hooks and data loading.

``data`` is imported on first access (``reftorch.utils.data`` or ``import reftorch.utils.data``): it
builds on the ``reftorch.*`` functions, which exist only once ``reftorch`` has finished importing, while
``hooks`` is needed while it imports.
"""

import importlib
from types import ModuleType

from . import hooks

__all__ = ["data", "hooks"]


def __getattr__(name: str) -> ModuleType:
    if name == "data":
        return importlib.import_module(".data", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
