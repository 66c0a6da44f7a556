"""Derivatives of view and copy ops (names and formulas as torch's derivatives.yaml).

Shape-only views send the gradient back through the inverse view; views that pick a region
(select, slice, diagonal) write the gradient into zeros of the input's shape; views whose
elements may overlap (unfold, as_strided, expand) add every position's gradient into the element
it reads, so overlapping windows accumulate.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._arrays import from_array
from .._tensor import Tensor
from .elementwise_grads import sum_to
from .graph import MULTI_OUTPUT_VIEW, record


def _inverse(perm: tuple[int, ...]) -> tuple[int, ...]:
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return tuple(inverse)


def _embed(g: Tensor, shape: tuple[int, ...], take) -> Tensor:
    """Zeros of ``shape`` with ``g`` written into the region ``take(zeros)`` views."""
    result = g.new_zeros(shape)
    take(result).copy_(g)
    return result


def _flat_positions(xp: Any, shape: tuple, stride: tuple, offset: int) -> Any:
    """The storage position each element of a strided view reads, as an int64 array of ``shape``."""
    index = xp.full(shape, offset, dtype="int64")
    for d, (n, s) in enumerate(zip(shape, stride)):
        index = index + (xp.arange(n, dtype="int64") * s).reshape((n,) + (1,) * (len(shape) - d - 1))
    return index


def index_tensor(g: Tensor, positions: Any) -> Tensor:
    """Flat int64 positions as a 1-D index tensor on ``g``'s device."""
    return from_array(positions.reshape(-1), D.int64, g.device, g._backend)


def _scatter_strided(g: Tensor, in_shape: tuple, in_stride: tuple, in_offset: int, view_shape: tuple,
                     view_stride: tuple, view_offset: int) -> Tensor:
    """Gradient of any strided view: add each view element's gradient into the storage element it
    reads (duplicates accumulate), then read the input's elements back. Built from scatter_add and
    gather, so it is itself differentiable (double backward through unfold/as_strided)."""
    xp = g._backend.xp
    in_index = _flat_positions(xp, in_shape, in_stride, in_offset)
    view_index = _flat_positions(xp, view_shape, view_stride, view_offset)
    extent = int(max(in_index.max(initial=0), view_index.max(initial=0))) + 1
    storage = g.new_zeros(extent).scatter_add(0, index_tensor(g, view_index), g.reshape(-1))
    return storage.gather(0, index_tensor(g, in_index)).view(in_shape)


FORMULAS: dict[str, Any] = {
    "ViewBackward0": lambda g, c: g.reshape(c),
    "ReshapeAliasBackward0": lambda g, c: g.reshape(c),
    "UnsafeViewBackward0": lambda g, c: g.reshape(c),
    "SqueezeBackward0": lambda g, c: g.reshape(c),
    "SqueezeBackward1": lambda g, c: g.reshape(c),
    "SqueezeBackward2": lambda g, c: g.reshape(c),
    "UnsqueezeBackward0": lambda g, c: g.squeeze(c),
    "TBackward0": lambda g, c: g.t(),
    "TransposeBackward0": lambda g, c: g.transpose(*c),
    "PermuteBackward0": lambda g, c: g.permute(*_inverse(c)),
    "ExpandBackward0": lambda g, c: sum_to(g, c),
    "SelectBackward0": lambda g, c: _embed(g, c[0], lambda z: z.select(c[1], c[2])),
    "SliceBackward0": lambda g, c: _embed(g, c[0], lambda z: z[c[1]]),
    "DiagonalBackward0": lambda g, c: _embed(g, c[0], lambda z: z.diagonal(*c[1:])),
    "UnfoldBackward0": lambda g, c: _scatter_strided(g, *c),
    "AsStridedBackward0": lambda g, c: _scatter_strided(g, *c),
    "CloneBackward0": lambda g, c: g,
    "AliasBackward0": lambda g, c: g,
    "ToCopyBackward0": lambda g, c: g.to(device=c[0], dtype=c[1]),
}


def _backward(node: Any, g: Tensor) -> tuple:
    return (FORMULAS[node.name()](g, node._ctx),)


def record_view(name: str, out: Tensor, source: Tensor, ctx: Any) -> None:
    """Record a single-input view/copy node whose formula is ``FORMULAS[name](grad, ctx)``."""
    record(name, out, (source,), _backward, (), ctx)


def _split_backward(node: Any, *grads: Any) -> tuple:
    """Split/unbind: each piece's gradient (zeros where a piece got none) is written into its region."""
    shape, regions = node._ctx
    template = next(g for g in grads if g is not None)
    result = template.new_zeros(shape)
    for grad, take in zip(grads, regions):
        if grad is not None:
            take(result).copy_(grad)
    return (result,)


def record_split(name: str, pieces: tuple[Tensor, ...], source: Tensor, regions: list) -> None:
    """Record one multi-output node for ``split``/``chunk``/``unbind`` (``regions[i](t)`` views piece i);
    the pieces are views torch forbids modifying in place under grad mode."""
    record(name, pieces, (source,), _split_backward, (), (source._shape, regions))
    for piece in pieces:
        piece._creation_meta = MULTI_OUTPUT_VIEW
