"""``torch.utils``: hooks (and, later, data loading)."""

from . import hooks

__all__ = ["hooks"]
