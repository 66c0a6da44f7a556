"""Derivatives of advanced indexing: ``IndexBackward0`` (reading) and ``IndexPutBackward0``
(``t[index] = value``). The array-level index is kept in the node; gradients are scattered
(duplicates accumulate, as torch's ``index_put_(accumulate=True)``) or gathered with it."""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor
from .derivatives.views import index_tensor
from .elementwise_grads import sum_to
from .graph import record


def _positions(xp: Any, shape: tuple[int, ...], index: tuple) -> Any:
    """The row-major position of each element ``index`` picks from a tensor of ``shape``."""
    return xp.arange(math.prod(shape), dtype="int64").reshape(shape)[index]


def _index_backward(node: Any, g: Tensor) -> tuple:
    """Gradients of the picked elements added into zeros of the input's shape (scatter_add, so the
    formula is differentiable again)."""
    shape, index = node._ctx
    positions = index_tensor(g, _positions(g._backend.xp, shape, index))
    return (g.new_zeros(math.prod(shape)).scatter_add(0, positions, g.reshape(-1)).view(shape),)


def record_index(out: Tensor, source: Tensor, index: tuple) -> None:
    record("IndexBackward0", out, (source,), _index_backward, (), (source._shape, index))


def _index_put_backward(node: Any, g: Tensor) -> tuple:
    """The overwritten elements get no gradient; the value gets the gradient of the elements it was
    written to (summed back to its shape). Built from scatter and gather (differentiable again)."""
    index, value_shape, value_is_tensor = node._ctx
    picks = _positions(g._backend.xp, g._shape, index)
    positions = index_tensor(g, picks)
    flat = g.reshape(-1)
    kept = flat.scatter(0, positions, 0).view(g._shape)
    if not value_is_tensor:
        return (kept, None)
    return (kept, sum_to(flat.gather(0, positions).view(picks.shape), value_shape))


def record_index_put(out: Tensor, source: Tensor, index: tuple, value: Any) -> None:
    value_is_tensor = isinstance(value, Tensor)
    record("IndexPutBackward0", out, (source, value), _index_put_backward, (),
           (index, value._shape if value_is_tensor else (), value_is_tensor))
