"""Derivatives of advanced indexing: ``IndexBackward0`` (reading) and ``IndexPutBackward0``
(``t[index] = value``). The array-level index is kept in the node; gradients are scattered
(duplicates accumulate, as torch's ``index_put_(accumulate=True)``) or gathered with it."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .elementwise_grads import sum_to
from .graph import record


def _scatter(g: Tensor, shape: tuple[int, ...], index: tuple) -> Tensor:
    from ..ops._util import from_array

    xp = g._backend.xp
    result = xp.zeros(shape, dtype=g._array.dtype)
    xp.add.at(result, index, g._array)
    return from_array(result, g._dtype, g.device, g._backend)


def _index_backward(node: Any, g: Tensor) -> tuple:
    shape, index = node._ctx
    return (_scatter(g, shape, index),)


def record_index(out: Tensor, source: Tensor, index: tuple) -> None:
    record("IndexBackward0", out, (source,), _index_backward, (), (source._shape, index))


def _index_put_backward(node: Any, g: Tensor) -> tuple:
    index, value_shape, value_is_tensor = node._ctx
    from ..ops._util import from_array

    kept = g.clone()
    kept._array[index] = 0
    if not value_is_tensor:
        return (kept, None)
    picked = from_array(g._backend.xp.array(g._array[index], copy=True), g._dtype, g.device, g._backend)
    return (kept, sum_to(picked, value_shape))


def record_index_put(out: Tensor, source: Tensor, index: tuple, value: Any) -> None:
    value_is_tensor = isinstance(value, Tensor)
    record("IndexPutBackward0", out, (source, value), _index_put_backward, (),
           (index, value._shape if value_is_tensor else (), value_is_tensor))
