"""``Tensor.__getitem__`` / ``__setitem__`` and the advanced-indexing ops ``index`` and ``index_put_``,
ported from torch: torch/csrc/autograd/python_variable_indexing.cpp (the Python bindings),
aten/src/ATen/TensorIndexing.h (``applySlicing``, ``copy_to``) and
aten/src/ATen/native/TensorAdvancedIndexing.cpp with IndexingUtils.h (``index``, ``_index_put_impl_``).

- The index items are applied left to right: integers ``select`` (a view), slices ``slice`` (a view;
  within a tuple a slice covering a whole dim is skipped, a lone ``t[:]`` still slices), ``None``
  and ``True``/``False`` ``unsqueeze``; tensors, sequences and booleans become index tensors of the
  dims they stand at. Without index tensors the result is that view (``t[...]`` a new alias).
- With index tensors the view is indexed by ``index`` (a copy; recorded IndexBackward0), whose dims
  follow NumPy's rule (the indexed dims' broadcast shape replaces them where they are adjacent,
  else goes first). Boolean masks stand for their ``nonzero()`` positions.
- Assignment converts the value first (a number becomes a zero-dim tensor of the target's dtype,
  range-checked), then writes the view: a same-shaped value is copied, a zero-dim value fills, any
  other is viewed without its leading size-1 dims and expanded; through index tensors it is
  ``index_put_`` (IndexPutBackward0), which a lone mask with a one-element value turns into
  ``masked_fill_``.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Sequence
from typing import Any

from .. import _dtype as D
from .._device import CPU
from .._strides import has_internal_overlap, is_non_overlapping_and_dense
from .._tensor import Tensor
from ._args import is_long as _is_long
from ._args import tp_name
from ._args import unpack_long as _unpack_long
from ._scalars import scalar_array
from ._util import backend_of, broadcast_shapes, cast_array, empty_tensor, from_array, shape_str
from .creation import from_data, infer_dtype, is_sequence
from .registry import aten, call, register
from .views import clone

_PY_SSIZE_T_MAX = (1 << 63) - 1
_INDEX_DTYPES = (D.int64, D.int32, D.uint8, D.bool)


# ----------------------------------------------------------------------------- index and index_put_
def _mask_dim_size(self: Tensor, dim: int) -> int:
    """``self.size(dim)`` as the mask checks read it (a mask reaching past the last dim is a dim error)."""
    ndim = len(self._shape)
    if dim >= ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, {max(ndim, 1) - 1}], "
                         f"but got {dim})")
    return self._shape[dim]


def _check_mask(self: Tensor, mask: Tensor, first: int) -> None:
    """A mask standing at dim ``first`` must have the sizes of the dims it covers."""
    for j, size in enumerate(mask._shape):
        if size != _mask_dim_size(self, first + j):
            raise IndexError(f"The shape of the mask {shape_str(mask._shape)} at index {j} does not match the shape of "
                             f"the indexed tensor {shape_str(self._shape)} at index {first + j}")


def _expanded(self: Tensor, indices: Sequence[Tensor | None]) -> tuple[list[Any], set[int]]:
    """ATen's ``make_info`` up to the kernel: the index count, the index dtypes, masks replaced by
    their ``nonzero()`` positions (``expandTensors``), the index tensors broadcast together. Returns
    one backend array or None per dim of ``self``, and the dims whose positions a mask gave (in
    bounds by construction)."""
    if len(indices) > len(self._shape):
        raise IndexError(f"too many indices for tensor of dimension {len(self._shape)} (got {len(indices)})")
    for index in indices:
        if index is not None and index._dtype not in _INDEX_DTYPES:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    xp = self._backend.xp
    expanded: list[Any] = []
    from_masks: set[int] = set()
    for index in indices:
        if index is None:
            expanded.append(None)
        elif index._dtype is D.bool or index._dtype is D.uint8:
            if index._dtype is D.uint8:
                warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
                              "instead.", UserWarning, stacklevel=5)
            _check_mask(self, index, len(expanded))
            if index._shape:  # (a zero-dim mask stands for no dim)
                from_masks.update(range(len(expanded), len(expanded) + index.dim()))
                expanded.extend(xp.nonzero(index._array))
        else:
            expanded.append(index._array)
    arrays = [a for a in expanded if a is not None]
    try:
        broadcast_shapes(*(tuple(a.shape) for a in arrays))
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                         + ", ".join(shape_str(a.shape) for a in arrays)) from None
    return expanded + [None] * (len(self._shape) - len(expanded)), from_masks


def _result_shape(shape: tuple[int, ...], expanded: list[Any]) -> tuple[int, ...]:
    """The indexing result's shape: the broadcast index shape where the indexed dims are adjacent,
    in front when they are not (``hasContiguousSubspace`` / ``transposeToFront``)."""
    indexed = [d for d, a in enumerate(expanded) if a is not None]
    broadcast = broadcast_shapes(*(tuple(expanded[d].shape) for d in indexed))
    rest = [shape[d] for d, a in enumerate(expanded) if a is None]
    if indexed == list(range(indexed[0], indexed[-1] + 1)):
        return tuple(shape[:indexed[0]]) + broadcast + tuple(shape[indexed[-1] + 1:])
    return broadcast + tuple(rest)


def _checked_index(self: Tensor, expanded: list[Any], from_masks: set[int]) -> tuple:
    """The backend index tuple, after the CPU index kernels' bounds check ("index 5 is out of bounds
    for dimension 0 with size 3", the dimension counted among the indexed ones; the first bad
    position in the result's order decides). Call it only for a non-empty result: torch's kernels
    visit no element, so check nothing, for an empty one."""
    xp = self._backend.xp
    indexed = [(d, a) for d, a in enumerate(expanded) if a is not None]
    bad = None
    if not from_masks.issuperset(d for d, _ in indexed):
        arrays = xp.broadcast_arrays(*(a for _, a in indexed))
        for (d, _), values in zip(indexed, arrays):
            if d not in from_masks:
                size = self._shape[d]
                out = (values >= size) | (values < -size)
                bad = out if bad is None else bad | out
    if bad is not None and bad.any():
        position = tuple(int(p[0]) for p in xp.nonzero(bad))
        for j, ((d, _), values) in enumerate(zip(indexed, arrays)):
            value, size = int(values[position]), self._shape[d]
            if not -size <= value < size:
                raise IndexError(f"index {value} is out of bounds for dimension {j} with size {size}")
    return tuple(slice(None) if a is None else a for a in expanded)


@register("index.Tensor", "index(Tensor self, c10::List<::std::optional<Tensor>> indices)", node="IndexBackward0",
          function=False, method=False)
def index(self: Tensor, indices: Sequence[Tensor | None]) -> Tensor:
    """ATen's ``index``: the elements the index tensors pick (None: the whole dim), as a new tensor."""
    expanded, from_masks = _expanded(self, indices)
    shape = _result_shape(self._shape, expanded)
    if 0 in shape:
        return empty_tensor(shape, self._dtype, self.device)
    values = self._array[_checked_index(self, expanded, from_masks)]  # (advanced indexing copies)
    return from_array(values, self._dtype, self.device, self._backend)


