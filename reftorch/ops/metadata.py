"""Metadata methods that take arguments, parsed as torch parses them: ``size(dim=None)`` and
``stride(dim=None)`` (torch/csrc/autograd/python_variable_methods.cpp). The argument-free ones (``dim``,
``numel``, ``storage_offset``...) live in the Tensor class body."""

from __future__ import annotations

from .._size import Size
from .._tensor import Tensor
from ._util import wrap_dim
from .registry import register


def _dim(self: Tensor, dim: int) -> int:
    """A dim for ``size(d)``/``stride(d)``; a zero-dim tensor has none (torch's own message)."""
    if not self._shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return wrap_dim(dim, len(self._shape))


@register("size", "size(Tensor self, int64_t? dim=None)", composite=True, function=False)
def size(self: Tensor, dim: int | None = None) -> Size | int:
    """``size()`` is the shape; ``size(d)`` the length of dim ``d`` (negative dims allowed)."""
    return Size(self._shape) if dim is None else self._shape[_dim(self, dim)]


@register("stride", "stride(Tensor self, int64_t? dim=None)", composite=True, function=False)
def stride(self: Tensor, dim: int | None = None) -> tuple[int, ...] | int:
    """Element strides (``stride(d)`` for one dim)."""
    return self._stride if dim is None else self._stride[_dim(self, dim)]
