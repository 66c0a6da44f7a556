"""``Tensor.__getitem__`` / ``__setitem__`` with torch's semantics
(torch/csrc/autograd/python_variable_indexing.cpp):

- *basic* indices (ints, slices with positive steps, ``None``, ``...``, bools, zero-dim integer
  tensors) are applied one after another and give a **view**;
- *advanced* indices (integer tensors or lists, bool masks) give a **copy**, with NumPy's rules for
  where the indexed dims go (which torch follows);
- assignment through basic indices is ``view.copy_(value)`` (value broadcast to the view, leading
  size-1 dims of the value dropped); through advanced indices it is ``index_put_``, which requires
  the value's dtype to match.
"""

from __future__ import annotations

import numbers
import operator
from typing import Any

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.grad_mode import STATE
from ..autograd.index_grads import record_index, record_index_put
from ..autograd.views import apply_inplace
from ._inplace import check_writable
from ._scalars import scalar_array
from ._util import broadcast_shapes, cast_array, from_array, shape_str
from .registry import aten, call


def _is_basic(item: Any) -> bool:
    """Basic items make views. A bool scalar is *advanced* in torch (an index tensor of length 1 or 0
    on a new dim), so it makes a copy."""
    if isinstance(item, bool):
        return False
    if item is None or item is Ellipsis or isinstance(item, (slice, numbers.Integral)):
        return True
    if isinstance(item, Tensor):
        return item.dim() == 0 and item._dtype.category == D.INTEGER
    return False


def _as_tuple(index: Any) -> tuple:
    if isinstance(index, tuple):
        return index
    return (index,)


def _consumed(item: Any) -> int:
    """How many dims of the indexed tensor an index item uses up."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, Tensor) and item._dtype in (D.bool, D.uint8):
        return max(item.dim(), 1)
    return 1


def _expand_ellipsis(items: tuple, ndim: int) -> tuple[tuple, tuple[int, ...]]:
    """Replace ``...`` by full slices; also return each item's position in the index as written,
    which torch uses as the dim in its out-of-bounds messages."""
    used = sum(_consumed(i) for i in items)
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    positions = tuple(range(len(items)))
    if not any(item is Ellipsis for item in items):
        return items, positions
    at = next(i for i, item in enumerate(items) if item is Ellipsis)
    if any(item is Ellipsis for item in items[at + 1:]):
        raise IndexError("an index can only have a single ellipsis ('...')")
    fill = ndim - used
    return items[:at] + (slice(None),) * fill + items[at + 1:], positions[:at] + (at,) * fill + positions[at + 1:]


def _slice(t: Tensor, dim: int, item: slice) -> Tensor:
    size = t._shape[dim]
    step = 1 if item.step is None else operator.index(item.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    start, stop, _ = slice(item.start, item.stop).indices(size)
    stop = max(stop, start)
    return call("slice.Tensor", t, dim, start, stop, step)


def _is_full(item: slice, size: int) -> bool:
    return slice(item.start, item.stop).indices(size)[:2] == (0, size) and item.step in (None, 1)


def _apply_basic(t: Tensor, items: tuple, positions: tuple[int, ...], skip_full_slices: bool = True) -> Tensor:
    """Apply basic index items left to right, as torch's ``applySlicing`` does: within a tuple index a
    slice covering a whole dim is skipped (a lone slice like ``t[:]`` still slices); an index that
    changes nothing, like ``t[...]``, returns a new alias."""
    if not items:
        return aten.alias(t)
    result = t
    dim = 0
    for item, position in zip(items, positions):
        if item is None:
            result = aten.unsqueeze(result, dim)
            dim += 1
        elif isinstance(item, slice):
            if not (skip_full_slices and _is_full(item, result._shape[dim])):
                result = _slice(result, dim, item)
            dim += 1
        else:
            result = _select(result, dim, operator.index(item), position)
    return result


def _select(t: Tensor, dim: int, index: int, position: int) -> Tensor:
    size = t._shape[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {position} with size {size}")
    return call("select.int", t, dim, index)


def _advanced_array(item: Any, t: Tensor, dim: int, position: int) -> Any:
    """The array-module index for one advanced item, checked with torch's errors."""
    xp = t._backend.xp
    if isinstance(item, Tensor):
        if item._dtype in (D.bool, D.uint8):
            _check_mask(item, t, dim)
            return item._array.astype(bool) if item._dtype is D.uint8 else item._array
        if item._dtype.category != D.INTEGER:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        values = item._array
    elif isinstance(item, (list, tuple)):
        from .creation import tensor

        as_bool = bool(item) and all(isinstance(v, bool) for v in item)
        return _advanced_array(tensor(item, dtype=D.bool if as_bool else D.int64), t, dim, position)
    elif isinstance(item, numbers.Integral):
        values = xp.asarray(item)
    else:
        return item
    size = t._shape[dim]
    bad = (values >= size) | (values < -size)
    if bad.any():
        raise IndexError(f"index {int(values[bad].reshape(-1)[0])} is out of bounds for dimension {position} "
                         f"with size {size}")
    return values


def _check_mask(mask: Tensor, t: Tensor, dim: int) -> None:
    for i, size in enumerate(mask._shape):
        if dim + i >= len(t._shape) or t._shape[dim + i] != size:
            raise IndexError(
                f"The shape of the mask {shape_str(mask._shape)} at index {i} does not match the shape of the "
                f"indexed tensor {shape_str(t._shape)} at index {dim + i}")