def _overlaps(a: Tensor, b: Tensor) -> bool:
    """``get_overlap_status`` is Full or Partial: dense tensors on one storage whose element ranges meet."""
    if a._storage is not b._storage or not (a.numel() and b.numel()):
        return False
    if not (is_non_overlapping_and_dense(a._shape, a._stride) and is_non_overlapping_and_dense(b._shape, b._stride)):
        return False
    return a._offset < b._offset + b.numel() and b._offset < a._offset + a.numel()


def _masked_fill_mask(self: Tensor, indices: Sequence[Tensor | None], values: Tensor) -> Tensor | None:
    """``canDispatchToMaskedFill``: a single bool/byte mask (the rest None) and a one-element CPU value
    make ``index_put_`` a ``masked_fill_``; returns the mask, unsqueezed to ``self``'s dims, or None."""
    if values.numel() != 1 or values.device.type != "cpu":
        return None
    mask, dims = None, 0
    for index in indices:
        if index is None:
            dims += 1
            continue
        if index._dtype not in (D.bool, D.uint8) or index.device != self.device or mask is not None:
            return None
        mask = index
        for j, size in enumerate(index._shape):
            if size != _mask_dim_size(self, dims + j):
                raise IndexError(f"The shape of the mask {shape_str(index._shape)} at index {j} does not match the "
                                 f"shape of the indexed tensor {shape_str(self._shape)} at index {dims + j}")
        dims += index.dim()
    if mask is None:
        return None
    return aten.view(mask, mask._shape + (1,) * (len(self._shape) - dims))


