"""Derivatives of the joining, reordering and index-driven ops (torch's derivatives.yaml and
FunctionsManual.cpp): ``cat``, ``stack``, ``flip``, ``roll``, ``repeat``, ``gather``, the ``scatter``
family, ``index_select``, ``masked_select``, ``take``, ``tril``/``triu``, ``diag_embed`` and
``diagonal_copy``, and the internal ``index_add``/``masked_scatter``/``put`` the scatter-like
gradients are made of (so a create_graph gradient is differentiable again).

Index and mask operands get no formula (torch's ``non_differentiable``). A tensor-list input
(``cat``, ``stack``) gets one gradient per tensor, the real part where a real input met a complex
result (``cat_tensors_backward``, ``stack_tensors_backward``); the engine casts each to its input's
dtype.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ... import _dtype as D
from ..._arrays import from_array
from ..._tensor import Tensor
from ...ops._util import broadcast_shapes
from ...ops.registry import aten, functions
from . import define, not_implemented
from .helpers import sum_to
from .views import embed


def _real_for(grad: Tensor, dtype: D.dtype) -> Tensor:
    """``grad`` for an input of ``dtype``: its real part when the input is real and ``grad`` complex."""
    if grad._dtype.is_complex and not dtype.is_complex:
        return from_array(grad._backend.xp.array(grad._array.real, copy=True), grad._dtype.to_real(), grad.device,
                          grad._backend)
    return grad


def _cat(grad: Tensor, dim: int, tensors_shape: Sequence[tuple], tensors_dtype: Sequence[D.dtype]) -> list:
    """``cat_tensors_backward``: each input's slice of the gradient; a skipped 1-D empty input gets an
    empty gradient."""
    grads, start = [], 0
    for shape, dtype in zip(tensors_shape, tensors_dtype):
        g = _real_for(grad, dtype)
        if shape == (0,):
            grads.append(g.new_zeros((0,)))
            continue
        size = shape[dim]
        grads.append(g.narrow(dim, start, size))
        start += size
    return grads


def _repeat(grad: Tensor, repeats: Sequence[int], self_shape: tuple) -> Tensor:
    """``repeat_backward``: the leading added dims summed away, then each repeated dim split into
    (repeat, size) and the repeats summed in one reduction."""
    if 0 in repeats:
        return grad.new_zeros(self_shape)
    for _ in range(grad.dim() - len(self_shape)):
        grad = grad.sum(0)
    lead = len(repeats) - len(self_shape)
    split: list[int] = []
    sum_dims: list[int] = []
    for d, size in enumerate(self_shape):
        if repeats[d + lead] != 1:
            split.append(repeats[d + lead])
            sum_dims.append(len(split) - 1)
        split.append(size)
    if sum_dims:
        grad = grad.reshape(tuple(split)).sum(tuple(sum_dims))
    return grad


def _masked_scatter_source(grad: Tensor, mask: Tensor, source_shape: tuple) -> Tensor:
    """``masked_scatter_backward``: the gradient at the mask's positions, padded with zeros to the
    source's size."""
    selected = grad.masked_select(mask)
    missing = math.prod(source_shape) - selected.numel()
    if missing > 0:
        selected = functions.cat([selected, selected.new_zeros(missing)])
    return selected.view(source_shape)


def _times(grad: Tensor, alpha: Any) -> Tensor:
    """torch's ``maybe_multiply``: skip the multiplication by exactly 1."""
    return grad if alpha == 1 else grad * alpha


def _index_select(grad: Tensor, self_shape: tuple, dim: int, index: Tensor) -> Tensor:
    """``index_select_backward``: the gradient added into zeros at ``index`` (``index_add``)."""
    if not self_shape:
        return grad.clone()
    return aten.index_add(grad.new_zeros(self_shape), dim, index, grad, 1)


def _index_add_source(grad: Tensor, dim: int, index: Tensor, source_shape: tuple, alpha: Any) -> Tensor:
    selected = grad.index_select(dim, index) if source_shape else grad.index_select(dim, index.squeeze(0))
    return _times(selected.expand(source_shape) if source_shape else selected, alpha)


define("CatBackward0", {"tensors": _cat})
define("StackBackward0", {"tensors": lambda grad, dim, tensors_dtype: [
    _real_for(grad.select(dim, i), dtype) for i, dtype in enumerate(tensors_dtype)]})
define("FlipBackward0", {"self": lambda grad, dims: grad.flip(dims)})
define("RollBackward0", {"self": lambda grad, shifts, dims: grad.roll(
    tuple(-s for s in reversed(shifts)), tuple(reversed(dims)) if dims else None)})
define("RepeatBackward0", {"self": _repeat})
define("GatherBackward0", {"self": lambda grad, self, dim, index: grad.new_zeros(self._shape).scatter_add(
    dim, index, grad)})
define("ScatterBackward0", {"self": lambda grad, dim, index: grad.scatter(dim, index, 0),
                            "src": lambda grad, dim, index: grad.gather(dim, index)})
define("ScatterBackward1", {"self": lambda grad, dim, index: grad.scatter(dim, index, 0)})
define("ScatterAddBackward0", {"self": lambda grad: grad, "src": lambda grad, dim, index: grad.gather(dim, index)})
not_implemented("scatter", ("self", "src"))
not_implemented("scatter", name="NotImplemented:scatter_value")
not_implemented("scatter_", ("self", "src"))
not_implemented("scatter_", name="NotImplemented:scatter__value")
define("IndexSelectBackward0", {"self": _index_select})
define("IndexAddBackward0", {"self": lambda grad: grad, "source": _index_add_source})
define("MaskedSelectBackward0", {"self": lambda grad, self, mask: sum_to(aten.masked_scatter(
    grad.new_zeros(broadcast_shapes(self._shape, mask._shape)), mask, grad), self._shape)})
define("MaskedScatterBackward0", {"self": lambda grad, mask: grad.masked_fill(mask, 0),
                                  "source": _masked_scatter_source})
define("TakeBackward0", {"self": lambda grad, self, index: aten.put(grad.new_zeros(self._shape), index, grad, True)})
define("PutBackward0", {
    "self": lambda grad, index, source_shape, accumulate: (
        grad if accumulate else aten.put(grad, index, grad.new_zeros(source_shape), False)),
    "source": lambda grad, index, source_shape: grad.take(index).reshape(source_shape),
})
define("TrilBackward0", {"self": lambda grad, diagonal: grad.tril(diagonal)})
define("TriuBackward0", {"self": lambda grad, diagonal: grad.triu(diagonal)})
define("DiagEmbedBackward0", {"self": lambda grad, offset, dim1, dim2: grad.diagonal(offset, dim1, dim2)})
define("DiagonalBackward0_copy", {"self": lambda grad, self_shape, offset, dim1, dim2: embed(
    grad, self_shape, lambda z: z.diagonal(offset, dim1, dim2))})
