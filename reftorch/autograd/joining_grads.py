"""Derivatives of the joining, reordering and index-driven ops (torch's tools/autograd/derivatives.yaml
and FunctionsManual.cpp): ``cat``, ``stack``, ``flip``, ``roll``, ``repeat``, ``gather``, the
``scatter`` family, ``index_select``, ``masked_select``, ``take``, ``tril``/``triu``, ``diag`` and
``diag_embed``.

Each node is named like torch's and gets edges only for the operands torch differentiates (index
and mask tensors get none). Gradients are written with reftorch ops where torch's formula is a
tensor op; the scatter-like backwards of ``index_select``/``masked_select``/``take`` add into
zeros at the array level and record their own linear node (``IndexAddBackward0``,
``MaskedScatterBackward0``, ``PutBackward0``), so ``create_graph=True`` still differentiates them.
As torch's engine does, every input's gradient is given the input's dtype (the real part for a
real input of a complex result).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from .derivatives.views import embed
from .elementwise_grads import sum_to
from .graph import needs_grad, record


def _from_array(values: Any, like: Tensor, dtype: D.dtype | None = None) -> Tensor:
    from ..ops._util import from_array

    return from_array(values, dtype or like._dtype, like.device, like._backend)


def as_input_dtype(g: Tensor, dtype: D.dtype) -> Tensor:
    """``g`` with an input's dtype: the real part when the input is real and ``g`` complex, then a cast."""
    if g._dtype.is_complex and not dtype.is_complex:
        xp = g._backend.xp
        g = _from_array(xp.array(g._array.real, copy=True), g, g._dtype.to_real())
    return g if g._dtype is dtype else g.to(dtype)


def _check_shape(name: str, position: int, grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """torch's engine check of a gradient's shape (``validate_outputs``)."""
    if grad._shape != shape:
        from ..ops._util import shape_str

        raise RuntimeError(
            f"Function {name} returned an invalid gradient at index {position} - got "
            f"{shape_str(grad._shape)} but expected shape compatible with {shape_str(shape)}")
    return grad


def _linear(name: str, values: Any, g: Tensor, adjoint: Callable[[Tensor], Tensor]) -> Tensor:
    """Wrap ``values`` (a linear function of ``g`` computed on arrays) and, when building a graph,
    record node ``name`` whose backward is ``adjoint`` (the transposed map)."""
    out = _from_array(values, g)
    if needs_grad(g):
        record(name, out, (None, g), lambda node, gg: (None, adjoint(gg)))
    return out


# ----------------------------------------------------------------------------- formulas
def _cat(node: Any, g: Tensor) -> tuple:
    dim, pieces = node._ctx
    grads = []
    for shape, dtype, start in pieces:
        if start is None:  # a skipped 1-D empty input
            grads.append(as_input_dtype(g.new_zeros((0,)), dtype))
        else:
            grads.append(as_input_dtype(g, dtype).narrow(dim, start, shape[dim]))
    return tuple(grads)


def _stack(node: Any, g: Tensor) -> tuple:
    dim, dtypes = node._ctx
    return tuple(as_input_dtype(g.select(dim, i), dtype) for i, dtype in enumerate(dtypes))


def _repeat(node: Any, g: Tensor) -> tuple:
    """Sum the gradient over the tiles: (r0*s0, r1*s1, ...) viewed as (r0, s0, r1, s1, ...)."""
    repeats, shape = node._ctx
    padded = (1,) * (len(repeats) - len(shape)) + shape
    split = tuple(n for pair in zip(repeats, padded) for n in pair)
    summed = g.reshape(split).sum(tuple(range(0, len(split), 2)))
    return (summed.reshape(shape),)


def _gather(node: Any, g: Tensor) -> tuple:
    """Gradients scattered back with the index (the input is saved, as torch does, only so that
    changing it in place before backward is refused)."""
    shape, dim = node._ctx
    _, index = node.saved_tensors
    return (g.new_zeros(shape).scatter_add(dim, index, g),)


def _scatter_src(node: Any, g: Tensor) -> tuple:
    """ScatterBackward0 (``src`` overwrote the input) and ScatterAddBackward0 (``src`` was added)."""
    dim, src_shape = node._ctx
    (index,) = node.saved_tensors
    grad_self = g if node.name() == "ScatterAddBackward0" else g.scatter(dim, index, 0)
    return grad_self, _check_shape(node.name(), 1, g.gather(dim, index), src_shape)


def _scatter_value(node: Any, g: Tensor) -> tuple:
    (index,) = node.saved_tensors
    return (g.scatter(node._ctx, index, 0),)


def _index_select(node: Any, g: Tensor) -> tuple:
    shape, dim = node._ctx
    (index,) = node.saved_tensors
    if not shape:
        return (g.clone(),)
    xp = g._backend.xp
    result = xp.zeros(shape, dtype=g._array.dtype)
    xp.add.at(result, (slice(None),) * dim + (index._array.reshape(-1),), g._array)
    return (_linear("IndexAddBackward0", result, g, lambda gg: gg.index_select(dim, index)),)


def _masked_select(node: Any, g: Tensor) -> tuple:
    shape, full_shape = node._ctx
    (mask,) = node.saved_tensors
    xp = g._backend.xp
    result = xp.zeros(full_shape, dtype=g._array.dtype)
    result[xp.broadcast_to(mask._array, full_shape)] = g._array
    return (sum_to(_linear("MaskedScatterBackward0", result, g, lambda gg: gg.masked_select(mask)), shape),)


def _take(node: Any, g: Tensor) -> tuple:
    shape = node._ctx
    (index,) = node.saved_tensors
    xp = g._backend.xp
    result = xp.zeros(math.prod(shape), dtype=g._array.dtype)
    xp.add.at(result, index._array.reshape(-1), g._array.reshape(-1))
    return (_linear("PutBackward0", result.reshape(shape), g, lambda gg: gg.take(index)),)


def _not_implemented(node: Any, *grads: Any) -> tuple:
    raise RuntimeError(f"derivative for aten::{node._ctx} is not implemented")


FORMULAS: dict[str, Callable] = {
    "CatBackward0": _cat,
    "StackBackward0": _stack,
    "FlipBackward0": lambda node, g: (g.flip(node._ctx),),
    "RollBackward0": lambda node, g: (g.roll(tuple(-s for s in node._ctx[0]), node._ctx[1] or None),),
    "RepeatBackward0": _repeat,
    "GatherBackward0": _gather,
    "ScatterBackward0": _scatter_src,
    "ScatterBackward1": _scatter_value,
    "ScatterAddBackward0": _scatter_src,
    "IndexSelectBackward0": _index_select,
    "MaskedSelectBackward0": _masked_select,
    "TakeBackward0": _take,
    "TrilBackward0": lambda node, g: (g.tril(node._ctx),),
    "TriuBackward0": lambda node, g: (g.triu(node._ctx),),
    "DiagEmbedBackward0": lambda node, g: (g.diagonal(*node._ctx),),
    "DiagonalBackward0_copy": lambda node, g: (embed(g, node._ctx[0], lambda z: z.diagonal(*node._ctx[1:])),),
    "NotImplemented": _not_implemented,
}


def track(name: str, out: Tensor, inputs: Sequence[Any], ctx: Any = None,
          saved: Sequence[Any] = ()) -> Tensor:
    """Record node ``name`` (formula ``FORMULAS[name]``) on ``out`` when grad mode is on and one of
    the differentiable ``inputs`` requires grad; returns ``out``."""
    if needs_grad(*inputs):
        record(name, out, inputs, FORMULAS[name], saved, ctx)
    return out