@register("index_put_", "index_put_(Tensor input, c10::List<::std::optional<Tensor>> indices, Tensor values, "
          "bool accumulate=False)", node="IndexPutBackward0", inplace=True)
def index_put_(self: Tensor, indices: Sequence[Tensor | None], values: Tensor, accumulate: bool,
               unsafe: bool = False) -> Tensor:
    """ATen's ``_index_put_impl_`` (which ``index_put_`` calls with ``unsafe=False``; reftorch checks
    the indices either way): writes ``values`` (broadcast to the indexing result) at the picked
    elements, adding them with ``accumulate`` (duplicates add up) or last-wins without; the values'
    dtype must be ``self``'s."""
    if len(indices) > len(self._shape):
        raise IndexError(f"too many indices for tensor of dimension {len(self._shape)} (got {len(indices)})")
    if has_internal_overlap(self._shape, self._stride):
        warnings.warn("Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before "
                      "performing this operation. This also applies to advanced indexing e.g. tensor[indices] = "
                      "tensor", UserWarning, stacklevel=4)
    if not accumulate:
        mask = _masked_fill_mask(self, indices, values)
        if mask is not None:
            return call("masked_fill_.Scalar", self, mask, values.item())
    for other in (values, *(i for i in indices if i is not None)):
        if _overlaps(self, other):
            raise RuntimeError("unsupported operation: some elements of the input tensor and the written-to tensor "
                               "refer to a single memory location. Please clone() the tensor before performing the "
                               "operation.")
    expanded, from_masks = _expanded(self, indices)
    result_shape = _result_shape(self._shape, expanded)
    if len(values._shape) > len(result_shape) or any(
            v not in (1, r) for v, r in zip(reversed(values._shape), reversed(result_shape))):
        raise RuntimeError(f"shape mismatch: value tensor of shape {shape_str(values._shape)} cannot be broadcast to "
                           f"indexing result of shape {shape_str(result_shape)}")
    if values._dtype is not self._dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{self._dtype.scalar_name} for the destination and {values._dtype.scalar_name} for the "
                           "source.")
    if 0 not in result_shape:  # (an empty result writes, and checks, nothing)
        array_index = _checked_index(self, expanded, from_masks)
        source = values._array
        if values.device != self.device:
            source = self._backend.from_host(values._backend.to_host(source))
        xp = self._backend.xp
        if accumulate:
            xp.add.at(self._array, array_index, xp.broadcast_to(source, result_shape))
        else:
            self._array[array_index] = source
    self._version_counter.bump()
    return self


register("_index_put_impl_", "_index_put_impl_(Tensor input, c10::List<::std::optional<Tensor>> indices, "
         "Tensor values, bool accumulate=False, bool unsafe=False)", node="IndexPutImplBackward0", inplace=True,
         function=False, method=False)(index_put_)


@register("index_put", "index_put(Tensor input, c10::List<::std::optional<Tensor>> indices, Tensor values, "
          "bool accumulate=False)", node="IndexPutBackward0")
