"""Derivatives of the view and copy ops (names and formulas as torch's derivatives.yaml).

Shape-only views send the gradient back through the inverse view; views that pick a region
(select, slice, diagonal) write the gradient into zeros of the input's shape; views whose elements
may overlap (unfold, as_strided) add every position's gradient into the element it reads, so
overlapping windows accumulate. In-place metadata ops (``t_``, ``squeeze_``...) have their own node
names and the same formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ... import _dtype as D
from ..._arrays import from_array
from ..._strides import contiguous_strides
from ..._tensor import Tensor
from ...ops.registry import call
from ...ops.views import split_sections, unfolded_geometry
from . import define
from .helpers import sum_to, t


def inverse_permutation(dims: Sequence[int], ndim: int) -> tuple[int, ...]:
    inverse = [0] * ndim
    for i, d in enumerate(dims):
        inverse[d % ndim if ndim else 0] = i
    return tuple(inverse)


def embed(grad: Tensor, shape: tuple[int, ...], region: Callable[[Tensor], Tensor]) -> Tensor:
    """Zeros of ``shape`` with ``grad`` written into the region ``region(zeros)`` views (torch's
    ``select_backward``/``slice_backward``/``diagonal_backward``)."""
    result = grad.new_zeros(shape)
    region(result).copy_(grad)
    return result


def _flat_positions(xp: Any, shape: tuple, stride: tuple, offset: int) -> Any:
    """The storage position each element of a strided view reads, as an int64 array of ``shape``."""
    index = xp.full(shape, offset, dtype="int64")
    for d, (n, s) in enumerate(zip(shape, stride)):
        index = index + (xp.arange(n, dtype="int64") * s).reshape((n,) + (1,) * (len(shape) - d - 1))
    return index


def index_tensor(grad: Tensor, positions: Any) -> Tensor:
    """Flat int64 positions as a 1-D index tensor on ``grad``'s device."""
    return from_array(positions.reshape(-1), D.int64, grad.device, grad._backend)


def scatter_strided(grad: Tensor, in_shape: tuple, in_stride: tuple, in_offset: int, view_shape: tuple,
                    view_stride: tuple, view_offset: int) -> Tensor:
    """Gradient of any strided view: add each view element's gradient into the storage element it
    reads (duplicates accumulate), then read the input's elements back. Built from scatter_add and
    gather, so it is itself differentiable (double backward through unfold/as_strided)."""
    xp = grad._backend.xp
    in_index = _flat_positions(xp, in_shape, in_stride, in_offset)
    view_index = _flat_positions(xp, view_shape, view_stride, view_offset)
    extent = int(max(in_index.max(initial=0), view_index.max(initial=0))) + 1
    storage = grad.new_zeros(extent).scatter_add(0, index_tensor(grad, view_index), grad.reshape(-1))
    return storage.gather(0, index_tensor(grad, in_index)).view(in_shape)


def _unfold(grad: Tensor, self_shape: tuple, dimension: int, size: int, step: int) -> Tensor:
    """unfold's gradient, by logical position (an expanded input's aliased elements each get their
    own share, as torch's ``unfold_backward``)."""
    logical = contiguous_strides(self_shape)
    d = dimension % len(self_shape) if self_shape else 0
    return scatter_strided(grad, self_shape, logical, 0, *unfolded_geometry(self_shape, logical, d, size, step), 0)


def _as_strided(grad: Tensor, self_shape: tuple, self_stride: tuple, self_storage_offset: int, size: tuple,
                stride: tuple, storage_offset: int | None) -> Tensor:
    offset = self_storage_offset if storage_offset is None else storage_offset
    return scatter_strided(grad, self_shape, self_stride, self_storage_offset, size, stride, offset)


def _pieces(grads: tuple, self_shape: tuple, regions: list[Callable[[Tensor], Tensor]]) -> Tensor:
    """split/unbind: each piece's gradient (zeros where a piece got none) written into its region."""
    template = next(g for g in grads if g is not None)
    result = template.new_zeros(self_shape)
    for grad, region in zip(grads, regions):
        if grad is not None:
            region(result).copy_(grad)
    return result


def _split_regions(self_shape: tuple, sections: Sequence[int], dim: int) -> list[Callable[[Tensor], Tensor]]:
    starts = [sum(sections[:i]) for i in range(len(sections))]
    return [lambda z, s=s, n=n: call("slice.Tensor", z, dim, s, s + n, 1) for s, n in zip(starts, sections)]


def _reshaped(grad: Any, self_shape: tuple) -> Any:
    return grad.reshape(self_shape)


for _node in ("ViewBackward0", "ReshapeAliasBackward0", "UnsafeViewBackward0", "SqueezeBackward0",
              "SqueezeBackward1", "SqueezeBackward2", "SqueezeBackward3", "SqueezeBackward4", "SqueezeBackward5"):
    define(_node, {"self": _reshaped}, arrays=True)  # (``reshape`` of a tensor or a backend array)
for _node in ("TransposeBackward0", "TransposeBackward1"):
    define(_node, {"self": lambda grad, dim0, dim1: grad.transpose(dim0, dim1)})
for _node in ("TBackward0", "TBackward1"):
    define(_node, {"self": lambda grad: t(grad)}, arrays=True)
for _node in ("UnsqueezeBackward0", "UnsqueezeBackward1"):
    define(_node, {"self": lambda grad, dim: grad.squeeze(dim)})
for _node in ("AsStridedBackward0", "AsStridedBackward1"):
    define(_node, {"self": _as_strided})
define("PermuteBackward0", {"self": lambda grad, dims: grad.permute(inverse_permutation(dims, grad.dim()))})
define("ExpandBackward0", {"self": lambda grad, self_shape: sum_to(grad, self_shape)}, arrays=True)
define("SliceBackward0", {"self": lambda grad, self_shape, dim, start, end, step: embed(
    grad, self_shape, lambda z: call("slice.Tensor", z, dim, start, end, step))})
define("SelectBackward0", {"self": lambda grad, self_shape, dim, index: embed(
    grad, self_shape, lambda z: z.select(dim, index))})
define("DiagonalBackward0", {"self": lambda grad, self_shape, offset, dim1, dim2: embed(
    grad, self_shape, lambda z: z.diagonal(offset, dim1, dim2))})
define("UnfoldBackward0", {"self": _unfold})
define("SplitBackward0", {"self": lambda grads, self_shape, split_size, dim: _pieces(
    grads, self_shape, _split_regions(self_shape, split_sections(self_shape[dim], split_size), dim))})
define("SplitWithSizesBackward0", {"self": lambda grads, self_shape, split_sizes, dim: _pieces(
    grads, self_shape, _split_regions(self_shape, split_sizes, dim))})
define("UnbindBackward0", {"self": lambda grads, self_shape, dim: _pieces(
    grads, self_shape, [lambda z, i=i: z.select(dim, i) for i in range(len(grads))])})
define("CloneBackward0", {"self": lambda grad: grad}, arrays=True)
define("AliasBackward0", {"self": lambda grad: grad}, arrays=True)