def _advanced_index(t: Tensor, items: tuple, positions: tuple[int, ...]) -> tuple:
    """The full array-module index tuple for an index that has advanced items."""
    converted = []
    dim = 0
    for item, position in zip(items, positions):
        if item is None or isinstance(item, bool):
            converted.append(item)
            continue
        if isinstance(item, slice):
            if item.step is not None and operator.index(item.step) <= 0:
                _slice(t, dim, item)
            converted.append(item)
        else:
            converted.append(_advanced_array(item, t, dim, position))
        dim += _consumed(item)
    return tuple(converted)


def _normalise(t: Tensor, index: Any) -> tuple[tuple, tuple[int, ...], bool]:
    items = _as_tuple(index)
    if not t._shape and len(items) == 1 and _is_basic(items[0]) and items[0] is not None \
            and items[0] is not Ellipsis:
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
            "convert a 0-dim tensor to a number")
    for item in items:
        if isinstance(item, str):
            raise TypeError("new(): invalid data type 'str'")
        if isinstance(item, (float, complex)):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                f"indices (got {type(item).__name__})")
    items, positions = _expand_ellipsis(items, len(t._shape))
    return items, positions, all(_is_basic(item) for item in items)


def getitem(self: Tensor, index: Any) -> Tensor:
    """``tensor[index]``: a view for basic indices, a copy for advanced ones."""
    items, positions, basic = _normalise(self, index)
    if basic:
        result = _apply_basic(self, items, positions, skip_full_slices=not isinstance(index, slice))
        return aten.alias(self) if result is self else result
    array_index = _advanced_index(self, items, positions)
    values = self._array[array_index]
    out = from_array(self._backend.xp.array(values, copy=True), self._dtype, self.device, self._backend)
    if STATE.enabled and self._requires_grad:
        record_index(out, self, array_index)
    return out


def _value_tensor(self: Tensor, value: Any) -> Any:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, numbers.Number):
        return value
    raise TypeError(f"can't assign a {type(value).__name__} to a {self._dtype.tensor_type}")


def setitem(self: Tensor, index: Any, value: Any) -> None:
    """``tensor[index] = value``: basic indices write into the indexed view (whole-dim slices are
    skipped, so ``t[:] = v`` writes ``t`` itself); advanced indices put values (the value tensor's
    dtype must match). A value tensor's leading size-1 dims are dropped first, as in torch."""
    value = _value_tensor(self, value)
    items, positions, basic = _normalise(self, index)
    if basic:
        _copy_to(_apply_basic(self, items, positions) if items else self, value)
        return
    array_index = _advanced_index(self, items, positions)
    xp = self._backend.xp
    result_shape = self._array[array_index].shape
    if isinstance(value, Tensor):
        if value._dtype is not self._dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{self._dtype.scalar_name} for the destination and {value._dtype.scalar_name} for the source.")
        value = _without_leading_ones(value)
        source = value._array
        try:
            broadcast_shapes(source.shape, result_shape)
            if source.ndim > len(result_shape):
                raise RuntimeError
        except RuntimeError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {shape_str(value._shape)} cannot be broadcast to indexing "
                f"result of shape {shape_str(result_shape)}") from None
    else:
        source = cast_array(self._backend, xp.asarray(value), self._dtype)
    if STATE.enabled and (self._requires_grad or (isinstance(value, Tensor) and value._requires_grad)):
        apply_inplace(self, lambda snap: _index_put(snap, array_index, source, value))
        return
    self._array[array_index] = source
    self._version_counter.bump()


def _without_leading_ones(value: Tensor, always_view: bool = False) -> Tensor:
    """torch's ``slicePrefix1sSize``: a value's leading size-1 dims are dropped by a view before it is
    written (basic-index assignment takes that view even when there are none, as torch's copy_to)."""
    lead = 0
    while lead < len(value._shape) and value._shape[lead] == 1:
        lead += 1
    return aten.view(value, value._shape[lead:]) if lead or always_view else value


def _copy_to(dst: Tensor, value: Any) -> None:
    """torch's ``copy_to`` for basic-index assignment: a same-shaped value is copied, a number or a
    zero-dim value fills (FillBackward3 under autograd), anything else is viewed without its leading
    size-1 dims, expanded to the target and copied."""
    if not isinstance(value, Tensor):  # range-checked as ATen's Scalar::to; float16 goes through double (inf)
        backend = dst._backend
        values = cast_array(backend, scalar_array(backend, value, D.float64), D.float16) if dst._dtype is D.float16 \
            else scalar_array(backend, value, dst._dtype)
        value = from_array(values, dst._dtype, dst.device, backend)
    if value._shape == dst._shape:
        dst.copy_(value)
    elif not value._shape and value.device.type == "cpu":
        check_writable(dst)  # unlike a plain fill_, assignment refuses an expanded target
        dst.fill_(value)
    else:
        src = _without_leading_ones(value, always_view=True)
        dst.copy_(src if src._shape == dst._shape else aten.expand(src, dst._shape, False))


def _index_put(snapshot: Tensor, array_index: tuple, source: Any, value: Any) -> Tensor:
    """Out-of-place ``index_put`` on a snapshot (the recorded twin of ``t[index] = value``)."""
    snapshot._array[array_index] = source
    record_index_put(snapshot, snapshot, array_index, value)
    return snapshot


METHODS = {"__getitem__": getitem, "__setitem__": setitem}