def index_put(self: Tensor, indices: Sequence[Tensor | None], values: Tensor, accumulate: bool) -> Tensor:
    """Out-of-place ``index_put_``: a clone of ``self`` with the values put."""
    return index_put_(clone(self), indices, values, accumulate)


# ----------------------------------------------------------------------------- reading index items
def _slice_index(value: Any) -> int:
    """``_PyEval_SliceIndex``: an int or ``__index__`` object, clamped to Py_ssize_t."""
    try:
        index = operator.index(value)
    except TypeError:
        raise TypeError("slice indices must be integers or None or have an __index__ method") from None
    return max(min(index, _PY_SSIZE_T_MAX), -_PY_SSIZE_T_MAX - 1)


def _unpack_slice(item: slice) -> tuple[int, int, int]:
    """``__PySlice_Unpack``: Python's slice bounds with torch's defaults (None start 0, None stop the
    largest index)."""
    step = 1 if item.step is None else _slice_index(item.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    start = (0 if step > 0 else _PY_SSIZE_T_MAX) if item.start is None else _slice_index(item.start)
    stop = (_PY_SSIZE_T_MAX if step > 0 else -_PY_SSIZE_T_MAX - 1) if item.stop is None else _slice_index(item.stop)
    return start, stop, step


def _treat_sequence_as_tuple(index: Any) -> bool:
    """NumPy's heuristic (``treatSequenceAsTuple``): a short non-tuple sequence holding a tensor, a
    sequence, a slice, ``...`` or ``None`` is a tuple of indices (torch warns it is deprecated)."""
    if isinstance(index, tuple):
        return True
    if isinstance(index, Tensor) or type(index).__module__ == "numpy" or not is_sequence(index):
        return False
    try:
        if len(index) >= 32:
            return False
    except TypeError:  # PySequence_Size failed: not treated as a tuple
        return False
    return any(isinstance(item, (Tensor, slice)) or item is Ellipsis or item is None or is_sequence(item)
               for item in index)


def _wrap_tuple(index: Any) -> tuple:
    """The index as a tuple of items (``wrapTuple``)."""
    if not _treat_sequence_as_tuple(index):
        return (index,)
    if not isinstance(index, tuple):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch "
            "2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
            "x[torch.tensor(seq)], which will result either in an error or a different result", UserWarning,
            stacklevel=3)
    return tuple(index)


def _specified_dims(items: tuple) -> int:
    """``count_specified_dimensions``: the dims the items use up (a mask its own dims, ``None``,
    ``...`` and Python bools none)."""
    count = 0
    for item in items:
        if isinstance(item, Tensor):
            count += item.dim() if item._dtype is D.bool or item._dtype is D.uint8 else 1
        elif item is not None and item is not Ellipsis and item is not True and item is not False:
            count += 1
    return count


def _select(t: Tensor, dim: int, index: int, real_dim: int) -> Tensor:
    """``applySelect``: bounds-checked against the dim's size (a zero-dim tensor reads size 0, as
    torch's does), reported at ``real_dim``, the item's position in the index."""
    if index == 0 and dim == 0 and not t._shape:
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")
    size = t._shape[dim] if dim < len(t._shape) else 0
    if not (size > -1 - index and size > index):
        raise IndexError(f"index {index} is out of bounds for dimension {real_dim} with size {size}")
    return call("select.int", t, dim, index)


def _slice(t: Tensor, dim: int, item: slice, skip_full: bool) -> Tensor:
    """``applySlice``: a slice covering the whole dim changes nothing (unless ``skip_full`` is off)."""
    start, stop, step = _unpack_slice(item)
    if step <= 0:
        raise ValueError("step must be greater than zero")
    if skip_full and t._shape and start == 0 and t._shape[dim] <= stop and step == 1:
        return t
    return call("slice.Tensor", t, dim, start, stop, step)


def _bool_index(t: Tensor, value: bool) -> Tensor:
    """``boolToIndexingTensor``: ``[0]`` for True, an empty index for False (int64, on ``t``'s device)."""
    return from_array(t._backend.xp.zeros(1 if value else 0, dtype="int64"), D.int64, t.device, t._backend)


def _sequence_index(t: Tensor, sequence: Any) -> Tensor:
    """``sequenceToVariable``: a bool or uint8 tensor when the data infers so, else int64."""
    inferred = infer_dtype(sequence)
    dtype = inferred if inferred is D.bool or inferred is D.uint8 else D.int64
    return from_data(sequence, dtype, t.device, copy=False)


def _apply_slicing(self: Tensor, items: tuple, indices: list[Tensor | None], specified: int) -> Tensor:
    """``applySlicing``: apply the items left to right as views; index tensors are recorded in
    ``indices`` at the dim they stand at (a mask takes its own dims)."""
    ndim = len(self._shape)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    result, dim = self, 0

    def record(index: Tensor) -> None:
        nonlocal dim
        indices.extend([None] * (dim + 1 - len(indices)))
        indices[dim] = index
        dim += index.dim() if index._dtype is D.bool or index._dtype is D.uint8 else 1

    for real_dim, item in enumerate(items):
        if _is_long(item):
            result = _select(result, dim, _unpack_long(item), real_dim)
        elif isinstance(item, slice):
            result = _slice(result, dim, item, skip_full=True)
            dim += 1
        elif item is Ellipsis:
            dim += ndim - specified
        elif item is None:
            result = aten.unsqueeze(result, dim)
            dim += 1
        elif item is True or item is False:
            result = aten.unsqueeze(result, dim)
            record(_bool_index(result, item))
        elif isinstance(item, Tensor):
            if not item._shape and item._dtype.category <= D.INTEGER:
                if item._dtype is D.bool or item._dtype is D.uint8:
                    result = aten.unsqueeze(result, dim)
                    record(_bool_index(result, bool(item.item())))
                else:
                    result = _select(result, dim, item.item(), real_dim)
            else:
                record(item)
        elif is_sequence(item):
            record(_sequence_index(self, item))
        else:
            try:
                value = operator.index(item)
            except TypeError:
                raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                                 f"are valid indices (got {tp_name(item)})") from None
            result = _select(result, dim, _unpack_long(value), real_dim)
    return result


# ----------------------------------------------------------------------------- __getitem__
def _slot(name: str, args: tuple, kwargs: dict, count: int) -> tuple:
    """The arguments of a CPython slot wrapper (torch binds indexing to the mapping slots, not to its
    argument parser): no keywords, exactly ``count`` positional ones (``check_num_args``; two
    through ``PyArg_UnpackTuple``, whose message starts with the empty function name)."""
    if kwargs:
        raise TypeError(f"wrapper {name}() takes no keyword arguments")
    if len(args) != count:
        raise TypeError(f"expected 1 argument, got {len(args)}" if count == 1
                        else f" expected {count} arguments, got {len(args)}")
    return args


@register("__getitem__", "__getitem__(Tensor self, PyObject* indices)", composite=True, function=False, python=True)
def getitem(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``tensor[index]`` (``THPVariable_getitem``): a view for basic indices, a copy (``index``) when
    tensors, sequences or booleans index."""
    (index,) = _slot("__getitem__", args, kwargs, 1)
    if index is None:
        return aten.unsqueeze(self, 0)
    if index is Ellipsis:
        return aten.alias(self)
    if _is_long(index):
        return _select(self, 0, _unpack_long(index), 0)
    if isinstance(index, slice):
        return _slice(self, 0, index, skip_full=False)
    if index is True or index is False:
        result = aten.unsqueeze(self, 0)
        return call("index.Tensor", result, (_bool_index(result, index),))
    items = _wrap_tuple(index)
    indices: list[Tensor | None] = []
    sliced = _apply_slicing(self, items, indices, _specified_dims(items))
    if not indices:
        return aten.alias(sliced) if sliced is self else sliced
    return call("index.Tensor", sliced, tuple(indices))


# ----------------------------------------------------------------------------- __setitem__
def _value_tensor(self: Tensor, value: Any) -> Tensor:
    """``valueToTensor``: a tensor as it is; a Python int (within int64) or bool, float or complex
    (NumPy integers and float64 too) as a zero-dim CPU tensor of ``self``'s dtype, range-checked as
    ATen's ``scalar_fill`` converts it (float16 through double: out of range is inf); anything else
    is torch's TypeError."""
    if isinstance(value, Tensor):
        return value
    if _is_long(value):
        number: Any = _unpack_long(value)
    elif isinstance(value, bool):
        number = int(value)
    elif isinstance(value, (float, complex)):
        number = value
    else:
        raise TypeError(f"can't assign a {tp_name(value)} to a {self.type()}")
    backend = backend_of(CPU)
    if self._dtype is D.float16:
        values = cast_array(backend, scalar_array(backend, number, D.float64), D.float16)
    else:
        values = scalar_array(backend, number, self._dtype)
    return from_array(values, self._dtype, CPU, backend)


def _without_leading_ones(value: Tensor) -> Tensor:
    """``slicePrefix1sSize``: a view without the value's leading size-1 dims."""
    lead = 0
    while lead < len(value._shape) and value._shape[lead] == 1:
        lead += 1
    return aten.view(value, value._shape[lead:])


def _copy_to(dst: Tensor, src: Tensor) -> None:
    """``copy_to``: a same-shaped value is copied, a zero-dim CPU value fills (FillBackward3 under
    autograd), anything else is viewed without its leading size-1 dims, expanded and copied."""
    if src._shape == dst._shape:
        call("copy_", dst, src, False)
    elif not src._shape and src.device.type == "cpu":
        call("fill_.Tensor", dst, src)
    else:
        view = _without_leading_ones(src)
        call("copy_", dst, view if view._shape == dst._shape else aten.expand(view, dst._shape, False), False)


@register("__setitem__", "__setitem__(Tensor self, PyObject* indices, PyObject* values)", composite=True,
          function=False, python=True)
def setitem(self: Tensor, *args: Any, **kwargs: Any) -> None:
    """``tensor[index] = value`` (``THPVariable_setitem``): the value is converted first; basic
    indices write into the view (``t[:] = v`` writes ``t`` itself), index tensors ``index_put_``
    the value without its leading size-1 dims."""
    index, value = _slot("__setitem__", args, kwargs, 2)
    value = _value_tensor(self, value)
    if index is False:
        return
    if index is Ellipsis:
        _copy_to(self, value)
    elif index is None or index is True:
        _copy_to(aten.unsqueeze(self, 0), value)
    elif _is_long(index):
        _copy_to(_select(self, 0, _unpack_long(index), 0), value)
    elif isinstance(index, slice):
        _copy_to(_slice(self, 0, index, skip_full=True), value)
    else:
        items = _wrap_tuple(index)
        indices: list[Tensor | None] = []
        sliced = _apply_slicing(self, items, indices, _specified_dims(items))
        if not indices:
            _copy_to(sliced, value)
        else:
            lead_free = _without_leading_ones(value) if value._shape[:1] == (1,) else value
            aten.index_put_(sliced, tuple(indices), lead_free, False)


@register("__delitem__", "__delitem__(Tensor self, PyObject* indices)", composite=True, function=False, python=True)
def delitem(self: Tensor, *args: Any, **kwargs: Any) -> None:
    """``del tensor[index]``: ``THPVariable_setitem`` without a value refuses it."""
    _slot("__delitem__", args, kwargs, 1)
    raise TypeError("Tensor does not support deleting items")


__all__ = ["delitem", "getitem", "index", "index_put", "index_put_", "setitem"]
